"""Discipline in the annual classification, by decree: Decree 90/2020 counts only discipline
for violations committed in performing duties (Art. 11 / 15, ground (c)); Decree 48/2023 (in
force 15/09/2023) counts any discipline, with its exception for a violation already counted;
whether a 2023 rating counts off-duty discipline decided before 15/09/2023 is a setting;
Decree 335/2025 counts discipline for violations related to public-service activity (Art. 20).
The same cases stand as rows in tests/golden/discipline_cases.py."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from civility.evaluations import actions
from civility.evaluations.explain import explain
from civility.evaluations.policies import OFF_DUTY_DISCIPLINE_BEFORE_DECREE_48
from civility.evaluations.rules import annual_rule_set_for
from civility.orgs.actions import set_policy
from civility.orgs.models import Official, StaffCategory
from tests.factories import make_official

D = datetime.date
WORK = [{"title": "Tiếp nhận hồ sơ đúng hạn", "done": True}]  # one item on time: "good"


def decision(decided: str, *, duties: bool, occurred: str | None = None, form="reprimand"):
    return {
        "number": "VP-000001",
        "form": form,
        "decision_date": decided,
        "occurred_on": occurred or decided,
        "related_to_duties": duties,
        "rule_set": "decree-172-2025",
    }


def propose(official, year, decisions, *, rated_on, earlier_fails=()):
    rules = annual_rule_set_for(year, official.staff_category)
    level, reasons, _average, _count = actions.compute_proposal(
        official,
        year,
        rules,
        months_worked=12,
        months_absent=0,
        maternity_leave=False,
        evaluations=[(Decimal(80), WORK)],
        discipline=decisions,
        earlier_fails=set(earlier_fails),
        rated_on=rated_on,
    )
    return rules.key, level, reasons[-1]


def civil_servant(category=StaffCategory.CIVIL_SERVANT) -> Official:
    return Official(full_name="Nguyễn Văn Thử", staff_category=category)


# --- Decree 90/2020 ------------------------------------------------------------------------


def test_decree_90_counts_only_discipline_for_duties_before_15_9_2023():
    official = civil_servant()
    key, level, reason = propose(
        official, 2022, [decision("2022-06-01", duties=False)], rated_on=D(2022, 12, 10)
    )
    assert (key, level, reason["code"]) == ("decree-90-2020", "good", "discipline_not_duty")
    assert explain(reason).endswith("Source: Decree 90/2020/NĐ-CP, Art. 11, point c.")

    _key, level, reason = propose(
        official, 2022, [decision("2022-06-01", duties=True)], rated_on=D(2022, 12, 10)
    )
    assert (level, reason["params"]["ground"]) == ("not_completed", "duty")
    assert "for a violation related to duties (Reprimand" in explain(reason)


def test_a_2023_rating_made_on_14_9_2023_follows_decree_90_for_off_duty_discipline():
    key, level, reason = propose(
        civil_servant(), 2023, [decision("2023-03-01", duties=False)], rated_on=D(2023, 9, 14)
    )
    assert (key, level, reason["code"]) == ("decree-48-2023", "good", "discipline_not_duty")


def test_decree_90_ground_c_cites_art_15_for_a_public_employee():
    official = civil_servant(StaffCategory.PUBLIC_EMPLOYEE)
    _key, level, reason = propose(
        official, 2021, [decision("2021-06-01", duties=True)], rated_on=D(2021, 12, 10)
    )
    assert level == "not_completed"
    assert explain(reason).endswith("Source: Decree 90/2020/NĐ-CP, Art. 15, point c.")


# --- Decree 48/2023 ------------------------------------------------------------------------


def test_decree_48_counts_off_duty_discipline_decided_the_day_it_took_effect_15_9_2023():
    _key, level, reason = propose(
        civil_servant(), 2023, [decision("2023-09-15", duties=False)], rated_on=D(2023, 12, 10)
    )
    assert (level, reason["params"]["ground"]) == ("not_completed", "any")
    assert explain(reason).endswith(
        "Source: Decree 90/2020/NĐ-CP, Art. 11, point c; Decree 48/2023/NĐ-CP, Art. 1, cl. 4."
    )


def test_decree_48_counts_any_discipline_in_2024_art_1_cl_4():
    _key, level, _reason = propose(
        civil_servant(), 2024, [decision("2024-04-01", duties=False)], rated_on=D(2024, 12, 10)
    )
    assert level == "not_completed"


def test_decree_48_does_not_count_again_a_violation_counted_in_an_earlier_year_art_1_cl_4():
    decided_2025 = decision("2025-01-15", occurred="2024-11-01", duties=False)
    _key, level, reason = propose(
        civil_servant(), 2025, [decided_2025], rated_on=D(2025, 12, 10), earlier_fails={2024}
    )
    assert (level, reason["code"]) == ("good", "discipline_counted_before")
    assert "Decree 90/2020/NĐ-CP, Art. 2, cl. 5; Decree 48/2023/NĐ-CP, Art. 1, cl. 4" in explain(
        reason
    )
    _key, level, _reason = propose(
        civil_servant(), 2025, [decided_2025], rated_on=D(2025, 12, 10), earlier_fails=set()
    )
    assert level == "not_completed"


def test_decree_48_still_applies_to_public_employees_in_2026_for_off_duty_discipline():
    official = civil_servant(StaffCategory.PUBLIC_EMPLOYEE)
    key, level, _reason = propose(
        official, 2026, [decision("2026-03-01", duties=False)], rated_on=D(2026, 12, 10)
    )
    assert (key, level) == ("decree-48-2023", "not_completed")


# --- The 2023 setting ----------------------------------------------------------------------


@pytest.mark.django_db
def test_off_duty_discipline_before_15_9_2023_is_not_counted_in_a_2023_rating_by_default(cast):
    official = make_official("Trần Thị Hai", unit=cast.a.department)
    _key, level, reason = propose(
        official, 2023, [decision("2023-09-14", duties=False)], rated_on=D(2023, 12, 10)
    )
    assert (level, reason["code"]) == ("good", "discipline_before_decree_48")
    text = explain(reason)
    assert "before Decree 48/2023 took effect (15/09/2023)" in text
    assert "Civility's default (ground: to be confirmed)" in text


@pytest.mark.django_db
def test_off_duty_discipline_before_15_9_2023_counts_in_a_2023_rating_when_the_province_says_so(
    cast,
):
    set_policy(
        actor=cast.admin,
        unit=cast.city,
        key=OFF_DUTY_DISCIPLINE_BEFORE_DECREE_48.key,
        value=True,
        valid_from=D(2023, 1, 1),
    )
    official = make_official("Trần Thị Hai", unit=cast.a.department)
    _key, level, reason = propose(
        official, 2023, [decision("2023-09-14", duties=False)], rated_on=D(2023, 12, 10)
    )
    assert (level, reason["code"]) == ("not_completed", "discipline")
    assert "Yes, chosen by Thành phố Hà Nội from 01/01/2023 (ground: to be confirmed)" in explain(
        reason
    )


# --- Decree 335/2025 -----------------------------------------------------------------------


def test_duty_reprimand_fails_a_civil_servant_under_decree_335_art_20():
    key, level, reason = propose(
        civil_servant(),
        2026,
        [decision("2026-01-01", occurred="2025-12-20", duties=True)],
        rated_on=D(2026, 12, 10),
    )
    assert (key, level) == ("decree-335-2025", "not_completed")
    assert explain(reason).endswith("Source: Decree 335/2025/NĐ-CP, Art. 20, cl. 1–4.")


def test_off_duty_warning_does_not_fail_a_civil_servant_under_decree_335_art_20():
    _key, level, reason = propose(
        civil_servant(),
        2026,
        [decision("2026-05-01", duties=False, form="warning")],
        rated_on=D(2026, 12, 10),
    )
    assert (level, reason["code"]) == ("good", "discipline_not_duty")
    assert "not related to duties (conduct off duty)" in explain(reason)
