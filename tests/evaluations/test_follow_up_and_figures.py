"""Officials flagged for follow-up, and the figures per unit and month."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from civility.evaluations.figures import follow_up, month_figures_by_child
from civility.evaluations.models import AnnualClassification, Evaluation, EvaluationPeriod, Step
from civility.programmes.models import Programme, Task
from tests.factories import make_official

pytestmark = pytest.mark.django_db
D = datetime.date


def monthly(cast, official, month, level, *, submitted=None):
    period, _ = EvaluationPeriod.objects.get_or_create(
        unit=cast.city,
        month=month,
        defaults={
            "self_deadline": month.replace(day=25),
            "review_deadline": month.replace(day=26),
            "approval_deadline": month.replace(day=27),
        },
    )
    return Evaluation.objects.create(
        period=period,
        official=official,
        unit=official.unit,
        agency=official.unit.agency,
        rule_set="hanoi-3814-2018",
        step=Step.DONE,
        total=Decimal(40 if level == "not_completed" else 80),
        level=level,
        approved_at=timezone.now(),
        self_submitted_at=submitted,
    )


def test_two_consecutive_months_not_completed_flag_an_official(cast):
    monthly(cast, cast.a.official, D(2025, 1, 1), "not_completed")
    monthly(cast, cast.a.official, D(2025, 2, 1), "not_completed")
    monthly(cast, cast.b.official, D(2025, 1, 1), "not_completed")
    monthly(cast, cast.b.official, D(2025, 3, 1), "not_completed")  # not consecutive
    rows = follow_up(cast.city, today=D(2025, 4, 10))
    assert [row.official for row in rows] == [cast.a.official]
    assert rows[0].reasons == [{"code": "monthly_consecutive", "params": {"count": "2"}}]


def test_the_lowest_annual_level_flags_an_official(cast):
    AnnualClassification.objects.create(
        official=cast.b.official,
        year=2024,
        unit=cast.b.department,
        agency=cast.b.department,
        rule_set="decree-48-2023",
        staff_category="civil_servant",
        proposed_level="not_completed",
        final_level="not_completed",
        confirmed_at=timezone.now(),
    )
    rows = follow_up(cast.city, today=D(2025, 4, 10))
    assert [row.official for row in rows] == [cast.b.official]


def test_leaders_of_units_that_fail_their_targets_are_flagged(cast):
    leader = make_official("Trưởng phòng A", unit=cast.a.department, is_leader=True)
    programme = Programme.objects.create(
        unit=cast.city,
        kind="programme",
        number="06-CTr/TU",
        title="Chương trình 06",
        starts_on=D(2021, 1, 1),
        ends_on=D(2025, 12, 31),
    )
    Task.objects.create(
        programme=programme,
        assignee_unit=cast.a.department,
        title="Tuyên truyền",
        deadline=D(2025, 3, 1),
        original_deadline=D(2025, 3, 1),
    )
    rows = follow_up(cast.city, today=D(2025, 4, 10))
    assert [row.official for row in rows] == [leader]
    assert rows[0].reasons[0]["code"] == "unit_targets"


def test_figures_give_the_share_at_each_level_and_on_time_submission(client, cast):
    late = timezone.make_aware(datetime.datetime(2025, 3, 28, 9))
    on_time = timezone.make_aware(datetime.datetime(2025, 3, 20, 9))
    monthly(cast, cast.a.official, D(2025, 3, 1), "good", submitted=on_time)
    monthly(
        cast, make_official("X", unit=cast.a.department), D(2025, 3, 1), "excellent", submitted=late
    )
    monthly(cast, cast.b.official, D(2025, 3, 1), "not_completed", submitted=on_time)
    total, children = month_figures_by_child(cast.city, D(2025, 3, 1))
    assert total.evaluations == 3 and total.submitted_on_time == 2
    assert {row[0]: row[2:] for row in total.level_rows()}["good"] == (1, 33.3)
    by_ward = {figures.unit: figures for figures in children}
    assert by_ward[cast.a.ward].evaluations == 2 and by_ward[cast.b.ward].evaluations == 1
    client.force_login(cast.city_coordinator)
    with time_machine.travel(datetime.datetime(2025, 4, 2, 3, tzinfo=datetime.UTC)):
        page = client.get(reverse("evaluations:figures") + "?month=2025-03")
    assert page.status_code == 200
    assert page.context["figures"].month.approved == 3


def test_figures_need_a_manager_role(client, cast):
    client.force_login(cast.a.official_user)
    assert client.get(reverse("evaluations:figures")).status_code == 404
