"""签收回执 in bulk, on HR's tracking screens: ask for a version's (or a department's) receipts,
watch the batch advance, download the ZIP. Same permission and visibility as the tracking
screens (policies_content.acknowledgement_admin_views); the ZIP is an export, so the level's
handling rules apply and each request and download is audited."""

from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin import messages

from records.audit import actor_display_name, audit_record
from records.models import AuditAction, Department

from .acknowledgement_admin_views import (
    TrackingMixin,
    chosen_version,
    department_param,
    tracked_document,
)
from .confidentiality import handling_refused
from .models import ReceiptBatch
from .receipt_batches import (
    NothingToBatch,
    receipt_batch_continue,
    receipt_batch_request,
)


def _visible_batch(user, pk: int) -> ReceiptBatch:
    """The batch, if its version is one the user may track (else 404, as if it did not exist)."""
    batch = get_object_or_404(
        ReceiptBatch.objects.select_related("version", "department", "requested_by"), pk=pk
    )
    tracked_document(user, batch.version.page_id)
    chosen_version(user, batch.version.page_id, batch.version.url_version)
    return batch


class ReceiptBatchStartView(TrackingMixin, View):
    """POST: start the receipts of the chosen version (optionally of one department)."""

    def post(self, request, page_id: int):
        tracked_document(request.user, page_id)
        version, _versions = chosen_version(request.user, page_id, request.POST.get("version", ""))
        refused = handling_refused(request, level=version.classification, action="export")
        if refused is not None:
            return refused
        department_id = department_param(request.POST.get("department"))
        department = get_object_or_404(Department, pk=department_id) if department_id else None
        try:
            batch = receipt_batch_request(
                version=version, user=request.user, department=department, request=request
            )
        except NothingToBatch:
            messages.warning(request, _("Nobody has signed yet: there is no receipt to generate."))
            return redirect(
                reverse("acknowledgement_document", args=[page_id])
                + f"?version={version.url_version}"
            )
        return redirect("acknowledgement_receipt_batch", pk=batch.pk)


class ReceiptBatchView(TrackingMixin, TemplateView):
    """The batch's progress (live, polled as JSON) and, once ready, its ZIP."""

    template_name = "policies_content/admin/receipt_batch.html"

    @cached_property
    def batch(self) -> ReceiptBatch:
        return _visible_batch(self.request.user, self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "json":
            return JsonResponse(self.batch.status())
        return super().get(request, *args, **kwargs)

    def get_page_title(self):
        return _("Receipts: %(title)s %(version)s") % {
            "title": self.batch.version.title,
            "version": self.batch.version.version,
        }

    def get_context_data(self, **kwargs):
        batch = self.batch
        return super().get_context_data(
            batch=batch,
            version=batch.version,
            requested_by=actor_display_name(batch.requested_by) if batch.requested_by else "",
            count_text=_("%(done)s of %(total)s receipts")
            % {"done": batch.done, "total": batch.total},
            count_template=_("%(done)s of %(total)s receipts") % {"done": "DONE", "total": "TOTAL"},
            **kwargs,
        )


class ReceiptBatchContinueView(TrackingMixin, View):
    """POST: run a stopped or failed batch again, keeping the receipts it already has."""

    def post(self, request, pk: int):
        batch = _visible_batch(request.user, pk)
        if batch.state == ReceiptBatch.State.FAILED or batch.stalled:
            receipt_batch_continue(batch)
            messages.success(request, _("The batch continues where it stopped."))
        return redirect("acknowledgement_receipt_batch", pk=batch.pk)


class ReceiptBatchDownloadView(TrackingMixin, View):
    """The ZIP of a finished batch (audited as an export, with the ZIP's SHA-256)."""

    def get(self, request, pk: int):
        batch = _visible_batch(request.user, pk)
        if batch.state != ReceiptBatch.State.DONE or not batch.archive:
            raise Http404
        refused = handling_refused(request, level=batch.version.classification, action="export")
        if refused is not None:
            return refused
        audit_record(
            action=AuditAction.EXPORT,
            obj=batch.version,
            version=batch.version.version,
            details={"what": "receipts zip", "batch": batch.pk, "sha256": batch.sha256},
            request=request,
        )
        version = batch.version
        name = f"签收回执-{version.document_number}-{version.version}.zip"
        return FileResponse(
            batch.archive.open("rb"),
            as_attachment=True,
            filename=name,
            content_type="application/zip",
        )
