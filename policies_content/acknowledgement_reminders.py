"""Reminders (催办) about unsigned documents: to the employee before the due date and while
overdue, and to their manager once an assignment is long overdue.

Run daily by ``manage.py acknowledgements_remind``. Each employee gets **one** e-mail listing
their open assignments due within ZHIDU_ACK_REMIND_DAYS_BEFORE days or already overdue (marked
as such), at most once a day per assignment (``Assignment.reminded_at``). Once an assignment is
ZHIDU_ACK_ESCALATE_AFTER_DAYS days overdue, the employee's manager (Employee.manager) is told,
once per assignment (``Assignment.escalated_at``), in one e-mail listing all such reports.

Who is left out: departed employees and logins that are disabled or have no e-mail address
(the same for managers), and documents the recipient may not read (records.permissions): a
reminder must not reveal the title of a document above someone's clearance. Every e-mail is
written in its recipient's language. The timestamps are set in the same transaction as the
mail is sent, and only for the assignments listed in it: a failed send leaves them unset, so
the next run tries again, and a run stopped half-way (the worker told to stop) and run again
sends only what it had not sent. The one case left: a mail the server accepted in the instant
before the commit failed goes again the next time — recording it first instead would lose the
reminder altogether when the send then failed.
"""

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from records.models import Employee
from records.permissions import can_view
from records.user_language import user_language

from .acknowledgement_selectors import VERSION_TEXT_FIELDS
from .models import Assignment, AssignmentState

logger = logging.getLogger(__name__)


@dataclass
class ReminderRun:
    """What one run sent: e-mails and the assignments they listed."""

    sent: int = 0  # e-mails to employees
    reminded: int = 0  # assignments listed in them
    escalated: int = 0  # e-mails to managers
    escalated_assignments: int = 0
    failed: int = 0  # e-mails that could not be sent (retried on the next run)


def remind_days_before() -> int:
    return settings.ZHIDU_ACK_REMIND_DAYS_BEFORE


def escalate_after_days() -> int:
    return settings.ZHIDU_ACK_ESCALATE_AFTER_DAYS


def _absolute(path: str) -> str:
    return f"{getattr(settings, 'WAGTAILADMIN_BASE_URL', '').rstrip('/')}{path}"


def sign_url(assignment: Assignment) -> str:
    """Where the employee reads and signs this assignment."""
    return _absolute(reverse("acknowledgement_sign", args=[assignment.pk]))


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _mailbox(employee: Employee):
    """The employee's login if mail can reach them there, else None."""
    user = employee.user
    if employee.status != Employee.Status.ACTIVE or not user.is_active or not user.email:
        return None
    return user


def _deliver(*, recipient: Employee, items, condition: Q, field: str, now, compose) -> int:
    """One e-mail to ``recipient`` listing those of ``items`` they may read and that still need
    it (``condition``); ``field`` is set on exactly those, in the transaction that sends.

    Returns how many assignments the e-mail listed (0: nothing sent). Rows are locked first,
    so a concurrent run waits (PostgreSQL) and then finds nothing left to send.
    """
    user = _mailbox(recipient)
    if user is None:
        return 0
    visible = {a.pk: a for a in items if can_view(user, a.version)}
    if not visible:
        return 0
    with transaction.atomic():
        fresh = set(
            Assignment.objects.select_for_update()
            .filter(pk__in=list(visible), state=AssignmentState.OPEN)
            .filter(condition)
            .values_list("pk", flat=True)
        )
        listed = [a for pk, a in visible.items() if pk in fresh]
        if listed:
            Assignment.objects.filter(pk__in=fresh).update(**{field: now})
            subject, body = compose(recipient, listed)
            send_mail(subject, body, None, [user.email])
    return len(listed)


def _overdue_mark() -> str:
    return f"[{_('Overdue')}] "


def _line(assignment: Assignment, today: datetime.date) -> str:
    text = _("“%(title)s” %(version)s, sign by %(date)s: %(url)s") % {
        "title": assignment.version.title,
        "version": assignment.version.version,
        "date": assignment.due_on.isoformat(),
        "url": sign_url(assignment),
    }
    return f"- {_overdue_mark() if assignment.due_on < today else ''}{text}"


def _reminder_mail(employee: Employee, items: list[Assignment], today: datetime.date):
    with translation.override(user_language(employee.user)):
        context = {"name": employee.name, "count": len(items)}
        subject = _("%(count)d document(s) waiting for your signature") % context
        if any(a.due_on < today for a in items):
            subject = _overdue_mark() + subject
        body = (
            _("%(name)s,\n\nplease read and sign these documents:\n\n") % context
            + "\n".join(_line(a, today) for a in items)  # overdue first: oldest due date first
            + "\n"
        )
    return subject, body


def _escalation_line(assignment: Assignment, today: datetime.date) -> str:
    return _("- %(employee)s: “%(title)s” %(version)s, due on %(due)s, %(days)d day(s) overdue") % {
        "employee": str(assignment.employee),
        "title": assignment.version.title,
        "version": assignment.version.version,
        "due": assignment.due_on.isoformat(),
        "days": (today - assignment.due_on).days,
    }


def _escalation_mail(manager: Employee, items: list[Assignment], today: datetime.date):
    with translation.override(user_language(manager.user)):
        context = {"name": manager.name, "count": len(items), "days": escalate_after_days()}
        subject = _("Your team: %(count)d overdue acknowledgement(s)") % context
        body = (
            _(
                "%(name)s,\n\nthese members of your team have not signed documents that are "
                "%(days)d or more days overdue. Please ask them to read and sign:\n\n"
            )
            % context
            + "\n".join(_escalation_line(a, today) for a in items)
            + "\n"
        )
    return subject, body


def _by(rows: Iterable[Assignment], key) -> dict:
    grouped: dict = {}
    for row in rows:
        grouped.setdefault(key(row), []).append(row)
    return grouped


def acknowledgements_remind(now: datetime.datetime | None = None) -> ReminderRun:
    """Send today's reminders and escalations (see the module docstring)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    run = ReminderRun()

    not_today = Q(reminded_at__isnull=True) | Q(reminded_at__lt=_start_of(today))
    horizon = today + datetime.timedelta(days=remind_days_before())
    due = (
        Assignment.objects.open()
        .filter(not_today, due_on__lte=horizon, employee__status=Employee.Status.ACTIVE)
        .select_related("version", "employee__user")
        .defer(*VERSION_TEXT_FIELDS)
        .order_by("employee_id", "due_on", "pk")
    )
    for items in _by(due, lambda a: a.employee_id).values():
        try:
            listed = _deliver(
                recipient=items[0].employee,
                items=items,
                condition=not_today,
                field="reminded_at",
                now=now,
                compose=lambda person, listed: _reminder_mail(person, listed, today),
            )
        except Exception:  # one bad address must not stop the others; retried next run
            logger.exception("acknowledgement reminder to employee %s failed", items[0].employee_id)
            run.failed += 1
            continue
        if listed:
            run.sent += 1
            run.reminded += listed

    limit = today - datetime.timedelta(days=escalate_after_days())
    late = (
        Assignment.objects.open()
        .filter(
            due_on__lte=limit,
            escalated_at__isnull=True,
            employee__status=Employee.Status.ACTIVE,
            employee__manager__isnull=False,
        )
        .select_related("version", "employee__manager__user")
        .defer(*VERSION_TEXT_FIELDS)
        .order_by("employee__manager_id", "employee__employee_number", "due_on", "pk")
    )
    for items in _by(late, lambda a: a.employee.manager_id).values():
        try:
            listed = _deliver(
                recipient=items[0].employee.manager,
                items=items,
                condition=Q(escalated_at__isnull=True),
                field="escalated_at",
                now=now,
                compose=lambda person, listed: _escalation_mail(person, listed, today),
            )
        except Exception:
            logger.exception(
                "acknowledgement escalation to employee %s failed", items[0].employee.manager_id
            )
            run.failed += 1
            continue
        if listed:
            run.escalated += 1
            run.escalated_assignments += listed
    return run
