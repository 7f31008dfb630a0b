"""Admin wiring for the policy library: import, reports, near-duplicates, numbering, Word."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import SubmenuMenuItem
from wagtail.admin.widgets.button import Button
from wagtail.models import Page
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from records.admin_menu import PermissionMenuItem

from . import (
    acknowledgement_hooks,  # noqa: F401  registers the acknowledgement-tracking admin hooks
    admin_access,
    admin_views,
    approval_views,
    control_hooks,  # noqa: F401  registers the document-control admin hooks
    dashboard,
    filing_admin,  # noqa: F401  registers filing superseded versions as archive items
)
from .models import ApprovalRoute, DocumentNumberScheme

IMPORT_PERMISSION = admin_views.IMPORT_PERMISSION

# The access policy in the admin: before anything asks Wagtail for the page policy.
register_permission_policy(Page, admin_access.ClearancePagePermissionPolicy(Page))
hooks.register("construct_homepage_panels", admin_access.filtered_homepage_panels)
# The dashboard: approvals, acknowledgements, reviews and imports (policies_content.dashboard).
hooks.register("construct_homepage_panels", dashboard.document_homepage_panels)
hooks.register("construct_reports_menu", admin_access.reports_menu)
hooks.register("construct_page_chooser_queryset", admin_access.chooser_queryset)
hooks.register("construct_explorer_page_queryset", admin_access.explorer_queryset)


@hooks.register("register_admin_urls")
def register_library_urls():
    return [
        path(
            "regulations/import/", admin_views.DocumentImportView.as_view(), name="document_import"
        ),
        path(
            "regulations/imports/",
            admin_views.ImportRunListView.as_view(),
            name="document_import_runs",
        ),
        path(
            "regulations/imports/<int:pk>/",
            admin_views.ImportRunView.as_view(),
            name="document_import_run",
        ),
        path(
            "regulations/similar/",
            admin_views.NearDuplicateListView.as_view(),
            name="document_near_duplicates",
        ),
        path(
            "regulations/similar/<int:pk>/",
            admin_views.NearDuplicateView.as_view(),
            name="document_near_duplicate",
        ),
        path("regulations/<int:page_id>/word/", admin_views.page_docx, name="document_admin_docx"),
    ]


class DocumentNumberSchemeViewSet(SnippetViewSet):
    model = DocumentNumberScheme
    icon = "order"
    menu_label = _("Document number schemes")
    add_to_admin_menu = False
    list_display = ["name", "pattern", "prefix", "example", "is_default"]


register_snippet(DocumentNumberSchemeViewSet)


@hooks.register("register_admin_menu_item")
def register_library_menu():
    from wagtail.admin.menu import Menu

    items = [
        PermissionMenuItem(
            _("Import regulations"),
            reverse("document_import"),
            icon_name="upload",
            order=10,
            permission=IMPORT_PERMISSION,
        ),
        PermissionMenuItem(
            _("Import reports"),
            reverse("document_import_runs"),
            icon_name="list-ul",
            order=20,
            permission=IMPORT_PERMISSION,
        ),
        PermissionMenuItem(
            _("Similar documents"),
            reverse("document_near_duplicates"),
            icon_name="doc-full",
            order=30,
            permission=IMPORT_PERMISSION,
        ),
        PermissionMenuItem(
            _("Document number schemes"),
            reverse("wagtailsnippets_policies_content_documentnumberscheme:list"),
            icon_name="order",
            order=40,
            permission="policies_content.change_documentnumberscheme",
        ),
    ]
    return SubmenuMenuItem(
        _("Regulation library"), Menu(items=items), icon_name="doc-full", order=200
    )


def _word_button(page, user):
    specific = page.specific_deferred if hasattr(page, "specific_deferred") else page.specific
    if hasattr(specific, "document_number") and page.permissions_for_user(user).can_edit():
        return Button(
            _("Export to Word"),
            reverse("document_admin_docx", args=[page.pk]),
            icon_name="download",
            priority=90,
        )
    return None


@hooks.register("register_page_header_buttons")
def word_header_button(page, user, view_name, next_url=None):
    button = _word_button(page, user)
    if button:
        yield button


@hooks.register("register_page_listing_more_buttons")
def word_listing_button(page, user, next_url=None):
    button = _word_button(page, user)
    if button:
        yield button


# --- Approval workflow: the approval matrix, and approvals waiting and overdue ---------------


class ApprovalRouteViewSet(SnippetViewSet):
    """审批矩阵: HR choose each grade's (and category's) workflow without code."""

    model = ApprovalRoute
    icon = "tasks"
    menu_label = _("Approval routes")
    add_to_admin_menu = False
    list_display = ["grade", "category", "workflow"]
    list_filter = ["grade"]


register_snippet(ApprovalRouteViewSet)


@hooks.register("register_admin_urls")
def register_approval_urls():
    return [
        path(
            "regulations/approvals/",
            approval_views.ApprovalListView.as_view(),
            name="document_approvals",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_approvals_menu():
    return PermissionMenuItem(
        _("Approvals waiting"),
        reverse("document_approvals"),
        icon_name="tasks",
        order=210,
        permission=approval_views.APPROVALS_PERMISSION,
    )
