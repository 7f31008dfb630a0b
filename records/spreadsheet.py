"""Tables users download as CSV or XLSX: one place for what makes a cell safe.

A value a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage
return) is written with a leading apostrophe, so a name, title or tried username typed as
``=HYPERLINK(…)`` stays text (CSV injection). XLSX cells also lose the control characters
the format cannot hold. Plain functions returning bytes or text, no request object.
"""

import csv
import datetime
import io

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from records.exports import XLSX_TYPE

CSV_TYPE = "text/csv; charset=utf-8"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

__all__ = ["CSV_TYPE", "FORMULA_STARTS", "XLSX_TYPE", "csv_text", "safe_cell", "xlsx_bytes"]


def safe_cell(value):
    """Text a spreadsheet will not run as a formula; other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def _xlsx_value(value):
    value = safe_cell(value)
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)  # the caller gives local time; XLSX has no zones
    return value


def csv_text(header: list, rows, *, trailer: list | None = None) -> str:
    """CSV with a BOM (as Excel expects), every cell made safe; ``trailer`` is a last line
    written as given (e.g. the audit chain head)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    if trailer:
        writer.writerow(trailer)
    return buffer.getvalue()


def xlsx_bytes(header: list, rows, *, title: str = "Sheet1", widths: dict | None = None) -> bytes:
    """One sheet: a bold header row, then the rows, every cell made safe."""
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append([_xlsx_value(cell) for cell in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_xlsx_value(cell) for cell in row])
    for letter, width in (widths or {}).items():
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
