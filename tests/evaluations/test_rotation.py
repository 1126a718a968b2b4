"""Rotation of posts subject to periodic rotation: due dates across month ends and leap
years, the due list, plans, completed rotations and exceptions, and scope. The rules of the
Law on Anti-Corruption 2018 and Decree 59/2019 are in test_rotation_rules.py."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from civility.evaluations import actions
from civility.evaluations.figures import months_between, rotation_rows
from civility.evaluations.rules import add_months, rotation_due
from tests.factories import make_official, make_post

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.mark.parametrize(
    ("start", "months", "due"),
    [
        (D(2020, 2, 29), 12, D(2021, 2, 28)),  # leap day, next year has none
        (D(2020, 2, 29), 48, D(2024, 2, 29)),  # four years on: a leap day again
        (D(2019, 8, 31), 6, D(2020, 2, 29)),  # month end into a leap February
        (D(2021, 8, 31), 6, D(2022, 2, 28)),
        (D(2021, 1, 31), 3, D(2021, 4, 30)),
        (D(2021, 12, 15), 1, D(2022, 1, 15)),  # across the year end
        (D(2021, 3, 1), 60, D(2026, 3, 1)),
    ],
)
def test_due_dates_across_month_ends_and_leap_years(start, months, due):
    assert add_months(start, months) == due
    assert rotation_due(start, months) == due


def test_without_a_period_the_five_years_of_directive_24_apply():
    assert rotation_due(D(2020, 2, 29), None) == D(2025, 2, 28)


def test_months_in_post_count_whole_months():
    assert months_between(D(2020, 1, 31), D(2020, 2, 28)) == 0
    assert months_between(D(2020, 1, 31), D(2020, 2, 29)) == 1  # the month's last day
    assert months_between(D(2020, 1, 31), D(2020, 3, 31)) == 2


@pytest.fixture
def posts(cast):
    return {
        "counter": make_post(
            "Cán bộ một cửa", unit=cast.city, is_sensitive=True, rotation_period_months=36
        ),
        "finance": make_post(
            "Kế toán", unit=cast.city, is_sensitive=True, rotation_period_months=60
        ),
        "office": make_post("Văn thư", unit=cast.city),
    }


@pytest.fixture
def staff(cast, posts):
    official = cast.a.official
    official.post, official.post_start_date = posts["counter"], D(2022, 5, 31)
    official.save()
    return {
        "overdue": official,  # due 31/05/2025
        "soon": make_official(
            "Kế toán A",
            unit=cast.a.department,
            post=posts["finance"],
            post_start_date=D(2020, 8, 31),
        ),  # due 31/08/2025
        "later": make_official(
            "Kế toán B",
            unit=cast.a.department,
            post=posts["finance"],
            post_start_date=D(2024, 1, 1),
        ),
        "not_sensitive": make_official(
            "Văn thư A", unit=cast.a.department, post=posts["office"], post_start_date=D(2000, 1, 1)
        ),
        "other_ward": make_official(
            "Một cửa B",
            unit=cast.b.department,
            post=posts["counter"],
            post_start_date=D(2020, 1, 1),
        ),
    }


def test_the_due_list_shows_overdue_and_due_within_the_window(cast, staff):
    due, excepted = rotation_rows(cast.a.ward, today=D(2025, 6, 10), within_months=3)
    names = {row.official.pk: row for row in due}
    assert set(names) == {staff["overdue"].pk, staff["soon"].pk}
    assert names[staff["overdue"].pk].overdue and names[staff["overdue"].pk].due_on == D(
        2025, 5, 31
    )
    assert not names[staff["soon"].pk].overdue and names[staff["soon"].pk].due_on == D(2025, 8, 31)
    due, _ = rotation_rows(cast.a.ward, today=D(2025, 6, 10), within_months=1)
    assert [row.official for row in due] == [staff["overdue"]]


def test_the_rotation_page_is_scoped(client, cast, staff):
    client.force_login(cast.a.head)
    with time_machine.travel(datetime.datetime(2025, 6, 10, 3, tzinfo=datetime.UTC)):
        body = client.get(reverse("evaluations:rotation_list") + "?within=3").content.decode()
    assert staff["overdue"].full_name in body and staff["soon"].full_name in body
    assert staff["other_ward"].full_name not in body


def test_a_planned_rotation_when_done_moves_the_official(cast, staff, posts):
    official = staff["overdue"]
    plan = actions.plan_rotation(
        actor=cast.a.head, official=official, to_post=posts["office"], planned_on=D(2025, 7, 1)
    )
    with pytest.raises(ValidationError, match="already planned"):
        actions.plan_rotation(
            actor=cast.a.head, official=official, to_post=posts["finance"], planned_on=D(2025, 7, 1)
        )
    actions.complete_rotation(actor=cast.a.head, plan=plan, done_on=D(2025, 7, 1))
    official.refresh_from_db()
    plan.refresh_from_db()
    assert plan.status == "done" and plan.from_post == posts["counter"]
    assert official.post == posts["office"] and official.post_start_date == D(2025, 7, 1)
    due, _ = rotation_rows(cast.a.ward, today=D(2025, 7, 2), within_months=3)
    assert official not in [row.official for row in due]


def test_an_exception_needs_a_reason_and_moves_the_official_aside(cast, staff):
    with pytest.raises(ValidationError):
        actions.grant_rotation_exception(actor=cast.a.head, official=staff["soon"], reason=" ")
    actions.grant_rotation_exception(
        actor=cast.a.head,
        official=staff["soon"],
        reason="Cán bộ duy nhất có chứng chỉ kế toán.",
        starts_on=D(2025, 6, 1),
        valid_until=D(2026, 1, 1),
    )
    due, excepted = rotation_rows(cast.a.ward, today=D(2025, 6, 10), within_months=3)
    assert [row.official for row in excepted] == [staff["soon"]]
    due, excepted = rotation_rows(cast.a.ward, today=D(2026, 1, 2), within_months=3)
    assert staff["soon"] in [row.official for row in due]


def test_another_wards_head_cannot_plan_here(client, cast, staff):
    client.force_login(cast.b.head)
    url = reverse("evaluations:rotation_plan", args=[staff["overdue"].pk])
    assert client.get(url).status_code == 404
