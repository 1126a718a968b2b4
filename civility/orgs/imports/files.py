"""The file as a table: reading .xlsx and .csv, and the problems found in them."""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from unidecode import unidecode

from civility.core.i18n import format_number

# A whole city's officials in one file (Hanoi: about 169,000); the import runs as a
# background job (civility.core.jobs), so the size is bounded by memory, not by a request.
MAX_ROWS = 200_000
MAX_FILE_BYTES = 40 * 1024 * 1024
# Problems kept with a finished job for its page; the count says how many there were.
KEPT_PROBLEMS = 500
ALLOWED_EXTENSIONS = (".xlsx", ".csv")


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong type, undecodable, empty, too long)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    """A sheet's header and non-empty rows, each with its row number as Excel shows it."""

    headers: list[str]
    header_row: int = 1
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)


@dataclass
class Problem:
    """One thing wrong (or worth a look) in the file, located as the user sees it."""

    message: str
    row: int | None = None
    column: str = ""  # the column key, e.g. "staff_category"
    column_title: str = ""  # the header as written in the file, e.g. "Phân loại"

    @property
    def column_display(self) -> str:
        if (
            self.column
            and self.column_title
            and normalize(self.column_title) != normalize(self.column)
        ):
            return f"{self.column_title} ({self.column})"
        return self.column or self.column_title

    def as_dict(self) -> dict[str, Any]:
        return {
            "message": self.message,
            "row": self.row,
            "column": self.column,
            "column_title": self.column_title,
            "column_display": self.column_display,  # for the job's page, which has no objects
            "text": str(self),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Problem:
        return cls(
            message=data["message"],
            row=data.get("row"),
            column=data.get("column", ""),
            column_title=data.get("column_title", ""),
        )

    @property
    def text(self) -> str:
        return str(self)

    def __str__(self) -> str:
        if self.row is not None and (self.column or self.column_title):
            return _("Row %(row)s, column %(column)s: %(message)s") % {
                "row": self.row,
                "column": self.column_display,
                "message": self.message,
            }
        if self.row is not None:
            return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return self.message


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    dry_run: bool = False
    error_total: int = 0  # when `errors` was cut to KEPT_PROBLEMS (a stored job's result)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    def as_dict(self) -> dict[str, Any]:
        """Kept with the job that ran the import: counts, and the first problems."""
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "dry_run": self.dry_run,
            "error_total": len(self.errors),
            "errors": [problem.as_dict() for problem in self.errors[:KEPT_PROBLEMS]],
            "warnings": [problem.as_dict() for problem in self.warnings[:KEPT_PROBLEMS]],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportResult:
        return cls(
            created=data.get("created", 0),
            updated=data.get("updated", 0),
            unchanged=data.get("unchanged", 0),
            dry_run=data.get("dry_run", False),
            error_total=data.get("error_total", 0),
            errors=[Problem.from_dict(problem) for problem in data.get("errors", [])],
            warnings=[Problem.from_dict(problem) for problem in data.get("warnings", [])],
        )


# --- normalising text -------------------------------------------------------------------


def normalize(text: Any) -> str:
    """Lower-case ASCII words: "Công chức *" and "cong_chuc" both give "cong chuc"."""
    ascii_text = unidecode(str(text or "")).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", ascii_text).split())


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return " ".join(str(value).split())


# --- reading files ----------------------------------------------------------------------


class BinaryFile(Protocol):
    """An open file read whole as bytes: an upload, a stored file, io.BytesIO."""

    def read(self) -> bytes: ...


def read_table(file: BinaryFile, name: str) -> Table:
    """Read the first sheet of an .xlsx, or a .csv (UTF-8, comma or semicolon)."""
    lower = (name or "").lower()
    if not lower.endswith(ALLOWED_EXTENSIONS):
        raise ImportFileError(_("Upload an .xlsx or .csv file."))
    data = file.read()
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(
            _("The file is larger than %(size)s MB.") % {"size": MAX_FILE_BYTES // 1024 // 1024}
        )
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    rows = _xlsx_rows(data) if lower.endswith(".xlsx") else _csv_rows(data)
    return _table_from_rows(rows)


def _xlsx_rows(data: bytes) -> Iterator[Sequence[Any]]:
    if not data.startswith(b"PK"):
        raise ImportFileError(_("This is not an .xlsx workbook (old .xls files are not read)."))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        raise ImportFileError(_("This .xlsx file is damaged or is not a workbook.")) from None
    try:
        sheet = workbook.worksheets[0]
        yield from sheet.iter_rows(values_only=True)
    finally:
        workbook.close()


def _csv_rows(data: bytes) -> Iterator[Sequence[Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            _('The .csv file is not UTF-8 text. Save it from Excel as "CSV UTF-8".')
        ) from None
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        first_line = sample.splitlines()[0] if sample else ""
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as error:
        message = _("The .csv file cannot be read: %(error)s") % {"error": error}
        raise ImportFileError(message) from None


def _table_from_rows(rows: Iterable[Sequence[Any] | None]) -> Table:
    table: Table | None = None
    for number, raw in enumerate(rows, start=1):
        values = list(raw or ())
        while values and cell_text(values[-1]) == "":
            values.pop()
        if not values:
            continue
        if table is None:
            table = Table(headers=[cell_text(v) for v in values], header_row=number)
            continue
        if len(table.rows) >= MAX_ROWS:
            raise ImportFileError(
                _("The file has more than %(limit)s rows; split it into several files.")
                % {"limit": format_number(MAX_ROWS)}
            )
        table.rows.append((number, values))
    if table is None:
        raise ImportFileError(_("The file is empty."))
    if not table.rows:
        raise ImportFileError(_("The file has a header row but no rows of data below it."))
    return table
