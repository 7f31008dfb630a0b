"""Spreadsheets generated for users: plain functions returning bytes."""

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from records.importing.employees import COLUMNS
from records.models import Department, Position

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def employee_import_template_xlsx() -> bytes:
    """The organisation import's columns (required ones in bold) and one example row."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "员工"
    sheet.append([column.aliases[0] for column in COLUMNS])
    for cell, column in zip(sheet[1], COLUMNS, strict=True):
        cell.font = Font(bold=column.required)
        sheet.column_dimensions[cell.column_letter].width = 14
    position = Position.objects.select_related("department").first()
    department = position.department if position else Department.objects.first()
    sheet.append(
        [
            "HM0100",
            "张三",
            department.path_name if department else "电子商务部/运营组",
            position.name if position else "运营专员",
            "",
            "内部",
            "在职",
            "2025-03-01",
            "",
            "zhangsan@example.com",
            "",
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
