"""Word export of a page, with the document-control data it carries."""

from records.confidentiality import level_name

from .stream import page_to_parsed
from .word_export import document_to_docx

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def page_to_docx(page, *, watermark: str = "") -> bytes:
    """The page (its latest saved content, draft or live) as a .docx; ``watermark`` (the
    reader's name, 工号 and time, for 秘密 and above) goes into every page header."""
    page = page.specific
    document = page_to_parsed(page)  # a regulation's job descriptions export on their own
    return document_to_docx(
        document,
        version=page.version,
        confidentiality=level_name(page.classification),
        effective_date=page.effective_date.isoformat() if page.effective_date else "",
        watermark=watermark,
    )


def version_to_docx(version, *, watermark: str = "") -> bytes:
    """An issued version, exactly as issued, as a .docx (its approvals in the control table)."""
    from .stream import parsed_from_dict

    document = parsed_from_dict(version.content)
    approvals = {}
    for step in version.approvals:
        key = {"编制": "prepared_by", "审核": "reviewed_by", "批准": "approved_by"}.get(
            step["step"]
        )
        if key and step.get("name"):
            approvals[key] = step["name"]
    return document_to_docx(
        document,
        version=version.version,
        confidentiality=level_name(version.classification),
        effective_date=version.effective_date.isoformat(),
        approvals=approvals,
        watermark=watermark,
    )
