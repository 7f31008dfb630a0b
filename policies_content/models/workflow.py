"""The approval workflow: 审核 / 批准 tasks, 会签 across departments, and the approval matrix.

Built on Wagtail's workflow framework, so the editor's "Submit", the dashboard's "Awaiting your
review", the workflow history and the notification e-mails all work as Wagtail users expect.
What Wagtail does not do, and a compliance tool must:

- separation of duties: whoever wrote the text under review never approves or rejects it,
  even when they also hold the reviewer or approver role;
- a reason for every rejection, so the author knows what to change and the record shows why;
- 会签: several departments agree in parallel, and the step ends only when all have agreed;
- an approval matrix HR edit without code: which workflow each 制度等级 (and category) takes.
"""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.forms import TaskStateCommentForm
from wagtail.models import GroupApprovalTask, Revision, Task, TaskState

from records.audit import audit_record
from records.models import AuditAction
from records.roles import APPROVER, REVIEWER

from .controlled import Grade

COUNTERSIGN_ROLES = (REVIEWER, APPROVER)


class ApprovalRefused(PermissionDenied):
    """An approval action the user may not take, or may not take like that."""


class RejectionForm(TaskStateCommentForm):
    """Wagtail's comment form, with the comment required: a rejection must say why."""

    comment = forms.CharField(
        label=_("Reason"),
        required=True,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("Tell the author what to change."),
    )


def _comment_required(comment: str) -> str:
    """The action's comment, stripped; refused when empty (also for hand-made POSTs)."""
    comment = (comment or "").strip()
    if not comment:
        raise ApprovalRefused(_("A reason is required to reject."))
    return comment


def revision_authors(task_state: TaskState) -> set[int]:
    """Ids of the users who wrote what ``task_state`` is about to approve.

    The requester, the author of the revision under review and the author of the latest
    revision (a reviewer who edits while reviewing has written what will be published).
    """
    workflow_state = task_state.workflow_state
    latest_author = (
        Revision.objects.filter(
            base_content_type_id=workflow_state.base_content_type_id,
            object_id=workflow_state.object_id,
        )
        .order_by("-created_at", "-id")
        .values_list("user_id", flat=True)
        .first()
    )
    authors = {workflow_state.requested_by_id, task_state.revision.user_id, latest_author}
    authors.discard(None)
    return authors


def _display_name(user) -> str:
    employee = getattr(user, "employee", None)
    return employee.name if employee else (user.get_full_name() or user.get_username())


def _audit_decision(task_state: TaskState, user, action_name: str, comment: str = "", **details):
    """审核/批准 decisions go to the audit trail: who decided which step, how, and why."""
    if action_name not in (AuditAction.APPROVE, AuditAction.REJECT):
        return
    page = task_state.revision.content_object
    audit_record(
        action=action_name,
        actor=user,
        obj=page,
        details={
            "task": task_state.task.name,
            "revision": task_state.revision_id,
            "comment": comment,
            **details,
        },
    )


def _current_task_state(obj, task) -> TaskState | None:
    """The in-progress task state of ``obj`` if it is on ``task``; else None."""
    state = getattr(obj, "current_workflow_task_state", None)
    if state is not None and state.task_id == task.pk:
        return state
    return None


def _moderatable(task, user, may_act) -> models.QuerySet:
    """The task's in-progress states that ``may_act(state, user)`` allows, as a queryset.

    A list of ids rather than a query: few states are in progress at once, and the rules
    (authorship, departments) are clearer in Python than in SQL.
    """
    states = TaskState.objects.filter(task=task, status=TaskState.STATUS_IN_PROGRESS)
    allowed = [
        state.pk
        for state in states.select_related("workflow_state", "revision")
        if may_act(state, user)
    ]
    return TaskState.objects.filter(pk__in=allowed)


class ReviewTask(GroupApprovalTask):
    """审核 or 批准 by members of chosen groups — never by the author of the text.

    A GroupApprovalTask (so Wagtail e-mails the group when a document arrives) whose actions
    are withheld from the author, and whose rejection needs a reason.
    """

    class Meta:
        verbose_name = _("review task")
        verbose_name_plural = _("review tasks")

    @classmethod
    def get_description(cls):
        return _(
            "Members of the chosen groups approve or reject; the author of the document never "
            "can, and a rejection must give a reason."
        )

    def may_act(self, task_state: TaskState, user) -> bool:
        if not (user.is_active and (user.is_superuser or self._user_in_groups(user))):
            return False
        return user.pk not in revision_authors(task_state)

    def actors(self, task_state: TaskState):
        """Who may decide this step now (for reminders): group members but the authors."""
        return (
            get_user_model()
            .objects.filter(is_active=True, groups__in=self.groups.all())
            .exclude(pk__in=revision_authors(task_state))
            .distinct()
            .order_by("pk")
        )

    def get_actions(self, obj, user):
        state = _current_task_state(obj, self)
        if state is None or not self.may_act(state, user):
            return []
        return super().get_actions(obj, user)

    def get_form_for_action(self, action):
        return RejectionForm if action == "reject" else super().get_form_for_action(action)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        return _moderatable(self, user, self.may_act)

    @transaction.atomic
    def on_action(self, task_state, user, action_name, **kwargs):
        # Checked here as well as in get_actions: the admin's action URL takes any task
        # state id, and the editor forwards whatever extra data the browser posts.
        if not self.may_act(task_state, user):
            raise ApprovalRefused(_("You may not approve or reject this document."))
        if action_name == "reject":
            kwargs["comment"] = _comment_required(kwargs.get("comment", ""))
        _audit_decision(task_state, user, action_name, (kwargs.get("comment") or "").strip())
        return super().on_action(task_state, user, action_name, **kwargs)


class CountersignTaskState(TaskState):
    """A 会签 step on one revision; knows which departments have agreed."""

    class Meta:
        verbose_name = _("countersign task state")
        verbose_name_plural = _("countersign task states")

    def department_status(self) -> list[dict]:
        """Each department of the task with its agreement, or None while pending."""
        agreed = {a.department_id: a for a in self.countersign_approvals.select_related("user")}
        return [
            {"department": department, "approval": agreed.get(department.pk)}
            for department in self.task.specific.departments.all()
        ]

    def agreed(self) -> list:
        return [row for row in self.department_status() if row["approval"]]

    def pending(self) -> list:
        return [row["department"] for row in self.department_status() if not row["approval"]]

    def get_comment(self):
        # Shown in the workflow history: who agreed for which department.
        agreed = "；".join(
            f"{row['department'].name}：{_display_name(row['approval'].user)}"
            for row in self.agreed()
        )
        return "\n".join(part for part in [self.comment, agreed] if part)


class CountersignTask(Task):
    """会签: every chosen department must agree, in parallel; any of them may send it back.

    A user acts for a department when their employee record is in it (or below it) and they
    hold the 审核人 or 批准人 role. Each agreement is a CountersignApproval row; the step is
    approved when the last department agrees.
    """

    departments = models.ManyToManyField(
        "records.Department",
        verbose_name=_("departments"),
        related_name="countersign_tasks",
        help_text=_("Every one of these departments must agree."),
    )

    admin_form_fields = [*Task.admin_form_fields, "departments"]
    admin_form_widgets = {"departments": forms.CheckboxSelectMultiple}
    task_state_class = CountersignTaskState

    class Meta:
        verbose_name = _("countersign task")
        verbose_name_plural = _("countersign tasks")

    @classmethod
    def get_description(cls):
        return _(
            "Reviewers or approvers of every chosen department must agree (countersign); "
            "any of them may send the document back with a reason."
        )

    def acting_departments(self, task_state: TaskState, user) -> list:
        """The pending departments ``user`` may agree for on ``task_state`` (often one)."""
        if not user.is_active or task_state.status != TaskState.STATUS_IN_PROGRESS:
            return []
        employee = getattr(user, "employee", None)
        if employee is None or not user.groups.filter(name__in=COUNTERSIGN_ROLES).exists():
            return []
        if user.pk in revision_authors(task_state):
            return []
        agreed = set(
            CountersignApproval.objects.filter(task_state=task_state).values_list(
                "department_id", flat=True
            )
        )
        return [
            department
            for department in self.departments.all()
            if department.pk not in agreed and employee.department_id in department.descendant_ids()
        ]

    def may_act(self, task_state: TaskState, user) -> bool:
        return bool(self.acting_departments(task_state, user))

    def actors(self, task_state: TaskState):
        """Who may still agree (for reminders): reviewers and approvers of pending departments."""
        agreed = CountersignApproval.objects.filter(task_state=task_state).values_list(
            "department_id", flat=True
        )
        department_ids: set[int] = set()
        for department in self.departments.exclude(pk__in=agreed):
            department_ids |= department.descendant_ids()
        return (
            get_user_model()
            .objects.filter(
                is_active=True,
                employee__department_id__in=department_ids,
                groups__name__in=COUNTERSIGN_ROLES,
            )
            .exclude(pk__in=revision_authors(task_state))
            .distinct()
            .order_by("pk")
        )

    def user_can_access_editor(self, obj, user):
        state = _current_task_state(obj, self)
        return state is not None and self.may_act(state, user)

    def locked_for_user(self, obj, user):
        # Departments agree on a text: only those still to agree may touch it.
        return not (user.is_superuser or self.user_can_access_editor(obj, user))

    def get_actions(self, obj, user):
        state = _current_task_state(obj, self)
        if state is None or not self.may_act(state, user):
            return []
        # Both open the dialog, which lists the departments that agreed and those pending.
        return [("reject", _("Request changes"), True), ("approve", _("Agree"), True)]

    def get_form_for_action(self, action):
        return RejectionForm if action == "reject" else TaskStateCommentForm

    def get_template_for_action(self, action):
        return "policies_content/admin/countersign_action.html"

    def get_task_states_user_can_moderate(self, user, **kwargs):
        return _moderatable(self, user, self.may_act)

    @transaction.atomic
    def on_action(self, task_state, user, action_name, **kwargs):
        # Lock the row: two departments agreeing at once must not both miss being last.
        task_state = CountersignTaskState.objects.select_for_update().get(pk=task_state.pk)
        departments = self.acting_departments(task_state, user)
        if not departments:
            raise ApprovalRefused(_("You may not countersign this document."))
        comment = (kwargs.get("comment") or "").strip()
        _audit_decision(
            task_state, user, action_name, comment, departments=[d.name for d in departments]
        )
        if action_name == "reject":
            task_state.reject(user=user, comment=_comment_required(comment))
        elif action_name == "approve":
            for department in departments:
                CountersignApproval.objects.create(
                    task_state=task_state, department=department, user=user, comment=comment
                )
            if not task_state.pending():
                task_state.approve(user=user, comment=comment)


class CountersignApproval(models.Model):
    """One department's agreement (会签意见) on one countersign step: who, for whom, when."""

    task_state = models.ForeignKey(
        "wagtailcore.TaskState",
        verbose_name=_("task state"),
        on_delete=models.CASCADE,
        related_name="countersign_approvals",
    )
    department = models.ForeignKey(
        "records.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agreed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("agreed at"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("countersign approval")
        verbose_name_plural = _("countersign approvals")
        ordering = ["at"]
        constraints = [
            models.UniqueConstraint(
                fields=["task_state", "department"], name="countersign_once_per_department"
            )
        ]

    def __str__(self):
        return f"{self.department} · {self.user}"


class ApprovalRoute(models.Model):
    """审批矩阵: which workflow a document of a grade (and category) goes through.

    A row with a category overrides the grade's default row (no category). Documents no row
    matches use the workflow assigned in the page tree (the library's default).
    """

    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices)
    category = models.ForeignKey(
        "policies_content.PolicyCategoryPage",
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="approval_routes",
        help_text=_("Leave empty for documents of this grade in any category."),
    )
    workflow = models.ForeignKey(
        "wagtailcore.Workflow",
        verbose_name=_("workflow"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"active": True},
    )

    panels = [FieldPanel("grade"), FieldPanel("category"), FieldPanel("workflow")]

    class Meta:
        verbose_name = _("approval route")
        verbose_name_plural = _("approval routes")
        ordering = ["grade", "category__title"]
        constraints = [
            # Two constraints because NULLs never collide in a unique index.
            models.UniqueConstraint(
                fields=["grade", "category"],
                condition=Q(category__isnull=False),
                name="approval_route_unique_grade_category",
                violation_error_message=_("This grade already has a route for this category."),
            ),
            models.UniqueConstraint(
                fields=["grade"],
                condition=Q(category__isnull=True),
                name="approval_route_unique_grade_default",
                violation_error_message=_("This grade already has a route for any category."),
            ),
        ]
        permissions = [("view_approvals", _("Can see the approvals waiting and overdue"))]

    def __str__(self):
        category = self.category.title if self.category_id else _("any category")
        return f"{self.get_grade_display()} · {category} → {self.workflow}"


class ApprovalReminder(models.Model):
    """A reminder e-mailed about an overdue step: at most one per person, step and day."""

    task_state = models.ForeignKey(
        "wagtailcore.TaskState",
        verbose_name=_("task state"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    sent_on = models.DateField(_("sent on"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("approval reminder")
        verbose_name_plural = _("approval reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["task_state", "user", "sent_on"], name="approval_reminder_once_a_day"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.sent_on}"
