"""法律保全: a legal hold on any record (an archive item, a contract, …).

Generic by content type and id, so any model can be held without knowing about holds. While a
hold is active (not released) the record may not be disposed of or deleted. Holds are never
deleted: releasing one records who, when and why, and both ends are audited.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LegalHold(models.Model):
    """One hold on one record, from placement to release."""

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("record type"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(_("record id"))
    held = GenericForeignKey("content_type", "object_id")
    object_label = models.CharField(_("record"), max_length=300)
    reason = models.TextField(_("reason"))
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("placed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    placed_at = models.DateTimeField(_("placed at"), default=timezone.now)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("released by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    release_reason = models.TextField(_("reason for release"), blank=True)

    class Meta:
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        ordering = ["-placed_at"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="legal_hold_target")]

    def __str__(self):
        return f"{self.object_label}: {self.reason[:40]}"

    @property
    def active(self) -> bool:
        return self.released_at is None
