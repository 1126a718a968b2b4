"""Parsing cells, and finding each column of a row by its header."""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Callable, Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl.utils.datetime import from_excel

from civility.core.i18n import format_number
from civility.orgs.imports.columns import NO_WORDS, YES_WORDS, Column
from civility.orgs.imports.files import Problem, Table, cell_text, normalize
from civility.orgs.models import OrgUnit


class BadValue(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def parse_date(value: Any) -> datetime.date | None:
    if value is None or cell_text(value) == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    # A date cell Excel stored as a plain number (days since 1899-12-30).
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 2958466:
        moment: datetime.datetime = from_excel(value)
        return moment.date()
    text = re.sub(r"[ T]00:00(:00)?$", "", cell_text(value))
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d"):
        try:
            day = datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a date
        except ValueError:
            continue
        if 1900 <= day.year <= 2100:
            return day
    raise BadValue(
        _("'%(value)s' is not a date; write it as dd/mm/yyyy") % {"value": cell_text(value)}
    )


def parse_year(value: Any) -> int | None:
    text = cell_text(value)
    if not text:
        return None
    if not text.isdigit() or not 1900 <= int(text) <= 2100:
        raise BadValue(_("'%(value)s' is not a year") % {"value": text})
    return int(text)


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = normalize(cell_text(value))
    if word == "" or word in NO_WORDS:
        return False
    if word in YES_WORDS:
        return True
    raise BadValue(
        _("'%(value)s' is not yes or no; write có or không") % {"value": cell_text(value)}
    )


def _check_length(text: str, column: Column) -> str:
    if column.max_length and len(text) > column.max_length:
        raise BadValue(
            ngettext(
                "is %(length)s characters long; at most %(limit)s is allowed",
                "is %(length)s characters long; at most %(limit)s are allowed",
                column.max_length,
            )
            % {"length": format_number(len(text)), "limit": format_number(column.max_length)}
        )
    return text


def code_key(code: str) -> str:
    return code.strip().upper()


def only_one(found: list[Any], what: str, text: str) -> tuple[Any, str]:
    """The single match, or why there is none (never a guess between several)."""
    unique = list(dict.fromkeys(found))
    if len(unique) == 1:
        return unique[0], ""
    if not unique:
        return None, _("no %(what)s '%(text)s' under this unit") % {"what": what, "text": text}
    return None, _("'%(text)s' matches %(count)s %(what)s; give the code") % {
        "text": text,
        "count": len(unique),
        "what": what,
    }


class UnitsUnder:
    """The units under an import's root, former ones too (a file of 2022 names the units of
    2022), read once: found by code, or with `names` also by name (diacritics and case
    ignored), and never guessed between several."""

    def __init__(self, root: OrgUnit, *, names: bool = False) -> None:
        self.root = root
        self.by_code: dict[str, list[OrgUnit]] = defaultdict(list)
        self.by_name: dict[str, list[OrgUnit]] = defaultdict(list)
        for unit in OrgUnit.objects.subtree_of(root):
            if unit.code:
                self.by_code[code_key(unit.code)].append(unit)
            if names:
                for name in {unit.name, unit.name_en} - {""}:
                    self.by_name[normalize(name)].append(unit)

    def by_code_only(self, code: str) -> tuple[OrgUnit | None, str]:
        found = self.by_code.get(code_key(code), [])
        if len(found) == 1:
            return found[0], ""
        if not found:
            return None, _("no unit with code '%(code)s' exists under this unit") % {"code": code}
        return None, _("several units under this unit have the code '%(code)s'") % {"code": code}

    def by_code_or_name(
        self, text: str, *, under: OrgUnit | None = None, codes: bool = True, names: bool = True
    ) -> tuple[OrgUnit | None, str]:
        """The unit of that code, else of that name (only where unique), within `under`;
        `codes=False` or `names=False` for a column that holds only one of them."""
        found = (self.by_code.get(code_key(text), []) if codes else []) or (
            self.by_name.get(normalize(text), []) if names else []
        )
        if under is not None:
            found = [unit for unit in found if unit.path.startswith(under.path)]
        return only_one(found, _("unit"), text)


# --- rows -------------------------------------------------------------------------------


class Sheet:
    """Header mapping and per-cell access with problem collection."""

    def __init__(self, table: Table, columns: tuple[Column, ...]) -> None:
        self.table = table
        self.columns = {c.key: c for c in columns}
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self.index: dict[str, int] = {}
        self.titles: dict[str, str] = {}
        by_name = {name: c for c in columns for name in c.names()}
        for position, header in enumerate(table.headers):
            if header == "":
                continue
            column = by_name.get(normalize(header))
            if column is None:
                expected = ", ".join(c.key for c in columns)
                self.errors.append(
                    Problem(
                        _("unknown column; the columns are: %(columns)s") % {"columns": expected},
                        row=table.header_row,
                        column_title=header,
                    )
                )
            elif column.key in self.index:
                self.errors.append(
                    Problem(
                        _("this column appears twice"),
                        row=table.header_row,
                        column=column.key,
                        column_title=header,
                    )
                )
            else:
                self.index[column.key] = position
                self.titles[column.key] = header
        for column in columns:
            if column.required and column.key not in self.index:
                self.errors.append(
                    Problem(
                        _("The required column %(column)s (%(title)s) is missing.")
                        % {"column": column.key, "title": column.title}
                    )
                )

    def has(self, key: str) -> bool:
        return key in self.index

    def raw(self, values: list[Any], key: str) -> Any:
        position = self.index.get(key)
        if position is None or position >= len(values):
            return None
        return values[position]

    def text(self, values: list[Any], key: str) -> str:
        return cell_text(self.raw(values, key))

    def error(self, row: int, key: str, message: str) -> None:
        self.errors.append(
            Problem(message, row=row, column=key, column_title=self.titles.get(key, ""))
        )

    def warning(self, row: int, key: str, message: str) -> None:
        self.warnings.append(
            Problem(message, row=row, column=key, column_title=self.titles.get(key, ""))
        )

    def choice(
        self, row: int, values: list[Any], key: str, vocabulary: Mapping[str, str], refusal: str
    ) -> str | None:
        """The value the cell's words name in `vocabulary` (columns.vocabulary_of); None, with
        an error recorded, when the cell is blank or names none (`refusal`, where
        %(value)s stands for the cell's text)."""
        text = self.text(values, key)
        value = vocabulary.get(normalize(text))
        if value is None:
            self.error(row, key, refusal % {"value": text} if text else _("is required"))
        return value

    def value(
        self,
        row: int,
        values: list[Any],
        key: str,
        parse: Callable[[Any], object] | None = None,
    ) -> Any:
        """The cell parsed (text by default); None, with an error recorded, when it is bad."""
        column = self.columns[key]
        raw = self.raw(values, key)
        try:
            if parse is not None:
                return parse(raw)
            text = _check_length(cell_text(raw), column)
            if column.required and text == "":
                raise BadValue(_("is required"))
            return text
        except BadValue as bad:
            self.error(row, key, bad.message)
            return None
