"""The template files users download, built from the columns the reader accepts."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from civility.orgs.imports.cells import parse_date
from civility.orgs.imports.columns import COLUMNS, IMPORTABLE_KINDS, STAFF_CATEGORY_WORDS, Column
from civility.orgs.imports.files import MAX_ROWS
from civility.orgs.models import StaffCategory, UnitKind


def _choice_words(kind: str) -> list[str]:
    if kind == "structure":
        return [aliases[0] for aliases in IMPORTABLE_KINDS.values()]
    return [aliases[0] for aliases in STAFF_CATEGORY_WORDS.values()]


def _allowed_values(key: str) -> str:
    if key == "kind":
        return "; ".join(
            f"{aliases[0]} = {UnitKind(value).label} ({value})"
            for value, aliases in IMPORTABLE_KINDS.items()
        )
    if key == "staff_category":
        return "; ".join(
            f"{aliases[0]} = {StaffCategory(value).label} ({value})"
            for value, aliases in STAFF_CATEGORY_WORDS.items()
        )
    if key == "is_leader":
        return "Có / Không, yes / no, x, 1 / 0"
    if key in ("valid_from", "post_start_date"):
        return "dd/mm/yyyy"
    return ""


def template_xlsx(kind: str) -> bytes:
    return spreadsheet_template(
        COLUMNS[kind],
        allowed=_allowed_values,
        date_keys=("valid_from", "post_start_date"),
        dropdowns=_dropdowns(kind),
        instructions=_(
            "Fill in the first sheet: one row per %(what)s, from row 2. The header row may "
            "use these titles or the keys. Delete the example row before importing."
        )
        % {"what": _("unit") if kind == "structure" else _("official")},
    )


def _dropdowns(kind: str) -> dict[str, list[str]]:
    choice_key = "kind" if kind == "structure" else "staff_category"
    dropdowns = {choice_key: _choice_words(kind)}
    if kind == "officials":
        dropdowns["is_leader"] = ["Có", "Không"]
    return dropdowns


def spreadsheet_template(
    columns: Sequence[Column],
    *,
    allowed: Callable[[str], str] = lambda key: "",
    date_keys: tuple[str, ...] = (),
    dropdowns: dict[str, list[str]] | None = None,
    instructions: str = "",
) -> bytes:
    """The .xlsx users fill in for any import read with `Column`s: the data sheet (titles
    with their meaning in a note, an example row, codes kept as text and dates as dates),
    drop-down lists of the accepted words (other spellings stay accepted), and a help sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Dữ liệu"
    sheet.freeze_panes = "A2"
    for position, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=position, value=column.title)
        cell.font = Font(bold=True)
        note = f"{column.key}: {column.help}\n{allowed(column.key)}".strip()
        cell.comment = Comment(note, "Civility", width=320, height=160)
        sheet.column_dimensions[get_column_letter(position)].width = max(16, len(column.title) + 4)
        example = sheet.cell(row=2, column=position, value=column.example or None)
        number_format = None
        if column.text_format:
            number_format = "@"
        elif column.key in date_keys:
            number_format = "DD/MM/YYYY"
            if column.example:
                example.value = parse_date(column.example)
        if number_format:
            for row in range(2, 1001):
                sheet.cell(row=row, column=position).number_format = number_format

    if dropdowns:
        lists = workbook.create_sheet("Danh mục")
        for list_column, (key, words) in enumerate(dropdowns.items(), start=1):
            letter = get_column_letter(list_column)
            lists.cell(row=1, column=list_column, value=key).font = Font(bold=True)
            for row, word in enumerate(words, start=2):
                lists.cell(row=row, column=list_column, value=word)
            position = next(i for i, c in enumerate(columns, start=1) if c.key == key)
            target = get_column_letter(position)
            validation = DataValidation(
                type="list",
                formula1=f"='Danh mục'!${letter}$2:${letter}${len(words) + 1}",
                allow_blank=True,
                showErrorMessage=False,  # other spellings (English, no diacritics) are accepted
            )
            sheet.add_data_validation(validation)
            validation.add(f"{target}2:{target}{MAX_ROWS + 1}")

    help_sheet = workbook.create_sheet("Help")
    help_sheet.append(
        [
            _("Column title"),
            pgettext("spreadsheet column", "Key"),
            _("Required"),
            _("Meaning"),
            _("Allowed values"),
        ]
    )
    for cell in help_sheet[1]:
        cell.font = Font(bold=True)
    for column in columns:
        help_sheet.append(
            [
                column.title,
                column.key,
                _("yes") if column.required else _("no"),
                str(column.help),
                allowed(column.key),
            ]
        )
    if instructions:
        help_sheet.append([])
        help_sheet.append([instructions])
    for letter, width in zip("ABCDE", (28, 18, 10, 80, 80), strict=True):
        help_sheet.column_dimensions[letter].width = width

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def spreadsheet_csv(columns: Sequence[Column]) -> bytes:
    """The same as a .csv: the titles and the example row."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow([c.title for c in columns])
    writer.writerow([c.example for c in columns])
    # A byte-order mark makes Excel open the file as UTF-8.
    return buffer.getvalue().encode("utf-8-sig")


def template_csv(kind: str) -> bytes:
    return spreadsheet_csv(COLUMNS[kind])
