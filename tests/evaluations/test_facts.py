"""The facts kept with an evaluation: what they hold, and that later changes do not
rewrite them."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from civility.evaluations import facts
from civility.feedback.models import RatingDay

pytestmark = pytest.mark.django_db


def add_ratings(cast, official, *, day, satisfied, dissatisfied):
    for level, side, n in ((5, 1, satisfied), (1, -1, dissatisfied)):
        RatingDay.objects.create(
            day=day,
            counter=cast.a.department,
            official=official,
            scale="five",
            level=level,
            score=level,
            side=side,
            ratings=n,
        )


def test_the_snapshot_holds_records_ratings_and_commitments(
    cast, people, open_period, walk, discipline
):
    record = discipline(
        cast.a.official,
        occurred_on=datetime.date(2025, 3, 10),
        decision_date=datetime.date(2025, 3, 20),
    )
    discipline(
        cast.a.official,
        occurred_on=datetime.date(2025, 4, 2),
        decision_date=datetime.date(2025, 4, 5),
    )  # another month
    add_ratings(cast, cast.a.official, day=datetime.date(2025, 3, 5), satisfied=9, dissatisfied=1)
    evaluation = walk(open_period().evaluations.get(official=cast.a.official), to="review")
    snapshot = evaluation.facts
    assert snapshot["conduct"]["count"] == 1
    assert snapshot["conduct"]["records"][0]["number"] == record.number
    assert "description" not in snapshot["conduct"]["records"][0]
    assert snapshot["ratings"] == {
        "count": 10,
        "satisfied": 9,
        "dissatisfied": 1,
        "satisfaction_rate": 90.0,
    }
    assert snapshot["assistance"] == {"answered": 0}
    assert snapshot["commitments"]["signed_in_month"] == 0
    assert snapshot["missing"] == []


def test_later_changes_do_not_rewrite_an_approved_evaluation(
    client, cast, people, open_period, walk, discipline
):
    evaluation = walk(open_period().evaluations.get(official=cast.a.official))
    assert evaluation.facts["conduct"]["count"] == 0
    discipline(
        cast.a.official,
        occurred_on=datetime.date(2025, 3, 12),
        decision_date=datetime.date(2025, 5, 1),
    )
    add_ratings(cast, cast.a.official, day=datetime.date(2025, 3, 5), satisfied=1, dissatisfied=3)
    evaluation.refresh_from_db()
    assert evaluation.facts["conduct"]["count"] == 0
    client.force_login(cast.a.head)
    page = client.get(reverse("evaluations:evaluation_detail", args=[evaluation.pk]))
    assert "Kept as they were when the evaluation was approved" in page.content.decode()
    assert page.context["facts"]["conduct"]["count"] == 0


def test_a_source_that_fails_becomes_a_missing_fact(cast, monkeypatch):
    def broken(*args):
        raise ImportError("feedback app not installed")

    monkeypatch.setitem(facts._READERS, "ratings", broken)
    snapshot = facts.month_facts(
        cast.a.official, datetime.date(2025, 3, 1), datetime.date(2025, 3, 31)
    )
    assert snapshot["missing"] == ["ratings"]
    assert "ratings" not in snapshot and "conduct" in snapshot
