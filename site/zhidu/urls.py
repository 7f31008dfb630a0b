from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from policies_content import acknowledgement_views, consultation_views, version_views
from policies_content import views as document_views
from records import archive_views, record_views, verification_views

from . import audit_views, evidence_views, two_factor, views
from .security import LoginForm

urlpatterns = [
    path("", views.landing, name="landing"),
    path("home/", views.role_home, name="role_home"),
    path("my/", views.staff_home, name="staff_home"),
    path("audit/", views.auditor_home, name="auditor_home"),
    path("audit/log/", audit_views.audit_log, name="audit_log"),
    path("audit/log.csv", audit_views.audit_log_csv, name="audit_log_csv"),
    path(
        "audit/employees/<int:employee_id>/",
        evidence_views.evidence_employee,
        name="evidence_employee",
    ),
    path(
        "audit/documents/<int:page_id>/", evidence_views.evidence_document, name="evidence_document"
    ),
    path("audit/evidence/<int:pk>/", evidence_views.evidence_bundle, name="evidence_bundle"),
    path(
        "audit/evidence/<int:pk>/again/",
        evidence_views.evidence_bundle_again,
        name="evidence_bundle_again",
    ),
    path(
        "audit/evidence/<int:pk>/bundle.zip",
        evidence_views.evidence_bundle_download,
        name="evidence_bundle_download",
    ),
    path("language/", views.language_choose, name="language_choose"),
    path("my/signatures/", acknowledgement_views.my_acknowledgements, name="my_acknowledgements"),
    path("my/team/", acknowledgement_views.my_team, name="my_team"),
    path("my/archives/", archive_views.my_archives, name="my_archives"),
    path("verify/", verification_views.verify_lookup, name="verify_lookup"),
    path("verify/<str:code>/", verification_views.verify_document, name="verify_document"),
    path("records/contracts/<int:pk>/", record_views.record_contract, name="record_contract"),
    path(
        "records/archives/<int:pk>/", record_views.record_archive_item, name="record_archive_item"
    ),
    path(
        "sign/<int:assignment_id>/",
        acknowledgement_views.acknowledgement_sign_view,
        name="acknowledgement_sign",
    ),
    path(
        "sign/<int:assignment_id>/check/",
        acknowledgement_views.acknowledgement_quiz,
        name="acknowledgement_quiz",
    ),
    path(
        "signatures/<int:acknowledgement_id>/scan/",
        acknowledgement_views.proxy_scan,
        name="proxy_scan",
    ),
    path(
        "sign/<int:assignment_id>/receipt/",
        acknowledgement_views.acknowledgement_receipt,
        name="acknowledgement_receipt",
    ),
    path(
        "sign/<int:assignment_id>/receipt.pdf",
        acknowledgement_views.acknowledgement_receipt_pdf,
        name="acknowledgement_receipt_pdf",
    ),
    path("export/<int:page_id>/word/", document_views.document_docx, name="document_docx"),
    path("consultations/", consultation_views.consultation_list, name="consultation_list"),
    path(
        "consultations/<int:consultation_id>/",
        consultation_views.consultation_detail,
        name="consultation_detail",
    ),
    path("zhidu/as-of/", version_views.library_as_of, name="library_as_of"),
    path("zhidu/<str:number>/", version_views.document_history, name="document_history"),
    path(
        "zhidu/<str:number>/v/<str:version>/", version_views.version_detail, name="version_detail"
    ),
    path(
        "zhidu/<str:number>/v/<str:version>/word/", version_views.version_docx, name="version_docx"
    ),
    path(
        "zhidu/<str:number>/v/<str:version>/revision-notice.pdf",
        version_views.version_revision_notice_pdf,
        name="version_revision_notice_pdf",
    ),
    path(
        "zhidu/<str:number>/v/<str:version>/print.pdf",
        version_views.version_pdf,
        name="version_pdf",
    ),
    path(
        "zhidu/<str:number>/v/<str:version>/notice.pdf",
        version_views.version_notice_pdf,
        name="version_notice_pdf",
    ),
    path("zhidu/<str:number>/compare/", version_views.version_compare, name="version_compare"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            template_name="zhidu/login.html",
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("accounts/two-factor/", two_factor.two_factor, name="two_factor"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("search.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail serves the policy library and its pages last, below our own paths.
urlpatterns += [path("", include(wagtail_urls))]
