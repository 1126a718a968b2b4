"""Annual classification under Decree 90/2020 (as amended by Decree 48/2023): the task
criteria give "completed" up to 20% short (Art. 10 / 14) and "did not complete tasks" only
above 50% short (Art. 11 / 15, ground (b)); between the two, and without work items, the law
gives no level and the evaluator assesses it."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from civility.evaluations import actions
from civility.evaluations.actions.annual import TO_ASSESS
from civility.evaluations.explain import explain
from civility.evaluations.models import AnnualClassification
from civility.evaluations.rules import DECREE_48_2023, Level, WorkItem, criteria_level
from civility.orgs.models import Official, StaffCategory
from tests.evaluations.test_classification import propose, scores
from tests.factories import make_official

OK = {"title": "Đúng hạn, đạt chất lượng", "done": True}
LATE = {"title": "Chậm tiến độ", "done": True, "delays": 1}
NOT_DONE = {"title": "Chưa thực hiện", "done": False}


def items(short: int, total: int) -> list[dict]:
    return [LATE] * short + [OK] * (total - short)


def work(short: int, total: int) -> list[WorkItem]:
    return [WorkItem.from_dict(item) for item in items(short, total)]


def proposal(short, total, *, monthly_total=45, is_leader=False, category=None, discipline=()):
    """compute_proposal for 2024 (Decree 90 as amended by Decree 48), nothing read from the
    database: one approved month with `monthly_total` points and these work items."""
    official = Official(
        full_name="Nguyễn Văn Thử",
        staff_category=category or StaffCategory.CIVIL_SERVANT,
        is_leader=is_leader,
    )
    return actions.compute_proposal(
        official,
        2024,
        DECREE_48_2023,
        months_worked=12,
        months_absent=0,
        maternity_leave=False,
        evaluations=[(Decimal(monthly_total), items(short, total))],
        discipline=list(discipline),
        earlier_fails=set(),
    )


# --- The criteria on the work items ------------------------------------------------------


def test_exactly_20_percent_short_is_completed_under_art_10_not_khtnv():
    result = criteria_level(work(1, 5))
    assert result.level == Level.COMPLETED and result.short_percent == Decimal("20.0")


def test_an_item_not_done_within_20_percent_short_is_still_completed():
    result = criteria_level([WorkItem.from_dict(NOT_DONE)] + work(0, 4))
    assert result.level == Level.COMPLETED


def test_21_percent_short_is_to_be_assessed_not_khtnv():
    result = criteria_level(work(21, 100))
    assert result.level is None and result.ground == "short_between"


def test_50_percent_short_is_to_be_assessed_not_khtnv():
    for short, total in ((2, 4), (50, 100)):
        result = criteria_level(work(short, total))
        assert result.level is None and result.ground == "short_between"


def test_51_percent_short_is_khtnv_on_ground_b():
    result = criteria_level(work(51, 100))
    assert result.level == Level.NOT_COMPLETED and result.ground == "short_over_half"


def test_no_work_items_is_to_be_assessed_not_a_level():
    result = criteria_level([])
    assert result.level is None and result.ground == "no_items"


# --- The proposal, its reason and its source ---------------------------------------------


def test_51_percent_short_proposes_khtnv_citing_decree_90_art_11_ground_b():
    level, reasons, _average, _count = proposal(51, 100)
    assert level == Level.NOT_COMPLETED
    assert reasons[-1]["code"] == "criteria_over_half"
    assert reasons[-1]["sources"] == [
        {"act": "90/2020/NĐ-CP", "article": "11", "clause": "", "point": "b"}
    ]
    text = explain(reasons[-1])
    assert "51 of 100 work items (51.0%)" in text
    assert text.endswith("Source: Decree 90/2020/NĐ-CP, Art. 11, point b.")


def test_for_a_public_employee_51_percent_short_cites_decree_90_art_15():
    level, reasons, _average, _count = proposal(51, 100, category=StaffCategory.PUBLIC_EMPLOYEE)
    assert level == Level.NOT_COMPLETED
    assert "Decree 90/2020/NĐ-CP, Art. 15, point b" in explain(reasons[-1])


def test_21_percent_short_proposes_no_level_citing_art_10_and_art_11():
    level, reasons, _average, _count = proposal(21, 100)
    assert level == TO_ASSESS
    text = explain(reasons[-1])
    assert "Not enough grounds — to be assessed" in text
    assert "Decree 90/2020/NĐ-CP, Art. 10; Decree 90/2020/NĐ-CP, Art. 11, point b" in text


def test_50_percent_short_proposes_no_level():
    level, reasons, _average, _count = proposal(50, 100)
    assert level == TO_ASSESS and reasons[-1]["code"] == "criteria_between"


def test_exactly_20_percent_short_proposes_completed_citing_art_10():
    level, reasons, _average, _count = proposal(20, 100, monthly_total=80)
    assert level == Level.COMPLETED
    assert explain(reasons[-1]).endswith("Source: Decree 90/2020/NĐ-CP, Art. 10.")


def test_51_percent_short_with_monthly_scores_of_completed_or_better_is_to_be_assessed():
    """3814-QĐ/TU's approved monthly scores (average 50 or more) contradict ground (b)."""
    level, reasons, _average, _count = proposal(51, 100, monthly_total=88)
    assert level == TO_ASSESS and reasons[-1]["code"] == "criteria_disagree"
    assert "average 88.00 points" in explain(reasons[-1])


def test_for_a_leader_51_percent_short_is_to_be_assessed_as_its_ground_is_unconfirmed():
    level, reasons, _average, _count = proposal(51, 100, is_leader=True)
    assert level == TO_ASSESS and reasons[-1]["code"] == "criteria_unconfirmed"
    assert "Decree 90/2020/NĐ-CP (article to be confirmed)" in explain(reasons[-1])


def test_for_a_cadre_51_percent_short_is_to_be_assessed_as_its_ground_is_unconfirmed():
    level, _reasons, _average, _count = proposal(51, 100, category=StaffCategory.CADRE)
    assert level == TO_ASSESS


def test_discipline_in_the_year_still_means_khtnv_citing_ground_c_and_decree_48():
    decision = {
        "number": "VP-1",
        "form": "reprimand",
        "decision_date": "2024-03-01",
        "occurred_on": "2024-02-01",
        "related_to_duties": True,
    }
    level, reasons, _average, _count = proposal(21, 100, discipline=[decision])
    assert level == Level.NOT_COMPLETED and reasons[-1]["code"] == "discipline"
    assert explain(reasons[-1]).endswith(
        "Source: Decree 90/2020/NĐ-CP, Art. 11, point c; Decree 48/2023/NĐ-CP, Art. 1, cl. 4."
    )


# --- Stored, shown and confirmed ---------------------------------------------------------


@pytest.mark.django_db
def test_a_year_without_work_items_gets_no_proposed_level_and_the_page_says_why(client, cast):
    scores(cast, cast.a.official, 2024, [85, 90])
    row = propose(cast, 2024)[cast.a.official.pk]
    assert row.proposed_level == "" and row.is_to_assess()
    client.force_login(cast.a.head)
    body = client.get(reverse("evaluations:classification_detail", args=[row.pk])).content.decode()
    assert "Not enough grounds — to be assessed" in body
    assert "missing records are no ground for a level" in body
    listing = client.get(reverse("evaluations:classification_list") + "?year=2024")
    assert "Not enough grounds — to be assessed" in listing.content.decode()


@pytest.mark.django_db
def test_confirming_a_year_to_be_assessed_needs_the_grounds_of_the_chosen_level(cast):
    scores(cast, cast.a.official, 2024, [80], items=items(1, 4))  # 25% short
    row = propose(cast, 2024)[cast.a.official.pk]
    assert row.proposed_level == ""
    with pytest.raises(ValidationError, match="Choose one of the levels"):
        actions.confirm_classification(
            actor=cast.a.head, classification=row, today=datetime.date(2024, 12, 1)
        )
    with pytest.raises(ValidationError) as error:
        actions.confirm_classification(
            actor=cast.a.head,
            classification=row,
            level="completed",
            today=datetime.date(2024, 12, 1),
        )
    assert "No level was proposed" in error.value.message_dict["change_reason"][0]
    row = actions.confirm_classification(
        actor=cast.a.head,
        classification=row,
        level="completed",
        change_reason="Việc chậm do thiếu nhân lực, đã khắc phục.",
        today=datetime.date(2024, 12, 1),
    )
    assert AnnualClassification.objects.get(pk=row.pk).final_level == "completed"


@pytest.mark.django_db
def test_a_leader_with_more_than_half_short_is_proposed_no_level(cast):
    leader = make_official("Trưởng phòng", unit=cast.a.department, is_leader=True)
    scores(cast, leader, 2024, [40], items=items(3, 4))
    row = propose(cast, 2024)[leader.pk]
    assert row.proposed_level == "" and row.reasons[-1]["code"] == "criteria_unconfirmed"
