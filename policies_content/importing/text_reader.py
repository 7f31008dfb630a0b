"""Plain-text and Markdown files → SourceLines."""

import codecs
import re

from django.utils.translation import gettext as _

from .document import SourceLine
from .errors import DocumentFileError

MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*$")
MARKDOWN_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}")


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (covers GBK and GB2312)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="strict")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    if b"\x00" in data[:4096]:
        raise DocumentFileError(_("The file is not a text file (it contains binary data)."))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise DocumentFileError(
            _("The file's text encoding could not be recognised; save it as UTF-8.")
        ) from exc
    control = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\r\n\t\f")
    if control > 8:
        raise DocumentFileError(_("The file is not a text file (it contains binary data)."))
    return text


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
