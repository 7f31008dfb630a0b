"""证据包 (evidence bundle): what an auditor, or a labour court, asks for about one employee
or one document over a period, in one ZIP that proves itself.

It holds the versions' PDFs, the 签收回执, the acknowledgement records as CSV, the audit
entries about them (with the result of the chain check at the time) and 清单.csv giving the
SHA-256 of every file. It is generated in the background (records.models.BackgroundBatch)
because a document signed by hundreds means hundreds of receipts.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from records.models import BackgroundBatch
from records.storage import private_storage


def bundle_file_path(instance, filename: str) -> str:
    return f"evidence/{instance.pk}/{filename}"


class EvidenceBundle(BackgroundBatch):
    """One bundle: its subject (an employee or a document), the period, and the ZIP."""

    employee = models.ForeignKey(
        "records.Employee",
        verbose_name=_("employee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    date_from = models.DateField(_("from"))
    date_to = models.DateField(_("to"))
    archive = models.FileField(
        _("ZIP file"), upload_to=bundle_file_path, storage=private_storage, blank=True
    )

    class Meta:
        verbose_name = _("evidence bundle")
        verbose_name_plural = _("evidence bundles")
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(employee__isnull=False, page__isnull=True)
                | models.Q(employee__isnull=True, page__isnull=False),
                name="evidence_bundle_one_subject",
            ),
            models.CheckConstraint(
                condition=models.Q(date_from__lte=models.F("date_to")),
                name="evidence_bundle_period",
            ),
        ]

    def __str__(self):
        return f"{self.subject_label} {self.date_from}–{self.date_to}"

    @property
    def subject_label(self) -> str:
        if self.employee_id:
            return str(self.employee)
        return self.page.title if self.page_id else ""
