"""Word export of a page, with the document-control data it carries."""

from records.confidentiality import level_name

from .stream import page_to_parsed
from .word_export import document_to_docx

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def page_to_docx(page) -> bytes:
    """The page (its latest saved content, draft or live) as a .docx."""
    page = page.specific
    document = page_to_parsed(page)  # a regulation's job descriptions export on their own
    return document_to_docx(
        document,
        version=page.version,
        confidentiality=level_name(page.classification),
        effective_date=page.effective_date.isoformat() if page.effective_date else "",
    )
