"""Issued versions: what a compliance team means by a version (ISO 9001 §7.5).

Wagtail revisions are drafts. An IssuedVersion is created when an approved revision is
published: numbered (V1.0 → V1.1 minor, → V2.0 major), with its 修订说明, a frozen copy of the
text, the SHA-256 of that text, who prepared, reviewed and approved it and when, and the dates
it was in force. Rows are append-only: nothing may change or delete one, so what staff signed
and what an auditor reads years later are the same text.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from records.confidentiality import level_choices


class ChangeKind(models.TextChoices):
    MAJOR = "major", _("Major (everyone signs again)")
    MINOR = "minor", _("Minor or editorial")


class IssuedVersionQuerySet(models.QuerySet):
    def in_force_on(self, day: datetime.date):
        """The versions in force on ``day``: started on or before it, not yet stopped."""
        return self.filter(effective_date__lte=day).filter(
            Q(superseded_on__isnull=True) | Q(superseded_on__gt=day)
        )

    def scheduled(self, day: datetime.date | None = None):
        return self.filter(effective_date__gt=day or timezone.localdate())


class IssuedVersion(models.Model):
    """One issued version of a regulation or job description; read-only once written."""

    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")  # 待生效
        IN_FORCE = "in_force", _("In force")  # 现行有效
        SUPERSEDED = "superseded", _("Superseded")  # 被替代
        REPEALED = "repealed", _("Repealed")  # 已废止

    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        related_name="issued_versions",
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    document_number = models.CharField(_("document number"), max_length=60)
    title = models.CharField(_("title"), max_length=255)
    major = models.PositiveIntegerField()
    minor = models.PositiveIntegerField()
    change_kind = models.CharField(_("change"), max_length=5, choices=ChangeKind.choices)
    change_summary = models.TextField(_("change summary"))
    classification = models.PositiveSmallIntegerField(
        _("confidentiality level"), choices=level_choices
    )
    # Need-to-know department ids as they stood when the version was issued (empty: none).
    need_to_know = models.JSONField(_("need-to-know departments"), default=list, blank=True)
    content = models.JSONField(_("frozen content"))
    canonical_text = models.TextField()
    sha256 = models.CharField(_("SHA-256 of the text"), max_length=64)
    approvals = models.JSONField(_("approval chain"), default=list)
    consultation = models.JSONField(_("consultation record"), null=True, blank=True)
    effective_date = models.DateField(_("effective date"))
    superseded_on = models.DateField(_("no longer in force from"), null=True, blank=True)
    repealed = models.BooleanField(_("repealed"), default=False)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = IssuedVersionQuerySet.as_manager()
    # The field records.permissions.visible_to filters on for need-to-know.
    need_to_know_field = "need_to_know"

    class Meta:
        verbose_name = _("issued version")
        verbose_name_plural = _("issued versions")
        ordering = ["page_id", "major", "minor"]
        constraints = [
            models.UniqueConstraint(fields=["page", "major", "minor"], name="one_version_number"),
        ]
        indexes = [models.Index(fields=["effective_date", "superseded_on"])]

    def __str__(self):
        return f"{self.document_number} {self.version}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("An issued version cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("An issued version cannot be deleted."))

    @property
    def version(self) -> str:
        return f"V{self.major}.{self.minor}"

    def need_to_know_department_ids(self) -> set[int]:
        return set(self.need_to_know or [])

    @property
    def url_version(self) -> str:
        return f"{self.major}.{self.minor}"

    def state(self, day: datetime.date | None = None) -> str:
        day = day or timezone.localdate()
        if self.effective_date > day:
            return self.State.SCHEDULED
        if self.superseded_on is None or self.superseded_on > day:
            return self.State.IN_FORCE
        return self.State.REPEALED if self.repealed else self.State.SUPERSEDED

    def get_state_display(self) -> str:
        return str(self.State(self.state()).label)

    def close(self, *, on: datetime.date, repealed: bool = False) -> None:
        """The only change ever made to a version: the day it stops being in force."""
        IssuedVersion.objects.filter(pk=self.pk, superseded_on__isnull=True).update(
            superseded_on=on, repealed=repealed
        )
        self.superseded_on, self.repealed = on, repealed


class Repeal(models.Model):
    """废止: a document taken out of force, with its reason and, optionally, its successor."""

    page = models.OneToOneField("wagtailcore.Page", on_delete=models.PROTECT, related_name="repeal")
    repealed_on = models.DateField(_("repealed from"))
    reason = models.TextField(_("reason"))
    successor = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("successor document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("repeal")
        verbose_name_plural = _("repeals")

    def __str__(self):
        return f"{self.page_id} {self.repealed_on}"


class ReviewRecord(models.Model):
    """A periodic review that found no change needed (复审): an event, not a new version."""

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="review_records"
    )
    reviewed_on = models.DateField(_("reviewed on"), default=timezone.localdate)
    note = models.TextField(_("note"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("review record")
        verbose_name_plural = _("review records")
        ordering = ["-reviewed_on"]

    def __str__(self):
        return f"{self.page_id} {self.reviewed_on}"


class ReviewReminder(models.Model):
    """The list of documents due for review e-mailed to one policy editor on one day.

    At most one a day per editor (``manage.py reviews_remind`` may run again, or be run again
    after it stopped half-way): the row is written in the transaction that sends the e-mail.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    sent_on = models.DateField(_("sent on"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    documents = models.PositiveIntegerField(_("documents listed"), default=0)

    class Meta:
        verbose_name = _("review reminder")
        verbose_name_plural = _("review reminders")
        constraints = [
            models.UniqueConstraint(fields=["user", "sent_on"], name="review_reminder_once_a_day")
        ]

    def __str__(self):
        return f"{self.user_id} {self.sent_on}"
