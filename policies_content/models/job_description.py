"""岗位说明书: the job description of one position."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from .controlled import ControlledDocumentPage


class JobDescriptionPage(ControlledDocumentPage):
    """A job description bound to an organisation position, so each employee sees their own.

    ``position_title`` keeps the title as written when the position is not (yet) in the org
    chart — imports find job descriptions for roles HR have not modelled.
    """

    department = models.ForeignKey(
        "records.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="job_descriptions",
    )
    position = models.ForeignKey(
        "records.Position",
        verbose_name=_("position"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="job_descriptions",
    )
    position_title = models.CharField(_("position title"), max_length=100, blank=True)
    reports_to = models.CharField(_("reports to"), max_length=100, blank=True)
    purpose = models.TextField(_("purpose of the position"), blank=True)
    duties = StreamField(
        [("duty", blocks.TextBlock(label=_("duty")))], verbose_name=_("duties"), blank=True
    )
    education = models.TextField(_("education"), blank=True)
    experience = models.TextField(_("experience"), blank=True)
    skills = models.TextField(_("skills"), blank=True)
    indicators = StreamField(
        [("indicator", blocks.TextBlock(label=_("performance indicator")))],
        verbose_name=_("performance indicators"),
        blank=True,
    )
    source_regulation = models.ForeignKey(
        "policies_content.RegulationPage",
        verbose_name=_("found in regulation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="job_descriptions",
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("department"),
                FieldPanel("position"),
                FieldPanel("position_title"),
                FieldPanel("reports_to"),
                FieldPanel("source_regulation"),
            ],
            heading=_("Position"),
        ),
        FieldPanel("purpose"),
        FieldPanel("duties"),
        MultiFieldPanel(
            [FieldPanel("education"), FieldPanel("experience"), FieldPanel("skills")],
            heading=_("Qualifications"),
        ),
        FieldPanel("indicators"),
        *ControlledDocumentPage.control_panels,
    ]
    parent_page_types = ["policies_content.PolicyCategoryPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("job description")
        verbose_name_plural = _("job descriptions")
