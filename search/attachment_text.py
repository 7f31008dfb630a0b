"""The text of attached files, for search: .docx (python-docx), .pdf (pypdf: the text layer; a
scan without one yields nothing), .txt (UTF-8, GBK/GB18030 or UTF-16, as records.text_encoding
reads imports). Never raises: a damaged or unknown file contributes no text, and at most
MAX_CHARS are kept so one huge file cannot swamp the index."""

import io
import logging
from pathlib import PurePath

from records.text_encoding import decode_text

logger = logging.getLogger(__name__)

MAX_CHARS = 200_000
MAX_PDF_PAGES = 200


def _docx(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def _pdf(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join((page.extract_text() or "") for page in reader.pages[:MAX_PDF_PAGES])


READERS = {".docx": _docx, ".pdf": _pdf, ".txt": decode_text}


def attachment_text(name: str, data: bytes) -> str:
    """The searchable text of one file ("" when there is none)."""
    read = READERS.get(PurePath(name).suffix.lower())
    if read is None:
        return ""
    try:
        return (read(data) or "")[:MAX_CHARS]
    except Exception as exc:  # noqa: BLE001 — any damaged file: no text, never an error
        logger.info("no text from %s: %s", name, exc)
        return ""
