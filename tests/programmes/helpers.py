"""Spreadsheets built in memory for import tests."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile


def xlsx(rows: list[list]) -> SimpleUploadedFile:
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(
        "data.xlsx",
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
