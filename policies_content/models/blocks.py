"""StreamField blocks that mirror how Chinese rules are written: 第X章, 第X条 with clauses.

Numbers are never stored: they are generated when the body is shown, so inserting or moving an
article renumbers the rest. Each block keeps StreamField's own id, which survives renumbering
and is what later links and comparisons use.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class ChapterBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("chapter title"), help_text=_("Without 第X章, e.g. 总则"))

    class Meta:
        icon = "title"
        label = _("Chapter")


class ArticleBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("article text"), help_text=_("Without 第X条"))
    clauses = blocks.ListBlock(blocks.TextBlock(label=_("clause")), label=_("clauses"), default=[])

    class Meta:
        icon = "list-ol"
        label = _("Article")


class RegulationBodyBlock(blocks.StreamBlock):
    chapter = ChapterBlock()
    article = ArticleBlock()
    paragraph = blocks.TextBlock(label=_("Paragraph"), icon="pilcrow")
