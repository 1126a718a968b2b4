"""Runs every golden case of tests/golden/discipline_cases.py: the verdict Civility gives and
the source it cites must be the row's."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from civility.conduct import actions as conduct
from civility.conduct.models import Handling, Source, ViolationRecord, ViolationType
from civility.conduct.rules import rule_set_on
from civility.evaluations import actions
from civility.evaluations.explain import explain
from civility.evaluations.figures import rotation_rows
from civility.evaluations.policies import OFF_DUTY_DISCIPLINE_BEFORE_DECREE_48
from civility.evaluations.rules import ROTATION_EXEMPTIONS, ROTATION_LAW, annual_rule_set_for
from civility.orgs.actions import set_policy
from civility.orgs.models import StaffCategory, validate_rotation_period
from tests.factories import make_official, make_post
from tests.golden.discipline_cases import CASES

pytestmark = pytest.mark.django_db
D = datetime.date.fromisoformat
WORK = [{"title": "Việc được giao", "done": True}]


def _annual(cast, row, case):
    official = make_official(
        "Nguyễn Văn Vàng",
        unit=cast.a.department,
        staff_category=case.get("category", StaffCategory.CIVIL_SERVANT),
    )
    if "setting" in case:
        set_policy(
            actor=cast.admin,
            unit=cast.city,
            key=OFF_DUTY_DISCIPLINE_BEFORE_DECREE_48.key,
            value=case["setting"],
            valid_from=datetime.date(case["year"], 1, 1),
        )
    decisions = [
        {**decision, "number": f"VP-{index:06d}", "rule_set": ""}
        for index, decision in enumerate(case["decisions"], start=1)
    ]
    level, reasons, _average, _count = actions.compute_proposal(
        official,
        case["year"],
        annual_rule_set_for(case["year"], official.staff_category),
        months_worked=12,
        months_absent=0,
        maternity_leave=False,
        evaluations=[(Decimal(80), WORK)],
        discipline=decisions,
        earlier_fails=set(case.get("earlier_fails", ())),
        rated_on=D(case["rated_on"]),
    )
    assert level == case["level"]
    text = explain(reasons[-1])
    assert f"Source: {row['source'].split('; setting')[0]}." in text
    assert case.get("shows", "") in text


def _decision_year(cast, row, case):
    conduct.load_catalogue_seed(actor=None, unit=cast.city)
    record = conduct.report_violation(
        actor=cast.a.head,
        official=cast.a.official,
        violation_type=ViolationType.objects.current().get(key="KTDX-1"),
        occurred_on=D(case["occurred"]),
        source=Source.SURPRISE_CHECK,
        description="Vắng mặt tại bộ phận một cửa.",
    )
    conduct.start_verification(actor=cast.a.head, record=record)
    conduct.confirm_record(
        actor=cast.a.head,
        record=record,
        handling=Handling.DISCIPLINARY,
        discipline_form="reprimand",
        decision_number="3/QĐ-UBND",
        decision_date=D(case["decided"]),
        related_to_duties=True,
    )
    for year, counted in case["years"].items():
        found = ViolationRecord.objects.disciplinary_decisions(
            year=year, officials=[record.official]
        )
        assert found.exists() is counted


def _form(cast, row, case):
    rule_set = rule_set_on(D(case["decided"]))
    assert rule_set.legal_basis in row["source"]
    allowed = rule_set.forms_for(StaffCategory.CIVIL_SERVANT, is_leader=case["leader"])
    assert (case["form"] in allowed) is case["allowed"]


def _period(cast, row, case):
    if case["valid"]:
        validate_rotation_period(case["months"])
        return
    with pytest.raises(ValidationError) as error:
        validate_rotation_period(case["months"])
    assert row["source"] in error.value.messages[0]


def _rotation(cast, row, case):
    """In a 36-month post since 31/05/2022: due on 31/05/2025, overdue on 10/06/2025."""
    post = make_post("Một cửa", unit=cast.city, is_sensitive=True, rotation_period_months=36)
    official = make_official(
        "Lê Thị Vàng",
        unit=cast.a.department,
        post=post,
        post_start_date=datetime.date(2022, 5, 31),
        is_leader=case.get("leader", False),
        retirement_date=D(case["retirement"]) if case["retirement"] else None,
    )
    if "deferral" in case:
        kind, starts_on, until = case["deferral"]
        actions.grant_rotation_exception(
            actor=cast.a.head,
            official=official,
            kind=kind,
            reason="Giấy khai sinh của con.",
            starts_on=D(starts_on),
            valid_until=D(until),
        )
    due, excepted = rotation_rows(cast.a.ward, today=datetime.date(2025, 6, 10))
    rows = {row.official: row for row in due}
    held = {row.official: row for row in excepted}
    expected = case["listed"]
    if expected == "none":
        assert official not in rows and official not in held
        assert row["source"] == ROTATION_LAW
    elif expected == "due":
        assert rows[official].retirement == ""
    elif expected == "to_assess":
        assert rows[official].retirement == "to_assess"
    elif expected == "exempt":
        assert held[official].retirement == "exempt"
    else:
        assert held[official].exception.kind == case["deferral"][0]
    if expected != "none":
        assert row["source"] == ROTATION_EXEMPTIONS


CHECKS = {
    "annual": _annual,
    "decision_year": _decision_year,
    "form": _form,
    "period": _period,
    "rotation": _rotation,
}


@pytest.mark.parametrize(
    "row",
    CASES,
    ids=[f"{index:02d}-{row['case']['check']}" for index, row in enumerate(CASES, start=1)],
)
def test_golden_discipline_case(cast, row):
    CHECKS[row["case"]["check"]](cast, row, row["case"])
