"""合同履行一览表: the performance ledger (obligations and milestones) and sent expiry reminders.

An obligation's state is not stored: it follows from its due date, its completion date and
today (``state``), so "overdue" is never stale.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .contracts import AMOUNT, Contract


class ObligationKind(models.TextChoices):
    DELIVERY = "delivery", _("Delivery")  # 交付
    PAYMENT = "payment", _("Payment")  # 付款
    ACCEPTANCE = "acceptance", _("Acceptance")  # 验收
    RENEWAL_NOTICE = "renewal_notice", _("Renewal notice")  # 续约通知
    OTHER = "other", _("Other")


class ObligationState(models.TextChoices):
    OPEN = "open", _("Open")
    OVERDUE = "overdue", _("Overdue")  # 逾期: not done and the due date has passed
    ON_TIME = "on_time", _("Done on time")
    LATE = "late", _("Done late")


class Obligation(models.Model):
    """One row of the performance ledger: what is to be done by when (and for how much), by
    whom, and — once done — when, for how much and with what evidence."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="obligations")
    kind = models.CharField(_("kind"), max_length=20, choices=ObligationKind.choices)
    description = models.CharField(_("description"), max_length=300)
    due_on = models.DateField(_("due date"))
    amount = models.DecimalField(
        _("amount"),
        **AMOUNT,
        null=True,
        blank=True,
        validators=[MinValueValidator(0, _("The amount cannot be negative."))],
    )
    responsible = models.ForeignKey(
        "records.Employee",
        verbose_name=_("responsible"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contract_obligations",
    )
    completed_on = models.DateField(_("completion date"), null=True, blank=True)
    completed_amount = models.DecimalField(
        _("amount completed"),
        **AMOUNT,
        null=True,
        blank=True,
        validators=[MinValueValidator(0, _("The amount cannot be negative."))],
    )
    completion_note = models.TextField(_("completion note or evidence"), blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["completed_on", "due_on"], name="obligation_open_due")]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.description}"

    def clean(self):
        """The due date lies within the contract period (up to the end date set by the last
        amendment); a completion is dated, not in the future and not before the signing."""
        errors = {}
        contract = self.contract
        today = timezone.localdate()
        ends_on = contract.latest_ends_on()
        if self.due_on and contract.starts_on and self.due_on < contract.starts_on:
            errors["due_on"] = _("The due date is before the contract starts.")
        elif self.due_on and ends_on and self.due_on > ends_on:
            errors["due_on"] = _("The due date is after the contract ends.")
        if self.completed_on:
            if self.completed_on > today:
                errors["completed_on"] = _("The completion date is in the future.")
            elif contract.signed_on and self.completed_on < contract.signed_on:
                errors["completed_on"] = _("The completion date is before the contract was signed.")
        elif self.completed_amount is not None or self.completion_note.strip():
            errors["completed_on"] = _("Give the completion date.")
        if errors:
            raise ValidationError(errors)

    def state(self, today: datetime.date | None = None) -> str:
        today = today or timezone.localdate()
        if self.completed_on:
            return (
                ObligationState.LATE if self.completed_on > self.due_on else ObligationState.ON_TIME
            )
        return ObligationState.OVERDUE if self.due_on < today else ObligationState.OPEN

    def state_label(self, today: datetime.date | None = None) -> str:
        return str(ObligationState(self.state(today)).label)


class ContractReminder(models.Model):
    """An expiry reminder sent: once per contract, threshold (90/30/7 days) and end date —
    an amendment that moves the end date starts the reminders afresh."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField(_("days before the end"))
    ends_on = models.DateField(_("end date"))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)
    recipient = models.EmailField(_("recipient"))

    class Meta:
        verbose_name = _("contract expiry reminder")
        verbose_name_plural = _("contract expiry reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "days_before", "ends_on"], name="contract_reminder_once"
            )
        ]

    def __str__(self):
        return f"{self.contract} −{self.days_before}"
