"""The record of each import run, and near-duplicates waiting for HR to merge."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentImportRun(models.Model):
    """One import (upload or command): who, when, and the per-file report shown to HR.

    The report is kept as JSON because it is a record of what happened, read back as a whole.
    """

    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    report = models.JSONField(_("report"), default=dict)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    duplicate_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("document import")
        verbose_name_plural = _("document imports")
        ordering = ["-created_at"]
        permissions = [("import_documents", _("Can import regulations from files"))]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M}"


class NearDuplicate(models.Model):
    """Two documents with almost the same text (the same rule with small edits): imported
    both, flagged so HR can compare them side by side and merge."""

    run = models.ForeignKey(
        DocumentImportRun,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="near_duplicates",
    )
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    similar_to = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    similarity = models.FloatField(_("similarity"))
    resolved = models.BooleanField(_("resolved"), default=False)

    class Meta:
        verbose_name = _("near-duplicate")
        verbose_name_plural = _("near-duplicates")
        constraints = [
            models.UniqueConstraint(fields=["page", "similar_to"], name="near_duplicate_pair"),
        ]

    def __str__(self):
        return f"{self.page_id} ~ {self.similar_to_id} ({self.similarity:.0%})"
