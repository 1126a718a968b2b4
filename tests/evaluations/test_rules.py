"""Scoring under each rule set, its limits and quotas, each refusal naming the rule."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from civility.evaluations import actions
from civility.evaluations.explain import explain
from civility.evaluations.models import Evaluation
from civility.evaluations.rules import (
    DECREE_335_MONTHLY,
    HANOI_3814,
    WorkItem,
    excellent_cap_per_good,
    score,
    task_rates,
)
from tests.factories import make_official

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("general", "tasks", "bonus", "grade", "level"),
    [
        (20, 70, 0, "A", "excellent"),
        (19, 70, 0, "B", "good"),  # 89: B
        (10, 60, 0, "B", "good"),  # 70: B
        (10, 59, 0, "C", "completed"),
        (0, 50, 0, "C", "completed"),
        (0, 49.99, 0, "D", "not_completed"),
    ],
)
def test_hanoi_grades_at_their_boundaries(general, tasks, bonus, grade, level):
    result = score(
        HANOI_3814, points={"general": general, "tasks": tasks, "bonus": bonus}, items=[]
    )
    assert (result.grade, result.level) == (grade, level)


def test_decree_335_task_points_deduct_a_quarter_per_failed_review_or_delay():
    items = [
        WorkItem("A", Decimal(2), done=True),
        WorkItem("B", Decimal(1), done=True, delays=1),
        WorkItem("C", Decimal(1), done=True, quality_failures=2),
        WorkItem("D", Decimal(1), done=False),
        WorkItem("E", Decimal(3), done=False, excused=True),
    ]
    rates = task_rates(items)
    assert rates.quantity == Decimal(4) / 5
    assert rates.quality == (Decimal(2) + 1 + Decimal("0.5")) / 5  # C keeps 50%
    assert rates.progress == (Decimal(2) + Decimal("0.75") + 1) / 5  # B keeps 75%
    result = score(DECREE_335_MONTHLY, points={"general": 28}, items=items)
    # 70 × (0.8 + 0.7 + 0.75) / 3 = 52.50
    assert result.points["tasks"] == Decimal("52.50")
    assert result.total == Decimal("80.50") and result.level == "good" and result.grade == ""


def test_points_over_a_maximum_are_refused_naming_the_rule(cast, people, open_period, walk):
    evaluation = walk(open_period().evaluations.get(official=cast.a.official), to="review")
    with pytest.raises(ValidationError) as error:
        actions.rate_evaluation(
            actor=people.evaluator,
            evaluation=evaluation,
            points={"general": 25, "tasks": 60, "bonus": 0},
        )
    message = error.value.message_dict["points_general"][0]
    assert "between 0 and 20" in message and "3814-QĐ/TU" in message


def test_a_2026_period_under_decree_335_computes_task_points(cast, people, walk):
    period = actions.open_period(
        actor=cast.city_coordinator, unit=cast.a.ward, month=datetime.date(2026, 2, 1)
    )
    evaluation = period.evaluations.get(official=cast.a.official)
    assert evaluation.rule_set == "decree-335-2025"
    actions.save_self_assessment(
        actor=cast.a.official_user,
        evaluation=evaluation,
        work_items=[{"title": "Hồ sơ", "weight": 1, "done": True, "delays": 1}],
        account="…",
        self_points={"general": 27},
        self_level="good",
        submit=True,
    )
    rated = actions.rate_evaluation(
        actor=people.evaluator, evaluation=evaluation, points={"general": 27}
    )
    # 70 × (1 + 1 + 0.75) / 3 = 64.17
    assert rated.points["tasks"] == "64.17" and rated.total == Decimal("91.17")
    assert rated.level == "excellent"


def _ten_officials(cast):
    return [make_official(f"Cán bộ {n}", unit=cast.a.department) for n in range(8)]


def _rated(cast, people, period, count, top):
    evaluations = list(period.evaluations.filter(unit=cast.a.department))
    for evaluation in evaluations:
        evaluation.step = "review"
        evaluation.save()
    for evaluation in evaluations[:count]:
        actions.rate_evaluation(actor=people.evaluator, evaluation=evaluation, points=top)
    return evaluations


def test_approving_a_grades_past_30_percent_of_those_rated_gives_b_with_the_quota_line(
    cast, people
):
    """Decision 3814-QĐ/TU: grade A for at most 30% of those rated in the agency."""
    _ten_officials(cast)  # 10 in the department with the cast's official and the colleague
    period = actions.open_period(
        actor=cast.city_coordinator, unit=cast.a.ward, month=datetime.date(2025, 3, 1)
    )
    top = {"general": 20, "tasks": 70, "bonus": 5}
    evaluations = _rated(cast, people, period, 4, top)
    assert len(evaluations) == 10
    for evaluation in evaluations[:4]:
        actions.approve_evaluation(actor=cast.a.head, evaluation=evaluation)
    grades = [Evaluation.objects.get(pk=e.pk).grade for e in evaluations[:4]]
    assert grades == ["A", "A", "A", "B"]
    fourth = Evaluation.objects.get(pk=evaluations[3].pk)
    line = explain(fourth.quota)
    assert "30% of the 10 evaluated" in line and "that is 3" in line
    assert "Round down" in line and "to be confirmed" in line


def test_agencies_with_outstanding_results_may_reach_40_percent(cast, people):
    _ten_officials(cast)
    period = actions.open_period(
        actor=cast.city_coordinator,
        unit=cast.a.ward,
        month=datetime.date(2025, 3, 1),
        exceptional_units=[cast.a.department],
    )
    assert period.exceptional_units_named_by == cast.city_coordinator
    top = {"general": 20, "tasks": 70, "bonus": 5}
    evaluations = _rated(cast, people, period, 5, top)
    for evaluation in evaluations[:5]:
        actions.approve_evaluation(actor=cast.a.head, evaluation=evaluation)
    grades = [Evaluation.objects.get(pk=e.pk).grade for e in evaluations[:5]]
    assert grades == ["A", "A", "A", "A", "B"]
    assert "40%" in explain(Evaluation.objects.get(pk=evaluations[4].pk).quota)


@pytest.mark.parametrize(
    ("excellent", "good", "keep"),
    [(0, 10, 0), (1, 4, 0), (1, 5, 1), (3, 9, 2), (5, 0, 0), (2, 10, 2)],
)
def test_excellent_at_most_20_percent_of_good_when_the_rest_fall_back(excellent, good, keep):
    assert excellent_cap_per_good(excellent, good, 20) == keep
