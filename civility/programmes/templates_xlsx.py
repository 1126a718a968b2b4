"""The .xlsx templates users download for the actuals and recognition imports."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from civility.programmes.imports import ACTUAL_COLUMNS, RECOGNITION_COLUMNS

KINDS = {"actuals": ACTUAL_COLUMNS, "recognitions": RECOGNITION_COLUMNS}


def template_xlsx(kind: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Dữ liệu"
    sheet.freeze_panes = "A2"
    for position, column in enumerate(KINDS[kind], start=1):
        cell = sheet.cell(row=1, column=position, value=column.title)
        cell.font = Font(bold=True)
        cell.comment = Comment(f"{column.key}: {column.help}", "Civility", width=320, height=120)
        sheet.column_dimensions[get_column_letter(position)].width = max(16, len(column.title) + 4)
        if column.text_format:
            for row in range(2, 501):
                sheet.cell(row=row, column=position).number_format = "@"
        sheet.cell(row=2, column=position, value=str(column.example) or None)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
