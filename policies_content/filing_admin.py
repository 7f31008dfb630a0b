"""Admin screen and wiring: file a document's superseded versions as archive items (归档).

Reached from the document's header buttons ("File superseded versions") by those who may file
(records.add_archiveitem) and edit the document. Lists every issued version with its state and,
once filed, its 档号."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.widgets.button import Button
from wagtail.models import Page

from records.admin_views import AdminScreenMixin
from records.filing import already_filed

from .filing import version_filable, version_file
from .models import IssuedVersion

FILE_PERMISSION = "records.add_archiveitem"


class VersionFilingView(PermissionRequiredMixin, AdminScreenMixin, TemplateView):
    permission_required = FILE_PERMISSION
    template_name = "policies_content/admin/version_filing.html"
    page_title = gettext_lazy("File superseded versions")
    header_icon = "folder-open-inverse"

    def dispatch(self, request, *args, **kwargs):
        self.page = get_object_or_404(Page, pk=kwargs["page_id"]).specific
        if not hasattr(self.page, "document_number"):
            raise PermissionDenied
        if (
            request.user.is_authenticated
            and not self.page.permissions_for_user(request.user).can_edit()
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.page.title

    def get_context_data(self, **kwargs):
        rows = [
            {"version": v, "filable": version_filable(v), "item": already_filed(v)}
            for v in IssuedVersion.objects.filter(page_id=self.page.pk).order_by("major", "minor")
        ]
        return super().get_context_data(page=self.page, rows=rows, **kwargs)

    def post(self, request, page_id):
        version = get_object_or_404(
            IssuedVersion, pk=request.POST.get("version") or 0, page_id=self.page.pk
        )
        try:
            item = version_file(version=version, user=request.user, request=request)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("%(version)s is filed as %(code)s.")
                % {"version": version, "code": item.archival_code},
            )
        return redirect("document_version_filing", self.page.pk)


@hooks.register("register_admin_urls")
def version_filing_urls():
    return [
        path(
            "regulations/<int:page_id>/filing/",
            VersionFilingView.as_view(),
            name="document_version_filing",
        )
    ]


@hooks.register("register_page_header_buttons")
def version_filing_button(page, user, view_name, next_url=None):
    if not user.has_perm(FILE_PERMISSION):
        return
    if not IssuedVersion.objects.filter(page_id=page.pk, superseded_on__isnull=False).exists():
        return
    yield Button(
        _("File superseded versions"),
        reverse("document_version_filing", args=[page.pk]),
        icon_name="folder-open-inverse",
        priority=95,
    )
