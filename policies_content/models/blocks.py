"""StreamField blocks that mirror how Chinese rules are written: 第X章, 第X条 with clauses.

Numbers are never stored: they are generated when the body is shown (block_numbering), so
inserting or moving an article renumbers the rest. Each block keeps StreamField's own id, which
survives renumbering and is what clause links and version comparisons use.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock

LEVEL_CHOICES = [
    (1, "一、"),
    (2, "（一）"),
    (3, "1."),
    (4, "（1）"),
    (5, "1.1"),
]


class ChapterBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("chapter title"), help_text=_("Without 第X章, e.g. 总则"))

    class Meta:
        icon = "title"
        label = _("Chapter")


class SectionBlock(blocks.StructBlock):
    """A numbered heading outside the 第X章 scheme: 一、总则 / （一）招聘流程."""

    title = blocks.CharBlock(label=_("heading"))
    level = blocks.ChoiceBlock(choices=LEVEL_CHOICES, default=1, label=_("numbering level"))

    class Meta:
        icon = "title"
        label = _("Numbered heading")


class ClauseBlock(blocks.StructBlock):
    """款/项: a numbered item, inside an article or on its own under a heading."""

    text = blocks.TextBlock(label=_("text"))
    level = blocks.ChoiceBlock(choices=LEVEL_CHOICES, default=2, label=_("numbering level"))

    class Meta:
        icon = "list-ul"
        label = _("Clause")


class ArticleBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("article text"), help_text=_("Without 第X条"))
    clauses = blocks.ListBlock(ClauseBlock(), label=_("clauses"), default=[])

    class Meta:
        icon = "list-ol"
        label = _("Article")


class AttachmentBlock(blocks.StructBlock):
    """附件: a reference to an attachment, with the file when HR has uploaded it."""

    title = blocks.CharBlock(label=_("attachment title"))
    document = DocumentChooserBlock(required=False, label=_("file"))

    class Meta:
        icon = "doc-full"
        label = _("Attachment")


class RegulationBodyBlock(blocks.StreamBlock):
    chapter = ChapterBlock()
    section = SectionBlock()
    article = ArticleBlock()
    clause = ClauseBlock()
    paragraph = blocks.TextBlock(label=_("Paragraph"), icon="pilcrow")
    table = TableBlock(label=_("Table"))
    attachment = AttachmentBlock()
