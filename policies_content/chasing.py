"""催办: HR remind, by hand, the employees who have not yet signed a document (or the ones of
one department), by e-mail in each employee's language.

Rate limited so nobody is spammed: once a document has been chased, neither it nor any of its
departments can be chased again for ``ZHIDU_CHASE_MIN_HOURS``; a department's chase blocks
that department only. Every chase is kept (a Chase row) and audited.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.models import Page

from records.audit import audit_record
from records.models import AuditAction, Department
from records.user_language import user_language

from .models import Assignment, AssignmentState, Chase, IssuedVersion


class ChaseRefused(Exception):
    """Chased too recently; ``possible_at`` says when the next chase is allowed."""

    def __init__(self, possible_at: datetime.datetime):
        super().__init__(possible_at)
        self.possible_at = possible_at


@dataclass(frozen=True)
class ChaseResult:
    chase: Chase
    reminded: int
    without_email: int


def chase_window() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.ZHIDU_CHASE_MIN_HOURS)


def chase_possible_at(
    *, page_id: int, department_id: int | None, now: datetime.datetime | None = None
) -> datetime.datetime | None:
    """None when a chase may be sent now, else when it may. A whole-document chase blocks
    every department; a department's chase blocks that department (and not the others)."""
    now = now or timezone.now()
    recent = Chase.objects.filter(page_id=page_id, at__gt=now - chase_window())
    if department_id is None:
        recent = recent.filter(department__isnull=True)
    else:
        recent = recent.filter(Q(department__isnull=True) | Q(department_id=department_id))
    last = recent.order_by("-at").values_list("at", flat=True).first()
    return last + chase_window() if last else None


def _sign_url(assignment_id: int) -> str:
    try:
        path = reverse("acknowledgement_sign", args=[assignment_id])
    except NoReverseMatch:
        path = reverse("staff_home")
    return f"{getattr(settings, 'WAGTAILADMIN_BASE_URL', '').rstrip('/')}{path}"


def _reminder(assignment: Assignment, version: IssuedVersion) -> EmailMessage:
    user = assignment.employee.user
    with translation.override(user_language(user)):
        context = {
            "name": assignment.employee.name,
            "title": version.title,
            "number": version.document_number,
            "version": version.version,
            "due": assignment.due_on.isoformat(),
            "url": _sign_url(assignment.pk),
        }
        if assignment.is_overdue:
            subject = _("Overdue: please sign “%(title)s” (%(version)s)") % context
        else:
            subject = _("Reminder: please sign “%(title)s” (%(version)s)") % context
        body = (
            _(
                "%(name)s,\n\n"
                "you have not yet signed “%(title)s” (%(number)s, %(version)s). "
                "It was due on %(due)s.\n\n"
                "Please read it and sign: %(url)s\n"
            )
            if assignment.is_overdue
            else _(
                "%(name)s,\n\n"
                "please read and sign “%(title)s” (%(number)s, %(version)s) by %(due)s.\n\n"
                "Read and sign: %(url)s\n"
            )
        ) % context
    return EmailMessage(subject, body, None, [user.email])


def document_chase(
    *, version: IssuedVersion, user, department: Department | None = None, request=None
) -> ChaseResult | None:
    """Remind every employee with an open assignment for ``version`` (in ``department`` if
    given) who has an e-mail address; record the Chase and an audit entry. Raises
    ChaseRefused within the rate-limit window; None when nobody there still has to sign."""
    now = timezone.now()
    department_id = department.pk if department is not None else None
    with transaction.atomic():
        # Two HR users pressing 催办 together: the second waits here, then sees the first.
        list(Page.objects.select_for_update().filter(pk=version.page_id).values_list("pk"))
        possible_at = chase_possible_at(page_id=version.page_id, department_id=department_id)
        if possible_at is not None:
            raise ChaseRefused(possible_at)
        open_rows = Assignment.objects.filter(version=version, state=AssignmentState.OPEN)
        if department_id is not None:
            open_rows = open_rows.filter(department_id=department_id)
        open_rows = list(
            open_rows.select_related("employee__user__wagtail_userprofile").order_by("pk")
        )
        if not open_rows:
            return None  # everyone has signed: nothing to send, nothing to record
        reachable = [a for a in open_rows if a.employee.user_id and a.employee.user.email]
        chase = Chase.objects.create(
            page_id=version.page_id,
            department=department,
            by=user,
            at=now,
            reminded=len(reachable),
        )
        Assignment.objects.filter(pk__in=[a.pk for a in reachable]).update(reminded_at=now)
        audit_record(
            action=AuditAction.CHASE,
            actor=user,
            obj=version,
            version=version.version,
            details={
                "chase": chase.pk,
                "department": department.name if department is not None else "",
                "open": len(open_rows),
                "reminded": len(reachable),
                "without_email": len(open_rows) - len(reachable),
            },
            request=request,
        )
        messages = [_reminder(assignment, version) for assignment in reachable]
        # Sent last: a failure here undoes the chase, so it can be tried again at once.
        if messages:
            get_connection().send_messages(messages)
    return ChaseResult(
        chase=chase, reminded=len(reachable), without_email=len(open_rows) - len(reachable)
    )
