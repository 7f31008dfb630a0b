"""民主程序 / 征求意见: the consultation step a rule touching employees' vital interests must pass.

劳动合同法 第四条: rules on pay, working hours, leave, safety, insurance, training, discipline or
work quotas bind employees only after discussion with the workers' congress or all employees and
consultation with the union. In a labour dispute the company has to prove it; so the step is a
Wagtail workflow task placed before approval, and what it leaves behind — the window, the
comments, the minutes or the union's agreement — are records, not a checkbox.
"""

import datetime

from django import forms
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.documents import get_document_model_string
from wagtail.models import Task, TaskState

from records.roles import POLICY_EDITOR

RECORD_OUTCOME = "record_outcome"
REJECT = "reject"


class ConsultationMethod(models.TextChoices):
    WORKERS_CONGRESS = "congress", _("Workers' congress")  # 职工代表大会
    UNION = "union", _("Trade union")  # 工会
    ALL_EMPLOYEES = "all_employees", _("Discussion by all employees")  # 全体职工讨论
    OTHER = "other", _("Other")  # 其他


class ConsultationTask(Task):
    """The workflow step that holds a draft open for employees' comments before approval.

    Documents that do not affect vital interests pass straight through (approved at start, with
    a note saying why), so one workflow serves every regulation. Members of ``groups`` — HR, by
    default — close the step by recording the outcome with the minutes, or send the draft back.
    """

    days = models.PositiveSmallIntegerField(
        _("consultation period (days)"),
        default=7,
        help_text=_("How long employees may comment on the draft."),
    )
    groups = models.ManyToManyField(
        Group,
        verbose_name=_("groups"),
        blank=True,
        help_text=_("Who may record the outcome. Left empty: the policy editors (制度管理员)."),
    )

    admin_form_fields = [*Task.admin_form_fields, "days", "groups"]
    admin_form_widgets = {"groups": forms.CheckboxSelectMultiple}

    class Meta:
        verbose_name = _("Consultation task")
        verbose_name_plural = _("Consultation tasks")

    @classmethod
    def get_description(cls):
        return _(
            "Opens the draft to employees' comments before approval (民主程序) when it affects "
            "their vital interests; the chosen groups record the outcome with the minutes."
        )

    # -- who may act ---------------------------------------------------------------------------

    def outcome_groups(self):
        """The groups that may record the outcome: those chosen, or 制度管理员 when none are."""
        if self.pk and self.groups.exists():
            return self.groups.all()
        return Group.objects.filter(name=POLICY_EDITOR)

    def user_can_record(self, user) -> bool:
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return False
        if user.is_superuser:
            return True
        return self.outcome_groups().filter(pk__in=user.groups.values("pk")).exists()

    def user_can_access_editor(self, obj, user):
        return self.user_can_record(user)

    def locked_for_user(self, obj, user):
        # The text under consultation is what employees are reading; only HR may touch it.
        return not self.user_can_record(user)

    def user_can_lock(self, obj, user):
        return self.user_can_record(user)

    def get_actions(self, obj, user):
        if not self.user_can_record(user):
            return []
        return [
            (REJECT, _("Request changes"), True),
            (RECORD_OUTCOME, _("Record consultation outcome"), True),
        ]

    def get_form_for_action(self, action):
        from policies_content.consultation_forms import (
            ConsultationOutcomeForm,
            ConsultationRejectForm,
        )

        if action == RECORD_OUTCOME:
            return ConsultationOutcomeForm
        if action == REJECT:
            return ConsultationRejectForm
        return super().get_form_for_action(action)

    def get_template_for_action(self, action):
        if action == RECORD_OUTCOME:
            return "policies_content/admin/consultation_outcome_modal.html"
        return super().get_template_for_action(action)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        if self.user_can_record(user):
            return self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        return TaskState.objects.none()

    # -- what happens --------------------------------------------------------------------------

    def start(self, workflow_state, user=None):
        task_state = super().start(workflow_state, user=user)
        draft = task_state.revision.as_object()
        if not getattr(draft, "affects_vital_interests", False):
            # update=False: the workflow state moves on by itself once start() returns.
            task_state.approve(
                update=False,
                comment=gettext(
                    "Skipped: the document does not affect employees' vital interests."
                ),
            )
            return task_state
        from policies_content.consultations import consultation_open

        consultation_open(task_state=task_state, days=self.days)
        return task_state

    @transaction.atomic
    def on_action(self, task_state, user, action_name, **kwargs):
        if not self.user_can_record(user):
            raise PermissionDenied
        if action_name == RECORD_OUTCOME:
            from policies_content.consultations import consultation_outcome_record

            consultation_outcome_record(
                consultation=Consultation.objects.select_for_update().get(task_state=task_state),
                user=user,
                summary=kwargs.get("summary", ""),
                method=kwargs.get("consultation_method", ""),
                document=kwargs.get("outcome_document"),
                uploaded_file=kwargs.get("outcome_file"),
            )
        elif action_name == REJECT:
            comment = (kwargs.get("comment") or "").strip()
            if not comment:
                raise ValidationError(
                    gettext("Say what must change before sending the draft back.")
                )
            task_state.reject(user=user, comment=comment)
        else:
            # Not Wagtail's plain "approve": this step passes only with a recorded outcome.
            raise PermissionDenied


class ConsultationQuerySet(models.QuerySet):
    def open(self, *, now: datetime.datetime | None = None):
        """Still taking comments: not completed, window not over, the draft still on this step."""
        return self.filter(
            completed_at__isnull=True,
            closes_at__gt=now or timezone.now(),
            task_state__status=TaskState.STATUS_IN_PROGRESS,
        )

    def completed(self):
        return self.filter(completed_at__isnull=False)


class Consultation(models.Model):
    """One consultation window on one draft revision.

    A draft sent back and resubmitted is consulted again (a new row), because employees must
    have seen the text that is finally adopted. The outcome document is protected from
    deletion: it is the company's evidence that the procedure took place.
    """

    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="consultations",
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("draft revision"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    task_state = models.ForeignKey(
        "wagtailcore.TaskState",
        verbose_name=_("workflow task state"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="consultations",
    )
    opens_at = models.DateTimeField(_("opens at"), default=timezone.now)
    closes_at = models.DateTimeField(_("closes at"))
    outcome_summary = models.TextField(_("outcome summary"), blank=True)
    method = models.CharField(
        _("consultation method"), max_length=20, choices=ConsultationMethod.choices, blank=True
    )
    outcome_document = models.ForeignKey(
        get_document_model_string(),
        verbose_name=_("minutes or union agreement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("completed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-opens_at", "-pk"]

    def __str__(self):
        return f"{self.title} ({self.opens_at:%Y-%m-%d})"

    @property
    def title(self) -> str:
        """The title as submitted for consultation (the live page may be older or newer)."""
        if self.revision is not None and self.revision.object_str:
            return self.revision.object_str
        return self.page.title

    @property
    def is_open(self) -> bool:
        return (
            self.completed_at is None
            and timezone.now() < self.closes_at
            and self.task_state is not None
            and self.task_state.status == TaskState.STATUS_IN_PROGRESS
        )

    def draft(self):
        """The text employees are asked about: the revision submitted, not the live page."""
        if self.revision is not None:
            return self.revision.as_object()
        return self.page.specific


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied(gettext("Consultation comments cannot be changed."))

    def delete(self):
        raise PermissionDenied(gettext("Consultation comments cannot be deleted."))


class ConsultationComment(models.Model):
    """An employee's comment on a draft. Append-only: the comments are evidence that employees
    were heard, so nobody edits or deletes one once written (bulk update/delete refuse too)."""

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    employee = models.ForeignKey(
        "records.Employee",
        verbose_name=_("employee"),
        on_delete=models.PROTECT,
        related_name="consultation_comments",
    )
    text = models.TextField(_("comment"), max_length=2000)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("consultation comment")
        verbose_name_plural = _("consultation comments")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.employee} · {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionDenied(gettext("Consultation comments cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied(gettext("Consultation comments cannot be deleted."))
