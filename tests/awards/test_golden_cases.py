"""Every golden case of tests/golden/awards_cases.py, run against the real records: annual
classifications from evaluations, discipline from conduct, settings from orgs."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.text import slugify

from civility.awards.bonuses import BonusRule
from civility.awards.eligibility import Assessor, candidate_units
from civility.awards.models import GoodModel, ModelKind, ModelStatus
from civility.orgs.actions import set_policy
from civility.programmes import figures
from tests.awards.conftest import YEAR, title
from tests.factories import make_unit
from tests.golden.awards_cases import AWARDS_CASES

pytestmark = pytest.mark.django_db


@pytest.fixture
def levels():
    """Override the package-wide fake: golden cases read evaluations' real records."""
    return None


def _classify(official, level: str | None, months_absent: int = 0) -> None:
    from civility.evaluations.models import AnnualClassification

    if level is None:
        return
    AnnualClassification.objects.create(
        official=official,
        year=YEAR,
        unit=official.unit,
        agency=official.unit.agency,
        staff_category=official.staff_category,
        rule_set="decree-48-2023",
        proposed_level=level,
        final_level=level,
        confirmed_at=timezone.now(),
        months_worked=12 - months_absent,
        months_absent=months_absent,
    )


def _initiative(official) -> None:
    model = GoodModel.objects.create(
        kind=ModelKind.INITIATIVE,
        category="digital",
        unit=official.unit,
        name="Số hoá hồ sơ một cửa",
        started_on=datetime.date(YEAR, 2, 1),
        status=ModelStatus.RECOGNISED,
        recognised_on=datetime.date(YEAR, 10, 1),
        recognised_by="Hội đồng sáng kiến phường",
    )
    model.authors.add(official)


def _run(case: dict, cast, members, discipline) -> object:
    check = case["check"]
    for key, value in check.get("settings", {}).items():
        set_policy(
            actor=cast.admin,
            unit=cast.city,
            key=key,
            value=value,
            valid_from=datetime.date(2020, 1, 1),
            source="golden case",
        )
    kind = check["kind"]
    if kind == "official":
        official = cast.a.official
        _classify(official, check["level"], check.get("months_absent", 0))
        if check.get("discipline"):
            discipline(official, form=check["discipline"])
        if check.get("initiative"):
            _initiative(official)
        result = Assessor(year=YEAR, officials=[official]).assess(
            title(check["title"]), official=official
        )
        return result.verdict
    if kind == "collective":
        for member, level in zip(members, check["levels"], strict=True):
            _classify(member, level)
        for index, form in check.get("discipline", {}).items():
            discipline(members[index], form=form)
        unit = cast.a.department
        result = Assessor.for_unit(unit, year=YEAR).assess(title(check["title"]), unit=unit)
        return result.verdict
    if kind == "candidate":
        unit = make_unit("Đơn vị thử", parent=cast.a.ward, kind=check["unit_kind"])
        return unit in candidate_units(cast.a.ward, title(check["title"]))
    day = datetime.date.fromisoformat(check["on"])
    if kind == "bonus":
        rule = BonusRule.on(day, unit=cast.a.ward)
        return rule.amount(Decimal(check["multiplier"])), rule.to_be_confirmed
    if kind == "cultural_bonus":
        return figures.title_bonus(check["title"], unit=cast.city, on=day).amount
    raise AssertionError(f"unknown kind {kind}")


def _expected(case: dict) -> object:
    check = case["check"]
    if check["kind"] in ("official", "collective"):
        return check["verdict"]
    if check["kind"] == "candidate":
        return check["candidate"]
    if check["kind"] == "bonus":
        return Decimal(check["amount"]), check.get("to_be_confirmed", False)
    return None if check["amount"] is None else Decimal(check["amount"])


@pytest.mark.parametrize(
    "case",
    AWARDS_CASES,
    ids=[f"{n:02d}-{slugify(case['rule'])}" for n, case in enumerate(AWARDS_CASES, start=1)],
)
def test_golden_case(case, cast, catalogue, members, discipline):
    assert _run(case, cast, members, discipline) == _expected(case), case["situation"]
