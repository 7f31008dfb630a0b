"""规章制度: a company regulation as a structured page."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from .blocks import RegulationBodyBlock
from .controlled import ControlledDocumentPage


class RegulationPage(ControlledDocumentPage):
    """A regulation: document-control fields plus a body of chapters, articles and clauses.

    The body is structured (not one rich-text blob) because staff cite "第十二条", auditors
    compare clauses between versions, and numbering must follow edits.
    """

    body = StreamField(RegulationBodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        *ControlledDocumentPage.control_panels,
        FieldPanel("body"),
    ]
    parent_page_types = ["policies_content.PolicyCategoryPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("regulation")
        verbose_name_plural = _("regulations")

    def numbered_body(self) -> list[dict]:
        """The body with generated 第X章 / 第X条 / （一） labels, for display."""
        from policies_content.stream import page_blocks

        out = []
        for (label, parsed, clause_labels), block in zip(page_blocks(self), self.body, strict=True):
            out.append(
                {
                    "type": block.block_type,
                    "id": block.id,
                    "value": block.value,
                    "number": label,
                    "parsed": parsed,
                    "clauses": list(zip(clause_labels, parsed.clauses, strict=True)),
                }
            )
        return out

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["job_descriptions"] = self.job_descriptions.live()
        return context
