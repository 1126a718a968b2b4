"""Spreadsheet exports that cannot run formulas (CSV/formula injection).

A cell whose text starts with = + - @ (or a tab / carriage return) is read as a formula by
Excel and LibreOffice: a citizen's comment "=HYPERLINK(…)" in an export would run on the
coordinator's computer. Every export writes its cells through these helpers:

- .xlsx: ``append_row(sheet, values)`` / ``set_cell(sheet, row, column, value)`` keep the text
  as it is but store it as text with Excel's quote prefix (the cell shows the leading = and
  never evaluates it, even after editing), so files that are imported back read the same text;
  control characters, which openpyxl refuses, are dropped;
- .csv: ``csv_row(values)`` prefixes such text with an apostrophe, as OWASP advises, because
  a CSV cell has no type.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_risky(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def neutralise(value: Any) -> Any:
    """The value for a CSV cell: risky text gets a leading apostrophe, the rest is unchanged."""
    return "'" + value if is_risky(value) else value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [neutralise(value) for value in values]


def _protect(cell) -> None:
    if is_risky(cell.value):
        cell.data_type = "s"  # openpyxl stores text starting with "=" as a formula
        cell.quotePrefix = True


def _xlsx_value(value: Any) -> Any:
    # Control characters (a pasted comment can hold them) make openpyxl refuse the whole file.
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def set_cell(sheet, row: int, column: int, value: Any):
    cell = sheet.cell(row=row, column=column, value=_xlsx_value(value))
    _protect(cell)
    return cell


def append_row(sheet, values: Iterable[Any]) -> None:
    sheet.append([_xlsx_value(value) for value in values])
    for cell in sheet[sheet.max_row]:
        _protect(cell)
