"""What every controlled document shares: number, level, departments, dates, status."""

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page

from records.confidentiality import level_choices, level_name
from records.permissions import can_view

from ..page_forms import ControlledDocumentForm
from .versions import ChangeKind


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # 草稿
    IN_FORCE = "in_force", _("In force")  # 现行有效
    SCHEDULED = "scheduled", _("Scheduled")  # 待生效
    REPEALED = "repealed", _("Repealed")  # 已废止


class Grade(models.TextChoices):
    """制度等级: each grade has its own approval chain (see the approval matrix)."""

    FIRST = "1", _("Grade 1 — charter")  # 一级 纲要
    SECOND = "2", _("Grade 2 — regulation")  # 二级 制度
    THIRD = "3", _("Grade 3 — work instruction")  # 三级 工作指引


class Urgency(models.TextChoices):
    """紧急程度 of the publication notice (GB/T 9704-2012 §7.2.4): printed top left."""

    URGENT = "urgent", _("Urgent")  # 加急
    VERY_URGENT = "very_urgent", _("Very urgent")  # 特急


class ControlledDocumentPage(Page):
    """Abstract base of regulations and job descriptions (ISO 9001 §7.5: identified,
    owned, distributed, reviewed). 文件编号 is allocated on creation and never reused."""

    document_number = models.CharField(
        _("document number"),
        max_length=60,
        blank=True,
        db_index=True,
        help_text=_("Left empty, a number is allocated from the category's scheme."),
    )
    issuance_number = models.CharField(_("issuance number"), max_length=60, blank=True)
    urgency = models.CharField(
        _("urgency of the notice"),
        max_length=12,
        choices=Urgency.choices,
        blank=True,
        help_text=_("紧急程度 printed on the publication notice; usually left empty."),
    )
    owner_department = models.ForeignKey(
        "records.Department",
        verbose_name=_("owner department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    interpreting_department = models.ForeignKey(
        "records.Department",
        verbose_name=_("interpreting department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # 受文范围: who must read and sign each version (policies_content/distribution.py).
    distribution_all_staff = models.BooleanField(
        _("all staff"), default=False, help_text=_("Every employee must read and sign it.")
    )
    distribution = ParentalManyToManyField(
        "records.Department",
        verbose_name=_("distribution departments"),
        blank=True,
        related_name="+",
    )
    distribution_include_subdepartments = models.BooleanField(
        _("including sub-departments"), default=True
    )
    distribution_positions = ParentalManyToManyField(
        "records.Position", verbose_name=_("distribution positions"), blank=True, related_name="+"
    )
    distribution_groups = ParentalManyToManyField(
        "auth.Group", verbose_name=_("distribution roles"), blank=True, related_name="+"
    )
    distribution_employees = ParentalManyToManyField(
        "records.Employee",
        verbose_name=_("distribution individuals"),
        blank=True,
        related_name="+",
    )
    acknowledgement_due_days = models.PositiveSmallIntegerField(
        _("days to sign"),
        default=7,
        help_text=_("Readers must sign within this many days of a version coming into force."),
    )
    classification = models.PositiveSmallIntegerField(
        _("confidentiality level"), choices=level_choices, default=1
    )
    # 保密期限: after this day the daily ``classification_downgrade`` command lowers the level
    # to ``downgrade_to`` (policies_content.confidentiality.classification_downgrade_due).
    classified_until = models.DateField(
        _("classified until"),
        null=True,
        blank=True,
        help_text=_("保密期限: after this date the level is lowered automatically."),
    )
    downgrade_to = models.PositiveSmallIntegerField(
        _("downgrade to"),
        choices=level_choices,
        default=1,
        help_text=_("The level the document takes when its classification period ends."),
    )
    # Need-to-know: empty = everyone cleared for the level; otherwise only these departments
    # and the departments below them (records.permissions decides).
    need_to_know_departments = ParentalManyToManyField(
        "records.Department",
        verbose_name=_("need-to-know departments"),
        blank=True,
        related_name="+",
        help_text=_(
            "Leave empty for everyone cleared for the level; otherwise only staff of these "
            "departments (and the departments below them) may read the document."
        ),
    )
    effective_date = models.DateField(_("effective date"), null=True, blank=True)
    review_cycle_months = models.PositiveSmallIntegerField(
        _("review cycle (months)"),
        default=12,
        help_text=_("How often the document must be reviewed; 0 for never."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT
    )
    version = models.CharField(_("version"), max_length=20, blank=True)
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices, default=Grade.SECOND)
    # What the next issue will be; read when the approved draft is published.
    change_kind = models.CharField(
        _("this revision is"), max_length=5, choices=ChangeKind.choices, default=ChangeKind.MAJOR
    )
    change_summary = models.TextField(
        _("change summary"),
        blank=True,
        help_text=_("修订说明: what changed and why. Required to submit or publish."),
    )
    prepared_by = models.CharField(_("prepared by"), max_length=100, blank=True)
    reviewed_by = models.CharField(_("reviewed by"), max_length=100, blank=True)
    approved_by = models.CharField(_("approved by"), max_length=100, blank=True)
    source_file = models.CharField(_("imported from"), max_length=255, blank=True, editable=False)
    # 劳动合同法 第四条: such rules bind employees only after a democratic procedure; the
    # consultation step of the approval workflow opens one when this is ticked.
    affects_vital_interests = models.BooleanField(
        _("affects employees' vital interests"),
        default=False,
        help_text=_(
            "涉及职工切身利益 — needs consultation: pay, working hours, rest and leave, safety, "
            "insurance and benefits, training, discipline or work quotas. Such rules bind "
            "employees only after consultation with them or the union."
        ),
    )

    control_panels = [
        MultiFieldPanel(
            [
                FieldPanel("document_number"),
                FieldPanel("issuance_number"),
                FieldPanel("urgency"),
                FieldPanel("version", read_only=True),
                FieldPanel("status", read_only=True),
                FieldPanel("grade"),
                FieldPanel("classification"),
                FieldPanel("classified_until"),
                FieldPanel("downgrade_to"),
                FieldPanel("need_to_know_departments"),
                FieldPanel("owner_department"),
                FieldPanel("interpreting_department"),
                FieldPanel("effective_date"),
                FieldPanel("review_cycle_months"),
                FieldPanel("affects_vital_interests"),
            ],
            heading=_("Document control"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("distribution_all_staff"),
                FieldPanel("distribution"),
                FieldPanel("distribution_include_subdepartments"),
                FieldPanel("distribution_positions"),
                FieldPanel("distribution_groups"),
                FieldPanel("distribution_employees"),
                FieldPanel("acknowledgement_due_days"),
            ],
            heading=_("Readers who must sign (distribution)"),
        ),
        MultiFieldPanel(
            [FieldPanel("change_kind"), FieldPanel("change_summary")],
            heading=_("This revision"),
        ),
        MultiFieldPanel(
            [FieldPanel("prepared_by"), FieldPanel("reviewed_by"), FieldPanel("approved_by")],
            heading=_("Prepared, reviewed and approved by (as stated in the source)"),
        ),
    ]

    base_form_class = ControlledDocumentForm
    # The field records.permissions.visible_to filters on for need-to-know.
    need_to_know_field = "need_to_know_departments"

    class Meta:
        abstract = True

    def serve(self, request, *args, **kwargs):
        # Above the reader's clearance: answer exactly as for a page that does not exist.
        if not can_view(request.user, self):
            raise Http404
        from policies_content.confidentiality import confidential_view_record

        confidential_view_record(request=request, obj=self, version=self.version or "")
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from policies_content.confidentiality import handling_context

        context = super().get_context(request, *args, **kwargs)
        context.update(handling_context(request=request, level=self.classification))
        return context

    def need_to_know_department_ids(self) -> set[int]:
        """The departments this document is limited to (empty: no limit)."""
        return {department.pk for department in self.need_to_know_departments.all()}

    def get_workflow(self):
        # The approval matrix (grade, category) decides; the page tree is the fallback.
        from policies_content.approval_routes import workflow_for

        return workflow_for(self)

    @property
    def classification_name(self) -> str:
        return level_name(self.classification)

    def clean(self):
        from policies_content.numbers import document_number_conflict

        super().clean()
        conflict = document_number_conflict(number=self.document_number, page=self)
        if conflict:
            raise ValidationError({"document_number": conflict})

    def save(self, *args, **kwargs):
        from policies_content.numbers import document_number_allocate, document_number_register

        if not self.document_number and self.depth:
            self.document_number = document_number_allocate(category=self.get_parent())
            self._allocated_number = self.document_number
        super().save(*args, **kwargs)
        if self.document_number:
            document_number_register(number=self.document_number, page=self)


def controlled_page_models() -> list[type[ControlledDocumentPage]]:
    """Every concrete controlled document type (regulations, job descriptions, …)."""
    from django.apps import apps

    return [
        model
        for model in apps.get_models()
        if issubclass(model, ControlledDocumentPage) and not model._meta.abstract
    ]
