"""Approval deadlines: which steps wait, which are overdue, and the reminders (催办) about them.

The company's rule is that an approver decides within a week (一周内批示); the limit is the
setting ZHIDU_APPROVAL_DEADLINE_DAYS. A step is overdue when its task state has been in
progress longer than that. Whoever can decide it is reminded by e-mail at most once a day per
step (ApprovalReminder rows), so running the command hourly does not flood anyone.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.models import GroupApprovalTask, Page, TaskState, WorkflowState

from records.user_language import user_language

from .models import ApprovalReminder, CountersignTask

logger = logging.getLogger(__name__)

# Steps that wait for a decision (批示). Others keep their own clocks (征求意见 is held open).
DECISION_TASKS = (GroupApprovalTask, CountersignTask)


@dataclass
class WaitingApproval:
    """One workflow step waiting for a decision, with what a reader of the list needs."""

    task_state: TaskState
    task: object  # the specific Task
    page: object  # the specific page (or other object) under approval
    started_at: datetime.datetime
    deadline: datetime.datetime
    actors: list = field(default_factory=list)
    pending_departments: list = field(default_factory=list)
    now: datetime.datetime | None = None

    @property
    def is_overdue(self) -> bool:
        return self.now > self.deadline

    @property
    def days_overdue(self) -> int:
        """Whole days past the deadline; 0 while within it."""
        return max((self.now - self.deadline).days, 0) if self.is_overdue else 0

    @property
    def edit_url(self) -> str:
        if isinstance(self.page, Page):
            return reverse("wagtailadmin_pages:edit", args=[self.page.pk])
        return ""


def display_name(user) -> str:
    """The employee's name where there is one (what colleagues call them), else the login's."""
    employee = getattr(user, "employee", None)
    return employee.name if employee else (user.get_full_name() or user.get_username())


def deadline_days() -> int:
    return settings.ZHIDU_APPROVAL_DEADLINE_DAYS


def task_actors(task, task_state) -> list:
    """Who can decide this step now. Our tasks say so; Wagtail's group task: its groups."""
    if hasattr(task, "actors"):
        return list(task.actors(task_state))
    groups = getattr(task, "groups", None)
    if groups is None:
        return []
    return list(
        get_user_model()
        .objects.filter(is_active=True, groups__in=groups.all())
        .distinct()
        .order_by("pk")
    )


def decision_task_types() -> list[ContentType]:
    """The content types of every task model that waits for a decision (DECISION_TASKS and
    their subclasses, such as 审核 ReviewTask)."""
    models = [model for model in apps.get_models() if issubclass(model, DECISION_TASKS)]
    return list(ContentType.objects.get_for_models(*models).values())


def decisions_in_progress():
    """The task states (a queryset) of approval steps in progress that wait for a decision."""
    return TaskState.objects.filter(
        status=TaskState.STATUS_IN_PROGRESS,
        workflow_state__status=WorkflowState.STATUS_IN_PROGRESS,
        task__content_type__in=decision_task_types(),
    )


def waiting_task_states(now: datetime.datetime | None = None) -> list[WaitingApproval]:
    """Every approval step in progress, oldest first."""
    now = now or timezone.now()
    limit = datetime.timedelta(days=deadline_days())
    states = (
        decisions_in_progress()
        .select_related("workflow_state", "revision", "task")
        .order_by("started_at", "pk")
    )
    waiting = []
    for state in states:
        state = state.specific
        obj = state.workflow_state.content_object
        if obj is None:  # deleted meanwhile
            continue
        if isinstance(obj, Page):
            obj = obj.specific
        task = state.task.specific
        if not isinstance(task, DECISION_TASKS):
            continue
        pending = state.pending() if hasattr(state, "pending") else []
        waiting.append(
            WaitingApproval(
                task_state=state,
                task=task,
                page=obj,
                started_at=state.started_at,
                deadline=state.started_at + limit,
                actors=task_actors(task, state),
                pending_departments=pending,
                now=now,
            )
        )
    return waiting


@dataclass
class ApprovalsSummary:
    """How many decisions wait and how many are overdue, and the oldest few (dashboard)."""

    waiting: int
    overdue: int
    oldest: list[WaitingApproval]


def approvals_summary(
    *, user, now: datetime.datetime | None = None, limit: int = 8
) -> ApprovalsSummary:
    """Counts of the steps waiting for a decision and the ``limit`` oldest, over the documents
    the user may see (the access policy, as in the rest of the admin). A fixed number of
    queries however many steps wait; who can decide each is left to the full list
    (``waiting_task_states``)."""
    from .admin_access import hidden_page_ids

    now = now or timezone.now()
    allowed = datetime.timedelta(days=deadline_days())
    page_type = ContentType.objects.get_for_model(Page)
    states = decisions_in_progress().exclude(
        workflow_state__base_content_type=page_type,
        workflow_state__object_id__in=[str(pk) for pk in hidden_page_ids(user)],
    )
    counts = states.aggregate(
        waiting=Count("pk"), overdue=Count("pk", filter=Q(started_at__lt=now - allowed))
    )
    rows = list(
        states.select_related("task", "workflow_state__requested_by").order_by("started_at", "pk")[
            :limit
        ]
    )
    page_ids = [
        int(row.workflow_state.object_id)
        for row in rows
        if row.workflow_state.base_content_type_id == page_type.pk
    ]
    pages = {page.pk: page for page in Page.objects.filter(pk__in=page_ids).specific()}
    oldest = []
    for row in rows:
        workflow_state = row.workflow_state
        if workflow_state.base_content_type_id == page_type.pk:
            obj = pages.get(int(workflow_state.object_id))
        else:
            obj = workflow_state.content_object
        if obj is None:  # deleted meanwhile
            continue
        oldest.append(
            WaitingApproval(
                task_state=row,
                task=row.task,
                page=obj,
                started_at=row.started_at,
                deadline=row.started_at + allowed,
                now=now,
            )
        )
    return ApprovalsSummary(waiting=counts["waiting"], overdue=counts["overdue"], oldest=oldest)


def overdue_task_states(now: datetime.datetime | None = None) -> list[WaitingApproval]:
    """The steps in progress for longer than ZHIDU_APPROVAL_DEADLINE_DAYS, oldest first."""
    return [item for item in waiting_task_states(now=now) if item.is_overdue]


def _send_reminder(item: WaitingApproval, user) -> None:
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    with translation.override(user_language(user)):
        context = {
            "name": display_name(user),
            "title": str(item.page),
            "task": item.task.name,
            "started": timezone.localtime(item.started_at).strftime("%Y-%m-%d"),
            "deadline": timezone.localtime(item.deadline).strftime("%Y-%m-%d"),
            "url": f"{base}{item.edit_url}",
        }
        subject = _("Approval overdue: %(title)s") % context
        body = (
            _(
                "%(name)s,\n\n"
                "“%(title)s” has been waiting since %(started)s for your decision at the step "
                "“%(task)s”. The deadline was %(deadline)s.\n\n"
                "Please approve it or request changes: %(url)s\n"
            )
            % context
        )
    send_mail(subject, body, None, [user.email])


def approvals_remind(now: datetime.datetime | None = None) -> int:
    """E-mail everyone who can decide an overdue step, once a day per step; return how many."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    for item in overdue_task_states(now=now):
        for user in item.actors:
            if not user.email:
                continue
            if ApprovalReminder.objects.filter(
                task_state=item.task_state, user=user, sent_on=today
            ).exists():
                continue
            try:
                # The row and the mail together: a failed send is retried on the next run, and
                # a run stopped half-way and run again reaches only those it had not.
                with transaction.atomic():
                    ApprovalReminder.objects.create(
                        task_state=item.task_state, user=user, sent_on=today
                    )
                    _send_reminder(item, user)
            except IntegrityError:  # a concurrent run sent it
                continue
            except Exception:  # one bad address must not stop the others
                logger.exception("approval reminder to user %s failed", user.pk)
                continue
            sent += 1
    return sent
