"""规章制度: a company regulation as a structured page."""

from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from policies_content.numbering import chinese_numeral
from records.confidentiality import level_choices, level_name
from records.permissions import can_view

from .blocks import RegulationBodyBlock


class RegulationPage(Page):
    """A regulation: document-control fields plus a body of chapters, articles and clauses.

    The body is structured (not one rich-text blob) because staff cite "第十二条", auditors
    compare clauses between versions, and numbering must follow edits.
    """

    document_number = models.CharField(_("document number"), max_length=60, blank=True)
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
    classification = models.PositiveSmallIntegerField(
        _("confidentiality level"), choices=level_choices, default=1
    )
    effective_date = models.DateField(_("effective date"), null=True, blank=True)
    body = StreamField(RegulationBodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("document_number"),
                FieldPanel("owner_department"),
                FieldPanel("interpreting_department"),
                FieldPanel("classification"),
                FieldPanel("effective_date"),
            ],
            heading=_("Document control"),
        ),
        FieldPanel("body"),
    ]
    parent_page_types = ["policies_content.PolicyCategoryPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("regulation")
        verbose_name_plural = _("regulations")

    def serve(self, request, *args, **kwargs):
        # Above the reader's clearance: answer exactly as for a page that does not exist.
        if not can_view(request.user, self):
            raise Http404
        return super().serve(request, *args, **kwargs)

    @property
    def classification_name(self) -> str:
        return level_name(self.classification)

    def numbered_body(self) -> list[dict]:
        """The body with generated 第X章 / 第X条 numbers, for display."""
        out, chapter, article = [], 0, 0
        for block in self.body:
            item = {"type": block.block_type, "id": block.id, "value": block.value}
            if block.block_type == "chapter":
                chapter += 1
                item["number"] = f"第{chinese_numeral(chapter)}章"
            elif block.block_type == "article":
                article += 1
                item["number"] = f"第{chinese_numeral(article)}条"
            out.append(item)
        return out
