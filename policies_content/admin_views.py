"""Admin screens: import files, read an import's report, compare near-duplicates, export."""

import difflib

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, ListView
from wagtail.models import Page

from records.admin_views import AdminScreenMixin
from records.permissions import can_view

from .document_import import ImportFile, documents_import
from .forms import DocumentImportForm
from .import_report import action_label, kind_label, metadata_text
from .models import DocumentImportRun, NearDuplicate
from .stream import canonical_text, page_to_parsed
from .views import docx_response

IMPORT_PERMISSION = "policies_content.import_documents"


class DocumentImportView(PermissionRequiredMixin, AdminScreenMixin, FormView):
    permission_required = IMPORT_PERMISSION
    template_name = "policies_content/admin/import_form.html"
    form_class = DocumentImportForm
    page_title = gettext_lazy("Import regulations")
    header_icon = "upload"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["recent_runs"] = DocumentImportRun.objects.all()[:5]
        return context

    def form_valid(self, form):
        from django.conf import settings

        limit = settings.ZHIDU_DOCUMENT_IMPORT_MAX_BYTES
        files = [
            ImportFile(name=upload.name, data=upload.read(limit + 1), size=upload.size)
            for upload in form.cleaned_data["files"]
        ]
        run = documents_import(
            files=files, user=self.request.user, category=form.cleaned_data["category"]
        )
        return redirect("document_import_run", pk=run.pk)


class ImportRunListView(PermissionRequiredMixin, AdminScreenMixin, ListView):
    permission_required = IMPORT_PERMISSION
    template_name = "policies_content/admin/import_runs.html"
    model = DocumentImportRun
    paginate_by = 30
    page_title = gettext_lazy("Regulation imports")
    header_icon = "list-ul"


class ImportRunView(PermissionRequiredMixin, AdminScreenMixin, DetailView):
    permission_required = IMPORT_PERMISSION
    template_name = "policies_content/admin/import_run.html"
    model = DocumentImportRun
    context_object_name = "run"
    page_title = gettext_lazy("Import report")
    header_icon = "doc-full"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        files = []
        near = {(n.page_id, n.similar_to_id): n.pk for n in self.object.near_duplicates.all()}
        for file in self.object.report.get("files", []):
            documents = []
            for doc in file["documents"]:
                similar = doc.get("similar_to")
                documents.append(
                    {
                        **doc,
                        "action_label": action_label(doc["action"]),
                        "kind_label": kind_label(doc["kind"]),
                        "metadata_text": metadata_text(doc["metadata"]),
                        "edit_url": reverse("wagtailadmin_pages:edit", args=[doc["page_id"]])
                        if doc.get("page_id")
                        else "",
                        "compare_id": near.get((doc.get("page_id"), similar["page_id"]))
                        if similar
                        else None,
                    }
                )
            files.append({**file, "documents": documents})
        context["files"] = files
        return context


class NearDuplicateView(PermissionRequiredMixin, AdminScreenMixin, DetailView):
    """Two similar documents side by side, differences marked, to merge by hand."""

    permission_required = IMPORT_PERMISSION
    template_name = "policies_content/admin/compare.html"
    model = NearDuplicate
    context_object_name = "pair"
    page_title = gettext_lazy("Compare similar documents")
    header_icon = "doc-full"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        left = self.object.page.specific.get_latest_revision_as_object()
        right = self.object.similar_to.specific.get_latest_revision_as_object()
        if not (can_view(self.request.user, left) and can_view(self.request.user, right)):
            raise Http404
        context.update(
            left=left,
            right=right,
            rows=side_by_side(
                canonical_text(page_to_parsed(left)).splitlines(),
                canonical_text(page_to_parsed(right)).splitlines(),
            ),
        )
        return context

    def post(self, request, *args, **kwargs):
        pair = self.get_object()
        pair.resolved = True
        pair.save(update_fields=["resolved"])
        messages.success(request, _("Marked as reviewed."))
        return redirect("document_near_duplicates")


class NearDuplicateListView(PermissionRequiredMixin, AdminScreenMixin, ListView):
    permission_required = IMPORT_PERMISSION
    template_name = "policies_content/admin/near_duplicates.html"
    page_title = gettext_lazy("Similar documents to merge")
    header_icon = "doc-full"

    def get_queryset(self):
        pairs = NearDuplicate.objects.filter(resolved=False).select_related("page", "similar_to")
        user = self.request.user
        return [
            p
            for p in pairs
            if can_view(user, p.page.specific) and can_view(user, p.similar_to.specific)
        ]


def side_by_side(left: list[str], right: list[str]) -> list[dict]:
    """Rows of (left line, right line, changed?) aligned by difflib."""
    rows: list[dict] = []
    matcher = difflib.SequenceMatcher(a=left, b=right, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        a, b = left[i1:i2], right[j1:j2]
        for k in range(max(len(a), len(b))):
            rows.append(
                {
                    "left": a[k] if k < len(a) else "",
                    "right": b[k] if k < len(b) else "",
                    "changed": tag != "equal",
                }
            )
    return rows


@permission_required("wagtailadmin.access_admin")
def page_docx(request, page_id: int):
    """Editors' export: the newest draft of a page they may edit, as Word."""
    page = get_object_or_404(Page, pk=page_id).specific
    if not hasattr(page, "document_number") or not can_view(request.user, page):
        raise PermissionDenied
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return docx_response(page, latest=True, request=request)
