"""规章制度: a company regulation as a structured page."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from policies_content.stream import (
    display_items,
    stream_to_parsed,
    table_of_contents,
)
from records.permissions import can_view, visible_to

from .blocks import RegulationBodyBlock
from .controlled import ControlledDocumentPage


class RegulationPage(ControlledDocumentPage):
    """A regulation: document-control fields plus a body of chapters, articles and clauses.

    The body is structured (not one rich-text blob) because staff cite "第十二条", auditors
    compare clauses between versions, and numbering must follow edits.
    """

    body = StreamField(RegulationBodyBlock(), verbose_name=_("body"), blank=True)

    quiz_pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        default=80,
        help_text=_("With questions below, readers must reach this score before they can sign."),
    )

    content_panels = [
        *Page.content_panels,
        *ControlledDocumentPage.control_panels,
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("quiz_pass_mark"), InlinePanel("quiz_questions", label=_("question"))],
            heading=_("Comprehension check (optional)"),
        ),
    ]
    parent_page_types = ["policies_content.PolicyCategoryPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("regulation")
        verbose_name_plural = _("regulations")

    def numbered_body(self) -> list[dict]:
        """This body (as saved on the page) with generated 第X章 / 第X条 / （一） labels."""
        return display_items(stream_to_parsed(self.body))

    def get_context(self, request, *args, **kwargs):
        """Readers see the version in force today (a scheduled version's text is published
        ahead of its date but does not bind anyone yet), with the scheduled one announced."""
        from policies_content.acknowledgement_selectors import open_assignment_for
        from policies_content.version_html import version_text_html

        context = super().get_context(request, *args, **kwargs)
        today = timezone.localdate()
        # Only versions the reader may see (each keeps the level and need-to-know it was
        # issued under); without a visible version in force, the page's own body is shown.
        versions = [v for v in self.issued_versions_list() if can_view(request.user, v)]
        in_force = next((v for v in versions if v.state(today) == "in_force"), None)
        if in_force is not None:
            # the issued text, rendered once per version (policies_content.version_html)
            text = {"version_text": version_text_html(in_force), "items": [], "toc": []}
        else:
            items = display_items(stream_to_parsed(self.body))
            text = {"version_text": "", "items": items, "toc": table_of_contents(items)}
        earlier = versions[versions.index(in_force) + 1 :] if in_force else []
        context.update(
            job_descriptions=visible_to(self.job_descriptions.live(), request.user),
            in_force=in_force,
            previous=earlier[0] if earlier else None,
            versions=versions,
            scheduled=next((v for v in versions if v.state(today) == "scheduled"), None),
            **text,
            assignment=open_assignment_for(user=request.user, page_id=self.pk),
        )
        return context

    def issued_versions_list(self):
        """Issued versions, newest first, without their texts (one is read when shown)."""
        from .versions import IssuedVersion

        return list(
            IssuedVersion.objects.filter(page_id=self.pk)
            .defer("content", "canonical_text", "approvals", "consultation")
            .order_by("-major", "-minor")
        )
