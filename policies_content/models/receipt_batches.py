"""签收回执 in bulk: every receipt of one version (or of one department) as a ZIP, generated in
the background with its progress on screen.

A company-wide rule has hundreds of signatures and each receipt is its own PDF with its own
verification code, so the batch runs as a task (django-tasks) and HR watch it advance. The work
is kept item by item: a worker stopped mid-batch resumes where it stopped, and the unique
(batch, assignment) pair means no receipt is generated twice.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from records.models import BackgroundBatch
from records.storage import private_storage


def batch_file_path(instance, filename: str) -> str:
    return f"receipt-batches/{instance.pk}/{filename}"


def item_file_path(instance, filename: str) -> str:
    return f"receipt-batches/{instance.batch_id}/items/{filename}"


class ReceiptBatch(BackgroundBatch):
    """One request for the receipts of a version: who asked, the scope, the progress, the ZIP.

    ``total`` is fixed when the batch is requested (the signatures then); the ZIP holds those
    receipts and a manifest with the SHA-256 of each file.
    """

    version = models.ForeignKey(
        "policies_content.IssuedVersion", on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "records.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    archive = models.FileField(
        _("ZIP file"), upload_to=batch_file_path, storage=private_storage, blank=True
    )

    class Meta:
        verbose_name = _("receipt batch")
        verbose_name_plural = _("receipt batches")
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.version} ({self.done}/{self.total})"


class ReceiptBatchItem(models.Model):
    """One receipt generated for a batch: its verification record and, until the ZIP is
    written, its file."""

    batch = models.ForeignKey(ReceiptBatch, on_delete=models.CASCADE, related_name="items")
    assignment = models.ForeignKey(
        "policies_content.Assignment", on_delete=models.PROTECT, related_name="+"
    )
    document = models.ForeignKey(
        "records.GeneratedDocument", on_delete=models.PROTECT, related_name="+"
    )
    pdf = models.FileField(upload_to=item_file_path, storage=private_storage, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["batch", "assignment"], name="one_receipt_per_batch")
        ]

    def __str__(self):
        return f"{self.batch_id}: {self.document_id}"
