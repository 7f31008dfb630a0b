"""岗位说明书: the job description of one position."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page


class JobDescriptionPage(Page):
    """A job description bound to an organisation position, so each employee sees their own."""

    position = models.ForeignKey(
        "records.Position",
        verbose_name=_("position"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="job_descriptions",
    )
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

    content_panels = [
        *Page.content_panels,
        FieldPanel("position"),
        FieldPanel("reports_to"),
        FieldPanel("purpose"),
        FieldPanel("duties"),
        MultiFieldPanel(
            [FieldPanel("education"), FieldPanel("experience"), FieldPanel("skills")],
            heading=_("Qualifications"),
        ),
        FieldPanel("indicators"),
    ]
    parent_page_types = ["policies_content.PolicyCategoryPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("job description")
        verbose_name_plural = _("job descriptions")
