"""One file in, the regulations and job descriptions in it out (nothing is written here)."""

import re
from dataclasses import dataclass, field
from pathlib import PurePath

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .cleaning import clean_line, clean_lines
from .document import ParsedDocument, SourceLine
from .errors import DocumentFileError
from .jobs import (
    job_description_document,
    job_descriptions_from_blocks,
    job_descriptions_from_lines,
)
from .metadata import control_table_lines, extract_metadata
from .splitting import (
    RawDocument,
    split_documents,
    table_of_contents,
    tidy_title,
)
from .structure import HeadingLine, build_blocks, tokenize
from .text_reader import read_markdown, read_text

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SUPPORTED = (".txt", ".md", ".markdown", ".docx")
MAX_TITLE = 200
ANY_MARKER = re.compile(
    r"第[一二三四五六七八九十百]+[章条]|[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|\d{1,2}[、.．]"
)


@dataclass
class ParsedFile:
    name: str
    documents: list[ParsedDocument] = field(default_factory=list)
    error: str = ""


def parse_file(*, name: str, data: bytes, size: int | None = None) -> ParsedFile:
    """Parse one uploaded file; a file that cannot be read gets ``error`` and no documents."""
    try:
        lines = read_source(name=name, data=data, size=size)
        return ParsedFile(name=name, documents=parse_lines(lines, source_name=name))
    except DocumentFileError as exc:
        return ParsedFile(name=name, error=exc.message)


def read_source(*, name: str, data: bytes, size: int | None = None) -> list[SourceLine]:
    limit = settings.ZHIDU_DOCUMENT_IMPORT_MAX_BYTES
    size = len(data) if size is None else size
    if size > limit or len(data) > limit:
        raise DocumentFileError(
            _("The file is %(size)s; files up to %(limit)s can be imported.")
            % {"size": filesizeformat(max(size, len(data))), "limit": filesizeformat(limit)}
        )
    if not data.strip():
        raise DocumentFileError(_("The file is empty."))
    suffix = PurePath(name).suffix.lower()
    if suffix == ".docx" or data.startswith((ZIP_MAGIC, OLE_MAGIC)):
        from .docx_reader import DocxReadError, read_docx

        try:
            return read_docx(data)
        except DocxReadError as exc:
            raise DocumentFileError(exc.message) from exc
    if suffix in (".md", ".markdown"):
        return read_markdown(data)
    if suffix in ("", ".txt", ".text"):
        return read_text(data)
    raise DocumentFileError(
        _("Files of type %(suffix)s cannot be imported; use .txt, .md or .docx.")
        % {"suffix": suffix}
    )


def parse_lines(source: list[SourceLine], *, source_name: str = "") -> list[ParsedDocument]:
    """SourceLines → documents: clean, split, then structure each one."""
    fallback = tidy_title(PurePath(source_name).stem) or _("Untitled regulation")
    if any(line.heading == 1 and line.text.strip() for line in source):
        raw_documents = _split_on_title_style(source, fallback)
    else:
        texts = clean_lines([_line_text(line) for line in source if line.table is None])
        raw_documents = split_documents(_restore_tables(texts, source), fallback_title=fallback)
    return [doc for doc in (_structure(raw, source_name) for raw in raw_documents) if doc]


def _line_text(line: SourceLine) -> str:
    text = line.text
    if line.numbering and not text.startswith(line.numbering):
        text = f"{line.numbering}{text}"
    return text


def _restore_tables(texts: list[str], source: list[SourceLine]) -> list:
    """Put tables back among cleaned text lines (cleaning joins lines, so keep tables last
    in their run of text). Plain-text files have none."""
    tables = [line.table for line in source if line.table is not None]
    return texts + tables if tables else texts


def _split_on_title_style(source: list[SourceLine], fallback: str) -> list[RawDocument]:
    """Word files: every paragraph in the Title style starts a document."""
    documents: list[RawDocument] = []
    current: RawDocument | None = None
    for line in source:
        if line.heading == 1 and line.text.strip():
            current = RawDocument(title=tidy_title(clean_line(line.text)))
            documents.append(current)
            continue
        if current is None:
            current = RawDocument(title=fallback)
            documents.append(current)
        if line.table is not None:
            current.lines.append(line.table)
            continue
        for part in _line_text(line).split("\n"):  # a line break inside a Word paragraph
            text = clean_line(part)
            if text:
                current.lines.append(HeadingLine(text) if line.heading else text)
    return [doc for doc in documents if doc.lines]


def _structure(raw: RawDocument, source_name: str) -> ParsedDocument | None:
    lines = []
    for line in raw.lines:
        control = control_table_lines(line) if isinstance(line, list) else None
        lines.extend(control if control is not None else [line])
    metadata, lines = extract_metadata(_unglue_repeated_title(lines, raw.title))
    warnings = []
    if len(raw.title) > MAX_TITLE:
        warnings.append(
            _("The title was shortened to %(count)s characters.") % {"count": MAX_TITLE}
        )
        raw.title = raw.title[:MAX_TITLE]
    job_description = job_description_document(raw.title, lines)
    if job_description is not None:
        return ParsedDocument(
            title=raw.title,
            metadata=metadata,
            job_descriptions=[job_description],
            source_name=source_name,
        )
    toc = table_of_contents([line for line in lines if isinstance(line, str)])
    if toc:
        lines = _drop_toc(lines, toc)
    blocks = build_blocks(tokenize(lines), chapter_titles=toc)
    if not blocks:
        return None
    jobs = job_descriptions_from_blocks(blocks) + job_descriptions_from_lines(lines)
    document = ParsedDocument(
        title=raw.title,
        blocks=blocks,
        metadata=metadata,
        job_descriptions=jobs,
        source_name=source_name,
    )
    document.warnings.extend(warnings)
    if all(block.kind in ("paragraph", "table") for block in blocks):
        document.warnings.append(
            _(
                "No chapters, articles or numbered sections were recognised; the text was "
                "imported as paragraphs."
            )
        )
    return document


def _unglue_repeated_title(lines: list, title: str) -> list:
    """Scraped pages repeat the title mid-text before continuing (…解释。电商运营管理制度十、财务…):
    drop the repeat and start the continuation on its own line."""
    out: list = []
    for line in lines:
        while isinstance(line, str) and title and title in line[1:]:
            head, _sep, tail = line[1:].partition(title)
            head = line[0] + head
            if not (tail and ANY_MARKER.match(tail)):
                break
            out.append(head)
            line = tail
        out.append(line)
    return out


def _drop_toc(lines: list, toc: set[str]) -> list:
    """Remove the numbered table of contents itself (its entries become chapters)."""
    from .splitting import TOC_ENTRY

    out, seen = [], set()
    for line in lines:
        if isinstance(line, str):
            match = TOC_ENTRY.match(line)
            if match and match.group("entry").strip() in toc and len(seen) < len(toc) * 2:
                seen.add(line)
                continue
        out.append(line)
    return out
