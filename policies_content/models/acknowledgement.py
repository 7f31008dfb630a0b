"""分发 and 签收: who must read which issued version, and the signatures that prove they did.

An **Assignment** asks one employee to acknowledge one issued version by a due date. It moves
through states (open → signed, or covered by the signature on the major version a minor one
revises, or closed unsigned when a newer version replaces it or the employee leaves); it is
never deleted, so "who was asked, when, and what became of it" stays answerable.

An **Acknowledgement** is the evidence: the signature manifestation (printed name, 工号, time,
meaning, version, SHA-256 of the text signed), self-signed with the employee's password or
recorded by HR from a paper signature (代签, always marked as such). It is append-only: the ORM
refuses to change or delete one and database triggers (migration 0009) refuse it too; one per
employee per version, by a unique constraint, so a double submit cannot make two.
"""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.models import Orderable

from records.storage import private_storage


class AssignmentState(models.TextChoices):
    OPEN = "open", _("Waiting for signature")  # 待签
    SIGNED = "signed", _("Signed")  # 已签
    COVERED = "covered", _("Covered by the signature on the major version")
    SUPERSEDED = "superseded", _("Replaced by a newer version before signing")
    DEPARTED = "departed", _("Left the company")  # 离职
    REPEALED = "repealed", _("Document repealed before signing")  # 废止


class AssignmentQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state=AssignmentState.OPEN)

    def overdue(self, today=None):
        return self.open().filter(due_on__lt=today or timezone.localdate())


class Assignment(models.Model):
    """One employee asked to read and sign one issued version (see the module docstring)."""

    version = models.ForeignKey(
        "policies_content.IssuedVersion",
        verbose_name=_("version"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("document"), on_delete=models.PROTECT, related_name="+"
    )
    employee = models.ForeignKey(
        "records.Employee",
        verbose_name=_("employee"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    # The department when assigned: completion by department stays as it was at the time.
    department = models.ForeignKey(
        "records.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)
    due_on = models.DateField(_("due on"))
    state = models.CharField(
        _("state"), max_length=12, choices=AssignmentState.choices, default=AssignmentState.OPEN
    )
    opened_at = models.DateTimeField(_("first opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    covered_by = models.ForeignKey(
        "policies_content.Acknowledgement",
        verbose_name=_("covered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated to manager at"), null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "employee"], name="one_assignment_per_version"
            )
        ]
        indexes = [
            models.Index(fields=["employee", "state", "due_on"], name="assignment_employee_state"),
            models.Index(fields=["version", "department", "state"], name="assignment_version_dept"),
            models.Index(fields=["state", "due_on"], name="assignment_state_due"),
        ]
        permissions = [
            ("track_acknowledgements", _("Can track acknowledgements, chase and record proxies")),
        ]

    def __str__(self):
        return f"{self.employee} · {self.version}"

    @property
    def is_overdue(self) -> bool:
        return self.state == AssignmentState.OPEN and self.due_on < timezone.localdate()

    def signature(self):
        """The acknowledgement that answers this request: its own (signed or 代签), or the
        major version's that covers it; None while unsigned."""
        try:
            return self.acknowledgement
        except ObjectDoesNotExist:
            return self.covered_by


class AcknowledgementKind(models.TextChoices):
    SELF = "self", _("Signed by the employee")
    PROXY = "proxy", _("Paper signature recorded by HR (proxy)")  # 代签


class AcknowledgementChanged(Exception):
    """Raised when code tries to change or delete an acknowledgement."""


class AcknowledgementQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AcknowledgementChanged("Acknowledgements are append-only.")

    def delete(self):
        raise AcknowledgementChanged("Acknowledgements are append-only.")

    update.queryset_only = True
    delete.queryset_only = True


def proxy_scan_path(instance, filename: str) -> str:
    """One folder per employee; the version and the assignment make each name unique."""
    stamp = f"{timezone.now():%Y%m%d%H%M%S}"
    return (
        f"acknowledgements/{instance.employee_number}/"
        f"{instance.version_id}-{instance.assignment_id}-{stamp}-{filename}"
    )


class Acknowledgement(models.Model):
    """签收: the signature manifestation, bound to the exact text signed (module docstring)."""

    assignment = models.OneToOneField(
        Assignment, on_delete=models.PROTECT, related_name="acknowledgement"
    )
    version = models.ForeignKey(
        "policies_content.IssuedVersion", on_delete=models.PROTECT, related_name="acknowledgements"
    )
    employee = models.ForeignKey(
        "records.Employee", on_delete=models.PROTECT, related_name="acknowledgements"
    )
    kind = models.CharField(_("kind"), max_length=5, choices=AcknowledgementKind.choices)
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)
    # The manifestation, copied so it reads the same whatever later happens to the records.
    printed_name = models.CharField(_("printed name"), max_length=100)
    employee_number = models.CharField(_("employee number"), max_length=32)
    statement = models.TextField(_("statement signed"))
    meaning = models.CharField(_("meaning of the signature"), max_length=200)
    version_label = models.CharField(_("version"), max_length=20)
    text_sha256 = models.CharField(_("SHA-256 of the text signed"), max_length=64)
    ip = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    quiz_score = models.PositiveSmallIntegerField(_("comprehension check score"), null=True)
    # 代签 only
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    proxy_reason = models.TextField(_("reason for the proxy"), blank=True)
    proxy_scan = models.FileField(
        _("scan of the paper signature"),
        upload_to=proxy_scan_path,
        storage=private_storage,
        blank=True,
    )

    objects = AcknowledgementQuerySet.as_manager()
    # Not stored: set by policies_content.acknowledging on what a signing call returns — True
    # when the signature was there already (a double submit), so the page can say so.
    already_signed = False

    class Meta:
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "version"], name="one_acknowledgement_per_version"
            )
        ]
        indexes = [models.Index(fields=["version", "signed_at"], name="ack_version_signed")]

    def __str__(self):
        return f"{self.printed_name} {self.employee_number} · {self.version_label}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AcknowledgementChanged("Acknowledgements are append-only.")
        if self.kind == AcknowledgementKind.PROXY and not (self.proxy_reason and self.proxy_scan):
            raise ValidationError(_("A proxy acknowledgement needs a reason and a scan."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AcknowledgementChanged("Acknowledgements are append-only.")

    @property
    def is_proxy(self) -> bool:
        return self.kind == AcknowledgementKind.PROXY


class ComprehensionQuestion(Orderable):
    """One question of a regulation's optional comprehension check (理解测试)."""

    page = ParentalKey(
        "policies_content.RegulationPage", on_delete=models.CASCADE, related_name="quiz_questions"
    )
    question = models.CharField(_("question"), max_length=300)
    choices = models.TextField(_("choices"), help_text=_("One answer per line."))
    answer = models.PositiveSmallIntegerField(
        _("correct answer"), help_text=_("The number of the correct line, counting from 1.")
    )

    class Meta(Orderable.Meta):
        verbose_name = _("comprehension question")
        verbose_name_plural = _("comprehension questions")

    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    def clean(self):
        if not 1 <= self.answer <= len(self.choice_list()):
            raise ValidationError({"answer": _("Pick the number of one of the choices.")})


class QuizAttempt(models.Model):
    """One try at a comprehension check; kept whether passed or failed."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.PROTECT, related_name="quiz_attempts"
    )
    at = models.DateTimeField(default=timezone.now)
    score = models.PositiveSmallIntegerField(_("score (%)"))
    passed = models.BooleanField(_("passed"))
    answers = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("comprehension check attempt")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.assignment} · {self.score}%"


class Chase(models.Model):
    """催办: a reminder HR sent by hand to the unsigned readers of a document (or of one of its
    departments). Kept to rate-limit chasing and to show who chased whom."""

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        "records.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    reminded = models.PositiveIntegerField(_("people reminded"), default=0)

    class Meta:
        verbose_name = _("chase")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.page_id} · {self.at:%Y-%m-%d %H:%M}"
