"""Reading spreadsheets of actuals and of recognition lists, with the shared import helpers
(civility.orgs.imports: file reading, header matching, cell parsing, problems by row).

Nothing here writes: `plan_actuals` and `plan_recognitions` check every row against the file
and the database and return the rows to write, or the problems; the actions write a clean
plan in one transaction, so a file with any error changes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civility.orgs.imports import Column, Problem, Table, cell_text, normalize
from civility.orgs.imports.cells import BadValue, Sheet, code_key, parse_date
from civility.orgs.models import OrgUnit
from civility.programmes.models import Aggregation, CulturalTitle, Indicator

ACTUAL_COLUMNS = (
    Column(
        "indicator",
        "Mã chỉ tiêu",
        True,
        gettext_lazy("The indicator's code, as shown on its page."),
        aliases=("chi tieu", "indicator code", "ma chi so"),
        max_length=64,
        example="doanh-thu-di-tich",
        text_format=True,
    ),
    Column(
        "unit_code",
        "Mã đơn vị",
        True,
        gettext_lazy("Code (or exact name) of the unit, in the unit you import into."),
        aliases=("don vi", "unit", "ma don vi bao cao"),
        max_length=255,
        example="00103",
        text_format=True,
    ),
    Column(
        "year",
        "Năm",
        True,
        gettext_lazy("The year, for example 2025."),
        aliases=("nam bao cao",),
        example="2025",
    ),
    Column(
        "period",
        "Kỳ",
        False,
        gettext_lazy("0 or blank for the whole year; 1-4 for a quarter; 1-12 for a month."),
        aliases=("thang", "quy", "ky bao cao", "month", "quarter"),
        example="6",
    ),
    Column(
        "value",
        "Giá trị",
        True,
        gettext_lazy("The figure, in the indicator's unit of measure (1234.5 or 1.234,5)."),
        aliases=("so lieu", "thuc hien", "actual"),
        example="45.37",
    ),
    Column(
        "note",
        "Ghi chú",
        False,
        gettext_lazy("A note (optional)."),
        aliases=("notes",),
        max_length=500,
    ),
)

RECOGNITION_COLUMNS = (
    Column(
        "unit_code",
        "Mã đơn vị",
        True,
        gettext_lazy(
            "Code (or exact name) of the recognised village, residential group or commune; "
            "for a family, of the village or residential group it lives in."
        ),
        aliases=("don vi", "thon to dan pho", "unit"),
        max_length=255,
        example="TDP-01",
        text_format=True,
    ),
    Column(
        "household_code",
        "Mã hộ",
        False,
        gettext_lazy(
            "Families only: the household's code, the same every year, so that consecutive "
            "years are recognised."
        ),
        aliases=("ma ho gia dinh", "household"),
        max_length=64,
        example="H0001",
        text_format=True,
    ),
    Column(
        "household_head",
        "Chủ hộ",
        False,
        gettext_lazy("Families only: the head of the household."),
        aliases=("ho ten chu ho", "head"),
        max_length=255,
        example="Nguyễn Văn An",
    ),
    Column(
        "address",
        "Địa chỉ",
        False,
        gettext_lazy("Families only: the address (optional)."),
        aliases=("dia chi",),
        max_length=255,
        example="Số 12 ngõ 5",
    ),
    Column(
        "decision_no",
        "Số quyết định",
        False,
        gettext_lazy("Number of the recognition decision (optional)."),
        aliases=("quyet dinh", "decision"),
        max_length=64,
        example="125/QĐ-UBND",
    ),
    Column(
        "decided_on",
        "Ngày quyết định",
        False,
        gettext_lazy("Date of the decision, as dd/mm/yyyy (optional)."),
        aliases=("ngay", "decision date"),
        example="10/12/2025",
    ),
)


def parse_decimal(value: Any) -> Decimal | None:
    if value is None or cell_text(value) == "":
        return None
    if isinstance(value, bool):
        raise BadValue(_("'%(value)s' is not a number") % {"value": value})
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    text = cell_text(value).replace(" ", "")
    # 1.234,5 (Vietnamese) or 1,234.5 (English) or 45,37
    if "," in text and "." in text:
        text = (
            text.replace(".", "").replace(",", ".")
            if text.rfind(",") > text.rfind(".")
            else text.replace(",", "")
        )
    elif "," in text:
        text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise BadValue(_("'%(value)s' is not a number") % {"value": cell_text(value)}) from None
    if not number.is_finite():
        raise BadValue(_("'%(value)s' is not a number") % {"value": cell_text(value)})
    return number


def parse_int(value: Any) -> int | None:
    number = parse_decimal(value)
    if number is None:
        return None
    if number != number.to_integral():
        raise BadValue(_("'%(value)s' is not a whole number") % {"value": cell_text(value)})
    return int(number)


class UnitFinder:
    """Units of a subtree by code, or by exact name when the name is unique."""

    def __init__(self, root: OrgUnit) -> None:
        self.by_code: dict[str, OrgUnit] = {}
        by_name: dict[str, list[OrgUnit]] = {}
        for unit in OrgUnit.objects.subtree_of(root):
            if unit.code:
                self.by_code.setdefault(code_key(unit.code), unit)
            by_name.setdefault(normalize(unit.name), []).append(unit)
        self.by_name = by_name

    def find(self, text: str) -> OrgUnit:
        unit = self.by_code.get(code_key(text))
        if unit is not None:
            return unit
        named = self.by_name.get(normalize(text), [])
        if len(named) == 1:
            return named[0]
        if len(named) > 1:
            raise BadValue(_("several units are named '%(value)s'; use the code") % {"value": text})
        raise BadValue(
            _("no unit with code or name '%(value)s' in the unit you import into") % {"value": text}
        )


@dataclass
class PlannedActual:
    row: int
    indicator: Indicator
    unit: OrgUnit
    year: int
    period: int
    value: Decimal
    note: str


@dataclass
class ActualsPlan:
    rows: list[PlannedActual] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def plan_actuals(*, table: Table, root: OrgUnit, indicators: Iterable[Indicator]) -> ActualsPlan:
    """Check every row; `indicators` are those the importer may report (by code)."""
    sheet = Sheet(table, ACTUAL_COLUMNS)
    plan = ActualsPlan(errors=sheet.errors, warnings=sheet.warnings)
    if sheet.errors:
        return plan
    by_code = {indicator.code.lower(): indicator for indicator in indicators}
    units = UnitFinder(root)
    seen: dict[tuple[int, int, int, int], int] = {}
    for row, values in table.rows:
        code = sheet.value(row, values, "indicator")
        indicator = None
        if code:
            indicator = by_code.get(code.lower())
            if indicator is None:
                sheet.error(
                    row, "indicator", _("no indicator with code '%(code)s'") % {"code": code}
                )
            elif indicator.aggregation == Aggregation.RATIO:
                sheet.error(
                    row,
                    "indicator",
                    _("a ratio is computed from its two indicators; report those instead"),
                )
                indicator = None
        unit = None
        unit_text = sheet.value(row, values, "unit_code")
        if unit_text:
            try:
                unit = units.find(unit_text)
            except BadValue as bad:
                sheet.error(row, "unit_code", bad.message)
        year = sheet.value(row, values, "year", parse_int)
        if year is not None and not 2000 <= year <= 2100:
            sheet.error(row, "year", _("the year must be between 2000 and 2100"))
            year = None
        elif year is None and not sheet.text(values, "year"):
            sheet.error(row, "year", _("is required"))
        period = sheet.value(row, values, "period", parse_int)
        period = period or 0
        if indicator is not None:
            most = indicator.periods()
            if not (period == 0 if most == 0 else 1 <= period <= most):
                sheet.error(
                    row,
                    "period",
                    _("this indicator is %(frequency)s: the period must be %(allowed)s")
                    % {
                        "frequency": indicator.get_frequency_display().lower(),
                        "allowed": "0" if most == 0 else f"1-{most}",
                    },
                )
                indicator = None
        value = sheet.value(row, values, "value", parse_decimal)
        if value is None and not sheet.text(values, "value"):
            sheet.error(row, "value", _("is required"))
        elif value is not None and abs(value) >= Decimal("1e16"):
            sheet.error(row, "value", _("the number is too large"))
            value = None
        note = sheet.value(row, values, "note") or ""
        if indicator is None or unit is None or year is None or value is None:
            continue
        key = (indicator.pk, unit.pk, year, period)
        if key in seen:
            sheet.error(
                row,
                "unit_code",
                _("the same indicator, unit and period is already on row %(row)s")
                % {"row": seen[key]},
            )
            continue
        seen[key] = row
        plan.rows.append(PlannedActual(row, indicator, unit, year, period, value, note))
    return plan


@dataclass
class PlannedRecognition:
    row: int
    unit: OrgUnit
    household_code: str
    household_head: str
    address: str
    decision_no: str
    decided_on: datetime.date | None


@dataclass
class RecognitionsPlan:
    rows: list[PlannedRecognition] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def plan_recognitions(
    *, table: Table, root: OrgUnit, title: str, kinds: Collection[str] | None
) -> RecognitionsPlan:
    """Check every row of a recognition list; `kinds` are the unit kinds the title's rows
    may name (None: any)."""
    sheet = Sheet(table, RECOGNITION_COLUMNS)
    plan = RecognitionsPlan(errors=sheet.errors, warnings=sheet.warnings)
    if sheet.errors:
        return plan
    units = UnitFinder(root)
    family = title == CulturalTitle.FAMILY
    seen: dict[tuple[int, str], int] = {}
    for row, values in table.rows:
        unit = None
        unit_text = sheet.value(row, values, "unit_code")
        if unit_text:
            try:
                unit = units.find(unit_text)
            except BadValue as bad:
                sheet.error(row, "unit_code", bad.message)
            else:
                if kinds and unit.kind not in kinds:
                    sheet.error(
                        row,
                        "unit_code",
                        _("%(unit)s is a %(kind)s; this title is for another kind of unit")
                        % {"unit": unit.name, "kind": unit.get_kind_display().lower()},
                    )
                    unit = None
        code = sheet.value(row, values, "household_code") or ""
        head = sheet.value(row, values, "household_head") or ""
        if family and not code:
            sheet.error(row, "household_code", _("is required for a cultural family"))
        if not family and (code or head):
            sheet.error(row, "household_code", _("only families have a household"))
        decided_on = sheet.value(row, values, "decided_on", parse_date)
        if unit is None or (family and not code) or (not family and (code or head)):
            continue
        key = (unit.pk, code_key(code))
        if key in seen:
            sheet.error(
                row,
                "household_code" if family else "unit_code",
                _("already listed on row %(row)s") % {"row": seen[key]},
            )
            continue
        seen[key] = row
        plan.rows.append(
            PlannedRecognition(
                row=row,
                unit=unit,
                household_code=code_key(code) if family else "",
                household_head=head,
                address=sheet.value(row, values, "address") or "",
                decision_no=sheet.value(row, values, "decision_no") or "",
                decided_on=decided_on,
            )
        )
    return plan
