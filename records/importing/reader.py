"""Turn an uploaded file into a header and rows, whatever Excel or WPS saved it as.

Chinese offices send CSV in GBK/GB18030 (Excel's default "CSV" on a Chinese Windows), UTF-8
with or without a BOM ("CSV UTF-8"), or UTF-16 ("Unicode text", tab-separated), and XLSX. The
format is decided by the content, not the file name, so a renamed file is caught here.
"""

import csv
import datetime
import io
import unicodedata
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from records import text_encoding
from records.text_encoding import UndecodableText

from .errors import ImportFileError

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls / .doc

CellValue = str | datetime.date


@dataclass
class Table:
    """A header (normalised column names) and data rows numbered as the user sees them."""

    headers: list[str]
    rows: list[tuple[int, list[CellValue]]] = field(default_factory=list)


def check_size(size: int) -> None:
    """Refuse a file before reading it when it is larger than the configured limit."""
    limit = settings.ZHIDU_IMPORT_MAX_BYTES
    if size > limit:
        raise ImportFileError(
            _("The file is %(size)s; files up to %(limit)s can be imported.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
        )


def read_table(*, data: bytes, filename: str = "") -> Table:
    """Parse CSV or XLSX bytes into a Table; raise ImportFileError with a clear reason."""
    check_size(len(data))
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    if data.startswith(ZIP_MAGIC):
        table = _read_xlsx(data)
    elif data.startswith(OLE_MAGIC):
        raise ImportFileError(
            _("Old Excel (.xls) files cannot be read; save the sheet as .xlsx or CSV.")
        )
    elif filename.lower().endswith((".xlsx", ".xlsm")):
        raise ImportFileError(_("The file is named .xlsx but is not an Excel workbook."))
    else:
        table = _read_csv(decode_text(data))
    if not table.headers:
        raise ImportFileError(_("The file is empty."))
    if not table.rows:
        raise ImportFileError(_("The file has a header row but no data rows."))
    if len(table.rows) > settings.ZHIDU_IMPORT_MAX_ROWS:
        raise ImportFileError(
            _("The file has %(count)s rows; at most %(limit)s can be imported at once.")
            % {"count": len(table.rows), "limit": settings.ZHIDU_IMPORT_MAX_ROWS}
        )
    return table


def decode_text(data: bytes) -> str:
    try:
        return text_encoding.decode_text(data)
    except UndecodableText as exc:
        if exc.binary:
            raise ImportFileError(
                _("The file is not a text (CSV) file or an Excel workbook.")
            ) from exc
        raise ImportFileError(
            _("The file's text encoding could not be recognised; save it as UTF-8 or GBK CSV.")
        ) from exc


def normalise_header(text: str) -> str:
    """Full-width to half-width, no spaces, no required-field marks (*), lower case."""
    text = unicodedata.normalize("NFKC", str(text)).strip().strip("*").strip()
    return "".join(text.split()).lower()


def _read_csv(text: str) -> Table:
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), dialect))
    except csv.Error as exc:
        raise ImportFileError(_("The CSV file is malformed: %(reason)s") % {"reason": exc}) from exc
    return _table_from_records((i, list(rec)) for i, rec in enumerate(records, start=1))


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        records = [
            (i, [_xlsx_cell(value) for value in row])
            for i, row in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
        workbook.close()
    except (
        zipfile.BadZipFile,
        InvalidFileException,
        KeyError,
        IndexError,
        OSError,
        ValueError,
        TypeError,
        SyntaxError,  # corrupt XML inside the workbook (lxml and ElementTree parse errors)
    ) as exc:
        raise ImportFileError(
            _("The file is not a readable Excel workbook (.xlsx); it may be damaged or renamed.")
        ) from exc
    return _table_from_records(records)


def _xlsx_cell(value) -> CellValue:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 工号 typed as a number: 1001.0 → "1001"
    return str(value)


def _table_from_records(records) -> Table:
    headers: list[str] | None = None
    rows: list[tuple[int, list[CellValue]]] = []
    for number, cells in records:
        if not any(str(cell).strip() for cell in cells):
            continue
        if headers is None:
            headers = [normalise_header(cell) for cell in cells]
            continue
        cells = [cell.strip() if isinstance(cell, str) else cell for cell in cells]
        rows.append((number, cells))
    return Table(headers=headers or [], rows=rows)
