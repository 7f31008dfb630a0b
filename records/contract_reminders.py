"""Expiry reminders (到期提醒) to each contract's owner, and the daily status refresh.

Run daily by ``manage.py contracts_remind``. For each threshold in ZHIDU_CONTRACT_REMIND_DAYS
(default "90,30,7"), a signed, not terminated contract whose end date in force is within that
many days gets one e-mail to its owner — once per (contract, threshold, end date), recorded in
``ContractReminder``; a run that finds a contract within 7 days sends only the 7-day reminder
(the nearest threshold), not three at once. An amendment that moves the end date starts the
reminders afresh. Owners who left, have no mailbox or may no longer see the contract (the access
policy) get nothing. The record is written in the transaction that sends, so a failed send is
tried again on the next run.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from records.contracts import contract_statuses_refresh
from records.models import Contract, ContractReminder, Employee
from records.permissions import can_view
from records.user_language import user_language

logger = logging.getLogger(__name__)


@dataclass
class ContractReminderRun:
    sent: int = 0
    failed: int = 0
    statuses_changed: int = 0


def remind_days() -> list[int]:
    """The thresholds, largest first (ZHIDU_CONTRACT_REMIND_DAYS, e.g. "90,30,7")."""
    raw = getattr(settings, "ZHIDU_CONTRACT_REMIND_DAYS", "90,30,7")
    if isinstance(raw, str):
        raw = [part for part in raw.replace(" ", "").split(",") if part]
    return sorted({int(day) for day in raw if int(day) >= 0}, reverse=True)


def _mail(contract: Contract, ends_on: datetime.date, days_left: int, user):
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    with translation.override(user_language(user)):
        context = {
            "name": contract.owner.name,
            "title": contract.title,
            "number": contract.contract_number,
            "counterparty": contract.counterparty,
            "date": ends_on.isoformat(),
            "days": days_left,
            "url": base + reverse("contract_ledger", args=[contract.pk]),
        }
        subject = _("Contract expires in %(days)d day(s): %(title)s") % context
        body = (
            _(
                "%(name)s,\n\nthe contract “%(title)s” (%(number)s) with %(counterparty)s ends on "
                "%(date)s, in %(days)d day(s). Please decide on renewal or termination in time.\n\n"
                "%(url)s\n"
            )
            % context
        )
    return subject, body


def contracts_remind(*, today: datetime.date | None = None) -> ContractReminderRun:
    """Refresh statuses, then send the reminders due today (see the module docstring)."""
    today = today or timezone.localdate()
    run = ContractReminderRun(statuses_changed=contract_statuses_refresh(today=today))
    thresholds = remind_days()
    if not thresholds:
        return run
    contracts = (
        Contract.objects.exclude(signed_on__isnull=True)
        .exclude(terminated_on__lte=today)
        .select_related("owner__user")
        .prefetch_related("amendments")
    )
    for contract in contracts:
        ends_on = contract.terms_on(today).ends_on
        if ends_on is None or ends_on < today:
            continue
        days_left = (ends_on - today).days
        reached = [days for days in thresholds if days_left <= days]
        if not reached:
            continue
        threshold = reached[-1]  # the nearest threshold reached
        owner, user = contract.owner, contract.owner.user
        if owner.status != Employee.Status.ACTIVE or not user.is_active or not user.email:
            continue
        if not can_view(user, contract):
            continue
        if ContractReminder.objects.filter(
            contract=contract, days_before=threshold, ends_on=ends_on
        ).exists():
            continue
        try:
            with transaction.atomic():
                ContractReminder.objects.create(
                    contract=contract, days_before=threshold, ends_on=ends_on, recipient=user.email
                )
                subject, body = _mail(contract, ends_on, days_left, user)
                send_mail(subject, body, None, [user.email])
        except IntegrityError:  # a concurrent run sent it
            continue
        except Exception:
            logger.exception("contract expiry reminder for contract %s failed", contract.pk)
            run.failed += 1
            continue
        run.sent += 1
    return run
