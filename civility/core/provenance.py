"""Provenance of an export: what it shows (title, filters, period), when and by whom it was
produced, and a fingerprint of the data in it, so that two printed copies can be reconciled.

The fingerprint is SHA-256 over a canonical serialisation of the data rows exactly as the
export writes them, and of nothing else: not the time, not the person, not the layout. Two
copies with the same fingerprint carry the same figures, whoever produced them and whenever;
one changed cell gives another fingerprint. Its first 12 hex digits, in groups of four
("3F2A-9C01-B7E4"), are printed on the file to be read aloud or compared by eye; the file's
properties carry all 64.

Canonical cells: empty (None or "") is "", numbers are written in plain decimal without
trailing zeros whatever their type (so 80, 80.0 and Decimal("80.00") agree, but never the
text "80"), dates in ISO 8601, text as it is. Empty cells at the end of a row and empty rows
are left out: they are layout, not data. The writers in civility.core.exports feed it.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser, User
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from civility.core.i18n import person_name

VERSION = b"civility-fingerprint-1\n"
SHORT_DIGITS = 12


def _canonical(value: object) -> str:
    if value is None or (isinstance(value, str) and value == ""):
        return ""
    if isinstance(value, bool):
        return "b:1" if value else "b:0"
    if isinstance(value, int | float | Decimal):
        try:
            number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        except InvalidOperation:
            return "n:" + repr(value)
        if not number.is_finite():
            return "n:" + str(number)
        return "n:" + format(number.normalize(), "f")
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(datetime.UTC)
        return "t:" + value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return "d:" + value.isoformat()
    return "s:" + str(value)


class Fingerprint:
    """An accumulating SHA-256 over rows of cells (and the names of the parts they are in)."""

    def __init__(self) -> None:
        self._hash = hashlib.sha256(VERSION)

    def part(self, name: str) -> None:
        """Starts a named part (a sheet of a workbook): moving a row to another sheet counts."""
        self._hash.update(b"\x1d" + json.dumps(str(name), ensure_ascii=False).encode() + b"\n")

    def add(self, values: Iterable[Any]) -> None:
        cells = [_canonical(value) for value in values]
        while cells and cells[-1] == "":
            cells.pop()
        if cells:
            self._hash.update(json.dumps(cells, ensure_ascii=False).encode() + b"\n")

    def add_rows(self, rows: Iterable[Iterable[Any]]) -> Fingerprint:
        for row in rows:
            self.add(row)
        return self

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def fingerprint_rows(rows: Iterable[Iterable[Any]]) -> str:
    return Fingerprint().add_rows(rows).hexdigest()


def short(fingerprint: str) -> str:
    """The first 12 hex digits in groups of four, for reading aloud: "3F2A-9C01-B7E4"."""
    digits = fingerprint[:SHORT_DIGITS].upper()
    return "-".join(digits[i : i + 4] for i in range(0, len(digits), 4))


def display_name(user: AbstractBaseUser | AnonymousUser | None) -> str:
    """Who produced an export: the full name, else the user name; "—" when nobody is known
    (a background report whose requester was deleted)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return "—"
    # Whoever is signed in is an auth.User (AUTH_USER_MODEL).
    return person_name(cast(User, user))


@dataclass(frozen=True)
class Provenance:
    """What an export carries about itself. ``filters`` are ordered (label, value) pairs and
    include the unit and the period when the export has them. ``fingerprint`` (64 hex
    digits) is filled by the writer in civility.core.exports from the rows it writes."""

    title: str
    filters: tuple[tuple[str, str], ...]
    produced_at: datetime.datetime
    produced_by: str
    fingerprint: str = ""

    @classmethod
    def start(
        cls,
        *,
        title: str,
        filters: Sequence[tuple[Any, Any]],
        by: AbstractBaseUser | AnonymousUser | None,
        at: datetime.datetime | None = None,
        language: str | None = None,
    ) -> Provenance:
        """The provenance of an export about to be written by ``by`` (a user, or None). The
        language is always among the filters: labels written in the file depend on it, and
        so does the fingerprint."""
        language = language or translation.get_language() or settings.LANGUAGE_CODE
        return cls(
            title=str(title),
            filters=(
                *((str(label), _text(value)) for label, value in filters),
                (_("Language"), language),
            ),
            produced_at=at or timezone.now(),
            produced_by=display_name(by),
        )

    def with_fingerprint(self, fingerprint: str) -> Provenance:
        return replace(self, fingerprint=fingerprint)

    @property
    def short_fingerprint(self) -> str:
        return short(self.fingerprint)

    @property
    def produced_at_text(self) -> str:
        """Local time with its offset, unambiguous in both languages: 2026-11-23 19:33 +07:00."""
        local = timezone.localtime(self.produced_at)
        offset = local.strftime("%z")
        return f"{local:%Y-%m-%d %H:%M} {offset[:3]}:{offset[3:]}"

    def filters_text(self) -> str:
        return "; ".join(f"{label}: {value}" for label, value in self.filters)

    def rows(self) -> list[tuple[str, str]]:
        """Every fact as a (label, value) pair: the Provenance sheet, the .csv block."""
        return [
            (_("Title"), self.title),
            *self.filters,
            (_("Produced at"), self.produced_at_text),
            (_("Produced by"), self.produced_by),
            (_("Fingerprint"), self.short_fingerprint),
            (_("Fingerprint (SHA-256)"), self.fingerprint),
        ]

    def footer_lines(self) -> list[str]:
        """Two lines for the foot of each printed page."""
        first = self.title + (" — " + self.filters_text() if self.filters else "")
        second = "; ".join(
            [
                _("Produced at: %(time)s") % {"time": self.produced_at_text},
                _("Produced by: %(name)s") % {"name": self.produced_by},
                _("Fingerprint: %(fingerprint)s") % {"fingerprint": self.short_fingerprint},
            ]
        )
        return [first, second]

    def note(self) -> str:
        return _(
            "The fingerprint is computed from the data in this file only: exporting the same "
            "data again gives the same fingerprint, whoever produces it and whenever; any "
            "changed figure gives another one."
        )


def _text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)
