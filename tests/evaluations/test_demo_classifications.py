"""The demo's Tây Hồ ward: officials whose approved monthly scores average 50 or more (near
90 in the demo) and who were not disciplined are never proposed "did not complete tasks"."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Avg

from civility.core.management.commands.load_demo import STEPS
from civility.evaluations import facts
from civility.evaluations.demo import load_evaluations_demo
from civility.evaluations.models import AnnualClassification, Evaluation
from civility.evaluations.rules import AnnualLevel

# The steps of `make run` that the evaluations demo builds on, in their order.
LOADERS = STEPS[: STEPS.index(("load_evaluations_demo",))]


def load_demo() -> None:
    for name, *arguments in LOADERS:
        call_command(name, *arguments, stdout=io.StringIO())
    load_evaluations_demo()


def assert_no_invented_khtnv() -> int:
    rows = AnnualClassification.objects.select_related("official")
    assert rows.exists()
    checked = 0
    for row in rows:
        average = (
            Evaluation.objects.approved()
            .filter(official=row.official, period__month__year=row.year)
            .aggregate(average=Avg("total"))["average"]
        )
        if average is None or average < Decimal(50):
            continue
        if facts.discipline_in_year(row.official, row.year):
            continue
        assert row.proposed_level != AnnualLevel.NOT_COMPLETED, (row.official, row.reasons)
        checked += 1
    assert checked
    return checked


@pytest.mark.django_db
def test_demo_officials_scoring_50_or_more_without_discipline_are_not_proposed_khtnv():
    """Today's demo year (from 2026 Decree 335 for civil servants, Decree 48 for the rest)."""
    load_demo()
    assert_no_invented_khtnv()


@pytest.mark.django_db
def test_demo_officials_in_a_decree_48_year_are_not_proposed_khtnv_on_scores_near_90():
    """A 2025 demo year: every official under Decree 90/2020 as amended by Decree 48/2023."""
    with time_machine.travel(datetime.datetime(2025, 6, 15, 3, tzinfo=datetime.UTC)):
        load_demo()
    assert AnnualClassification.objects.filter(year=2025, rule_set="decree-48-2023").exists()
    assert_no_invented_khtnv()
