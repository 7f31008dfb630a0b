"""签收回执 in bulk (models.receipt_batches): request a batch, run it item by item, write the ZIP.

``receipt_batch_request`` checks and records the request (audited as an export) and starts the
task after commit; ``receipt_batch_run`` is the task's body. Each receipt is generated and kept
in its own transaction, so an interrupted run keeps what it finished and the next run carries
on; the ZIP is written once every receipt exists, with 清单.csv naming each file, its
verification code and its SHA-256.
"""

import hashlib
import io
import logging
import zipfile

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from records.audit import audit_record
from records.background import batch_continue, run_in_background
from records.models import AuditAction
from records.spreadsheet import csv_text

from .models import Assignment, IssuedVersion, ReceiptBatch, ReceiptBatchItem
from .receipt_pdf import receipt_pdf

logger = logging.getLogger(__name__)


class NothingToBatch(Exception):
    """Nobody in the scope has signed: there is no receipt to generate."""


def receipt_targets(*, version: IssuedVersion, department=None):
    """The assignments of ``version`` with a signature (their own, a 代签, or the major
    version's that covers them), in department then 工号 order."""
    rows = Assignment.objects.filter(version=version).filter(
        Q(acknowledgement__isnull=False) | Q(covered_by__isnull=False)
    )
    if department is not None:
        rows = rows.filter(department_id__in=department.descendant_ids())
    return rows.select_related(
        "version", "employee", "department", "acknowledgement", "covered_by"
    ).order_by("department__sort_order", "department__code", "employee__employee_number", "pk")


def receipt_batch_request(*, version: IssuedVersion, user, department=None, request=None):
    """Start generating the receipts of ``version`` (one department's, with those below it,
    when given) for ``user``. A batch of the same scope still running is returned instead of
    starting a second one."""
    from .tasks import receipt_batch_task

    running = ReceiptBatch.objects.filter(
        version=version,
        department=department,
        state__in=[ReceiptBatch.State.QUEUED, ReceiptBatch.State.RUNNING],
    ).first()
    if running is not None:
        return running
    total = receipt_targets(version=version, department=department).count()
    if not total:
        raise NothingToBatch
    with transaction.atomic():
        batch = ReceiptBatch.objects.create(
            version=version, department=department, requested_by=user, total=total
        )
        audit_record(
            action=AuditAction.EXPORT,
            obj=version,
            version=version.version,
            details={
                "what": "receipts",
                "batch": batch.pk,
                "receipts": total,
                "department": department.name if department else "",
            },
            request=request,
        )
        transaction.on_commit(lambda: run_in_background(receipt_batch_task, batch.pk))
    return batch


def receipt_batch_continue(batch: ReceiptBatch) -> None:
    """Run a stopped or failed batch again: it keeps the receipts already generated."""
    from .tasks import receipt_batch_task

    batch_continue(batch, receipt_batch_task)


def _file_name(assignment: Assignment) -> str:
    version, employee = assignment.version, assignment.employee
    return f"签收回执-{version.document_number}-{version.version}-{employee.employee_number}.pdf"


def _generate_one(batch: ReceiptBatch, assignment: Assignment) -> None:
    with transaction.atomic():
        issued = receipt_pdf(
            assignment=assignment,
            acknowledgement=assignment.signature(),
            user=batch.requested_by,
        )
        item = ReceiptBatchItem(batch=batch, assignment=assignment, document=issued.record)
        item.pdf.save(_file_name(assignment), ContentFile(issued.pdf), save=False)
        item.save()
        ReceiptBatch.objects.filter(pk=batch.pk).update(
            done=F("done") + 1, progress_at=timezone.now()
        )


def _manifest(items) -> bytes:
    """清单.csv (UTF-8 with BOM, for Excel): one row per receipt."""
    header = [
        _("File name"),
        _("Employee number"),
        _("Name"),
        _("Department"),
        _("Signed at"),
        _("Signature"),
        _("Verification code"),
        "SHA-256",
    ]
    rows = []
    for item, name in items:
        assignment = item.assignment
        signature = assignment.signature()
        rows.append(
            [
                name,
                assignment.employee.employee_number,
                signature.printed_name,
                assignment.department.name,
                timezone.localtime(signature.signed_at).strftime("%Y-%m-%d %H:%M:%S"),
                signature.get_kind_display(),
                item.document.code,
                item.document.sha256,
            ]
        )
    return csv_text(header, rows).encode("utf-8")


def _write_archive(batch: ReceiptBatch) -> None:
    items = list(
        batch.items.select_related(
            "document",
            "assignment__employee",
            "assignment__department",
            "assignment__version",
            "assignment__acknowledgement",
            "assignment__covered_by",
        ).order_by("assignment__department__sort_order", "assignment__employee__employee_number")
    )
    named = [(item, _file_name(item.assignment)) for item in items]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item, name in named:
            with item.pdf.open("rb") as handle:
                archive.writestr(name, handle.read())
        archive.writestr("清单.csv", _manifest(named))
    data = buffer.getvalue()
    version = batch.version
    name = f"签收回执-{version.document_number}-{version.version}.zip"
    with transaction.atomic():
        batch.archive.save(name, ContentFile(data), save=False)
        batch.sha256 = hashlib.sha256(data).hexdigest()
        batch.state = ReceiptBatch.State.DONE
        batch.finished_at = timezone.now()
        batch.save(update_fields=["archive", "sha256", "state", "finished_at"])
    for item, _name in named:  # the ZIP holds them now
        item.pdf.delete(save=False)
    ReceiptBatchItem.objects.filter(batch=batch).update(pdf="")


def receipt_batch_run(batch_id: int) -> ReceiptBatch | None:
    """Generate what a batch still lacks, then its ZIP. Safe to run again at any point."""
    batch = ReceiptBatch.objects.select_related("version", "department", "requested_by").filter(
        pk=batch_id
    )
    batch = batch.first()
    if batch is None or batch.state == ReceiptBatch.State.DONE:
        return batch
    done = set(batch.items.values_list("assignment_id", flat=True))
    remaining = [
        a
        for a in receipt_targets(version=batch.version, department=batch.department)
        if a.pk not in done
    ]
    ReceiptBatch.objects.filter(pk=batch.pk).update(
        state=ReceiptBatch.State.RUNNING,
        total=len(done) + len(remaining),
        done=len(done),
        progress_at=timezone.now(),
    )
    try:
        if batch.requested_by is None:
            raise RuntimeError(_("The user who asked for these receipts no longer exists."))
        for assignment in remaining:
            _generate_one(batch, assignment)
        batch.refresh_from_db()
        _write_archive(batch)
    except Exception as error:
        logger.exception("receipt batch %s failed", batch.pk)
        ReceiptBatch.objects.filter(pk=batch.pk).update(
            state=ReceiptBatch.State.FAILED, error=str(error)[:2000], progress_at=timezone.now()
        )
    batch.refresh_from_db()
    return batch
