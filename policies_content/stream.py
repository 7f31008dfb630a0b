"""Between a page's StreamField and the neutral ParsedDocument (import, export, comparison).

One conversion each way, so that importing, exporting to Word, showing a page and hashing its
text all see the same structure.
"""

import dataclasses
import hashlib
import re
import unicodedata

from policies_content.block_numbering import number_blocks, with_label
from policies_content.importing.document import ParsedBlock, ParsedDocument, ParsedJobDescription

CONTROL_FIELDS = (
    "document_number",
    "issuance_number",
    "version",
    "prepared_by",
    "reviewed_by",
    "approved_by",
)


def parsed_to_stream(blocks: list[ParsedBlock]) -> list[tuple[str, object]]:
    """ParsedBlocks as StreamField data (assignable to ``page.body``)."""
    stream: list[tuple[str, object]] = []
    for block in blocks:
        if block.kind == "chapter":
            stream.append(("chapter", {"title": block.text}))
        elif block.kind == "section":
            stream.append(("section", {"title": block.text, "level": str(block.level or 1)}))
        elif block.kind == "article":
            clauses = [{"text": c.text, "level": str(c.level or 2)} for c in block.clauses]
            stream.append(("article", {"text": block.text, "clauses": clauses}))
        elif block.kind == "clause":
            stream.append(("clause", {"text": block.text, "level": str(block.level or 3)}))
        elif block.kind == "table":
            stream.append(
                (
                    "table",
                    {
                        "data": block.rows,
                        "first_row_is_table_header": False,
                        "first_col_is_header": False,
                    },
                )
            )
        else:
            stream.append(("paragraph", block.text))
    return stream


def stream_to_parsed(body) -> list[ParsedBlock]:
    """A page body (StreamValue) as ParsedBlocks, each carrying its block id."""
    blocks: list[ParsedBlock] = []
    for child in body:
        value, kind, uid = child.value, child.block_type, child.id or ""
        if kind == "chapter":
            blocks.append(ParsedBlock(kind="chapter", text=value["title"], uid=uid))
        elif kind == "section":
            blocks.append(
                ParsedBlock(
                    kind="section", text=value["title"], level=int(value["level"] or 1), uid=uid
                )
            )
        elif kind == "article":
            clauses = [
                ParsedBlock(
                    kind="clause",
                    text=item.value["text"],
                    level=int(item.value["level"] or 2),
                    uid=item.id or "",
                )
                for item in value["clauses"].bound_blocks
            ]
            blocks.append(ParsedBlock(kind="article", text=value["text"], clauses=clauses, uid=uid))
        elif kind == "clause":
            blocks.append(
                ParsedBlock(
                    kind="clause", text=value["text"], level=int(value["level"] or 3), uid=uid
                )
            )
        elif kind == "table":
            rows = [[cell or "" for cell in row] for row in (value.get("data") or [])]
            blocks.append(ParsedBlock(kind="table", rows=rows, uid=uid))
        elif kind == "attachment":
            blocks.append(ParsedBlock(kind="paragraph", text=f"附件：{value['title']}", uid=uid))
        else:
            blocks.append(ParsedBlock(kind="paragraph", text=str(value), uid=uid))
    return blocks


def _metadata(page) -> dict[str, str]:
    data = {name: getattr(page, name) for name in CONTROL_FIELDS if getattr(page, name, "")}
    if page.effective_date:
        data["effective_date"] = page.effective_date.isoformat()
    return data


def job_description_to_parsed(page) -> ParsedJobDescription:
    return ParsedJobDescription(
        position=page.position_title or (page.position.name if page.position else page.title),
        reports_to=page.reports_to,
        purpose=page.purpose,
        duties=[str(block.value) for block in page.duties],
        education=page.education,
        experience=page.experience,
        skills=page.skills,
        indicators=[str(block.value) for block in page.indicators],
    )


def page_to_parsed(page) -> ParsedDocument:
    """A regulation or job-description page as a ParsedDocument (for export and hashing)."""
    page = page.specific
    if hasattr(page, "body"):
        return ParsedDocument(
            title=page.title, blocks=stream_to_parsed(page.body), metadata=_metadata(page)
        )
    return ParsedDocument(
        title=page.title,
        metadata=_metadata(page),
        job_descriptions=[job_description_to_parsed(page)],
    )


def canonical_text(document: ParsedDocument) -> str:
    """The document's text as a reader sees it: title, numbered headings, articles, clauses.

    NFKC-normalised with whitespace collapsed, so the same rule typed twice compares equal.
    """
    lines = [document.title]
    for label, block, clause_labels in number_blocks(document.blocks):
        if block.kind == "table":
            lines.extend(" | ".join(row) for row in block.rows)
            continue
        lines.append(with_label(label, block.text))
        lines.extend(
            with_label(c_label, c.text)
            for c_label, c in zip(clause_labels, block.clauses, strict=True)
        )
    # A regulation's job descriptions are pages of their own; only a job description's
    # document (no body) is made of one.
    for jd in [] if document.blocks else document.job_descriptions:
        lines.extend(
            [
                jd.position,
                jd.reports_to,
                jd.purpose,
                *jd.duties,
                jd.education,
                jd.experience,
                jd.skills,
                *jd.indicators,
            ]
        )
    text = unicodedata.normalize("NFKC", "\n".join(line for line in lines if line))
    return re.sub(r"[ \t]+", " ", text).strip()


def canonical_digest(document: ParsedDocument) -> str:
    return hashlib.sha256(canonical_text(document).encode("utf-8")).hexdigest()


def parsed_to_dict(document: ParsedDocument) -> dict:
    """A ParsedDocument as JSON-ready data (the frozen content of an issued version)."""
    return dataclasses.asdict(document)


def parsed_from_dict(data: dict) -> ParsedDocument:
    def block(item: dict) -> ParsedBlock:
        return ParsedBlock(
            kind=item["kind"],
            text=item.get("text", ""),
            level=item.get("level", 0),
            clauses=[block(c) for c in item.get("clauses", [])],
            rows=item.get("rows", []),
            uid=item.get("uid", ""),
        )

    return ParsedDocument(
        title=data["title"],
        blocks=[block(b) for b in data.get("blocks", [])],
        metadata=dict(data.get("metadata", {})),
        job_descriptions=[ParsedJobDescription(**jd) for jd in data.get("job_descriptions", [])],
        warnings=list(data.get("warnings", [])),
        source_name=data.get("source_name", ""),
    )


def display_items(blocks: list[ParsedBlock]) -> list[dict]:
    """Blocks with their generated labels, shaped for templates (clauses paired with theirs)."""
    return [
        {
            "kind": block.kind,
            "label": label,
            "text": block.text,
            "level": block.level,
            "rows": block.rows,
            "uid": block.uid,
            "clauses": [
                {"label": c_label, "text": clause.text, "level": clause.level, "uid": clause.uid}
                for c_label, clause in zip(clause_labels, block.clauses, strict=True)
            ],
        }
        for label, block, clause_labels in number_blocks(blocks)
    ]


def table_of_contents(items: list[dict]) -> list[dict]:
    """The chapters and articles of ``display_items`` that can be linked to (目录)."""
    return [item for item in items if item["kind"] in ("chapter", "article") and item["uid"]]
