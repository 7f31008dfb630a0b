"""Plain-text and Markdown files → SourceLines."""

import re

from django.utils.translation import gettext as _

from records import text_encoding
from records.text_encoding import UndecodableText

from .document import SourceLine
from .errors import DocumentFileError

MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*$")
MARKDOWN_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}")


def decode_text(data: bytes) -> str:
    try:
        return text_encoding.decode_text(data)
    except UndecodableText as exc:
        if exc.binary:
            raise DocumentFileError(
                _("The file is not a text file (it contains binary data).")
            ) from exc
        raise DocumentFileError(
            _("The file's text encoding could not be recognised; save it as UTF-8.")
        ) from exc


def read_text(data: bytes) -> list[SourceLine]:
    return [SourceLine(text=line) for line in decode_text(data).splitlines()]


def read_markdown(data: bytes) -> list[SourceLine]:
    """Markdown: # headings give outline levels, pipe tables become tables, ** marks dropped."""
    lines: list[SourceLine] = []
    table: list[list[str]] = []
    for raw in decode_text(data).splitlines():
        stripped = raw.strip()
        if stripped.startswith("|"):
            if not MARKDOWN_TABLE_RULE.match(stripped):
                table.append([cell.strip() for cell in stripped.strip("|").split("|")])
            continue
        if table:
            lines.append(SourceLine(text="", table=table))
            table = []
        heading = MARKDOWN_HEADING.match(stripped)
        text = re.sub(r"\*\*(.+?)\*\*", r"\1", heading.group(2) if heading else stripped)
        text = re.sub(r"^[-*+]\s+", "", text)
        lines.append(SourceLine(text=text, heading=len(heading.group(1)) if heading else None))
    if table:
        lines.append(SourceLine(text="", table=table))
    return lines
