"""Rollups equal the figures computed from the raw records by each app, for a unit and its
ancestors (the tree pre-expanded), and the index is stored with ranks and movement."""

import datetime
from decimal import Decimal as D

import pytest
import time_machine

from civility.conduct.figures import conduct_figures
from civility.feedback.figures import rating_figures
from civility.insights import actions
from civility.insights.models import ComponentFigure, CultureIndex, WeightSet
from civility.insights.periods import Period
from tests.insights.conftest import (
    corrective,
    counter,
    inspect,
    officials,
    rate,
    violation,
    without_minimum_samples,
)

MARCH = Period.parse("2026-03")
Q1 = Period.parse("2026-Q1")
TODAY = datetime.date(2026, 4, 10)


def figure(unit, period, key):
    row = ComponentFigure.objects.for_period(period).filter(unit=unit, component=key).first()
    return None if row is None else (row.numerator, row.denominator)


@pytest.fixture
def data(cast):
    a_counter, b_counter = counter(cast.a.ward), counter(cast.b.ward)
    staff_a = officials(cast.a.department, 9)  # + the cast's official: 10 in ward A
    staff_b = officials(cast.b.department, 19)  # 20 in ward B
    first = inspect(a_counter, "80", datetime.date(2026, 3, 5), city=cast.city)
    inspect(cast.a.department, "90", datetime.date(2026, 3, 20), city=cast.city)
    inspect(b_counter, "70", datetime.date(2026, 2, 2), city=cast.city)
    inspect(b_counter, "60", datetime.date(2026, 3, 2), city=cast.city)
    inspect(b_counter, "10", datetime.date(2026, 4, 2), city=cast.city)  # next quarter
    corrective(first, deadline=datetime.date(2026, 3, 25), closed_on=datetime.date(2026, 3, 24))
    corrective(first, deadline=datetime.date(2026, 3, 26), closed_on=datetime.date(2026, 3, 30))
    corrective(first, deadline=datetime.date(2026, 3, 27), closed_on=None)  # overdue
    rate(a_counter, datetime.date(2026, 3, 3), satisfied=8, dissatisfied=2)
    rate(b_counter, datetime.date(2026, 3, 4), satisfied=3, dissatisfied=1)
    violation(staff_a[0], datetime.date(2026, 3, 10))
    violation(staff_b[0], datetime.date(2026, 3, 11))
    violation(staff_b[1], datetime.date(2026, 3, 12))
    violation(staff_b[2], datetime.date(2026, 3, 12), confirmed=False)
    without_minimum_samples(cast.city)
    return a_counter, b_counter


@time_machine.travel(datetime.datetime(2026, 4, 10, 9, tzinfo=datetime.UTC))
def test_rollups_equal_the_raw_figures_for_units_and_their_ancestors(cast, data):
    a_counter, b_counter = data
    actions.refresh(periods=[MARCH, Q1], today=TODAY)

    assert figure(a_counter, MARCH, "inspection_score") == (D(80), D(1))
    assert figure(cast.a.ward, MARCH, "inspection_score") == (D(170), D(2))
    assert figure(cast.city, MARCH, "inspection_score") == (D(230), D(3))
    assert figure(cast.city, Q1, "inspection_score") == (D(300), D(4))

    assert figure(cast.a.ward, MARCH, "corrective") == (D(1), D(3))

    raw = rating_figures(start=MARCH.start, end=MARCH.end, unit=cast.a.ward)
    num, den = figure(cast.a.ward, MARCH, "satisfaction")
    assert (num, den) == (D(raw.satisfied), D(raw.ratings)) == (D(8), D(10))
    city = rating_figures(start=MARCH.start, end=MARCH.end, unit=cast.city)
    assert figure(cast.city, MARCH, "satisfaction") == (D(city.satisfied), D(city.ratings))

    for unit in (cast.a.ward, cast.b.ward, cast.city):
        raw = conduct_figures(unit=unit, start=MARCH.start, end=MARCH.end)
        num, den = figure(unit, MARCH, "violations")
        assert D(100) * num / den == pytest.approx(D(str(raw.per_100_officials)), abs=D("0.05"))
    assert figure(cast.b.ward, MARCH, "violations") == (D(2), D(20))


@time_machine.travel(datetime.datetime(2026, 4, 10, 9, tzinfo=datetime.UTC))
def test_the_index_ranks_sibling_wards_and_records_movement(cast, data):
    actions.refresh(periods=[Period.parse("2026-02"), MARCH], today=TODAY)
    a = CultureIndex.objects.get(unit=cast.a.ward, period_kind="month", period_start=MARCH.start)
    b = CultureIndex.objects.get(unit=cast.b.ward, period_kind="month", period_start=MARCH.start)
    # A: inspections 85, satisfaction 80, violations 10/100 -> 0, corrective 33.33
    # B: inspection 60, satisfaction 75, violations 10/100 -> 0
    assert a.score is not None and b.score is not None
    assert a.parent_id == b.parent_id == cast.city.pk
    assert (a.rank, b.rank) == (1, 2)
    assert a.ranked_siblings == 2
    feb_b = CultureIndex.objects.get(
        unit=cast.b.ward, period_kind="month", period_start="2026-02-01"
    )
    assert b.previous_rank == feb_b.rank
    components = {c["key"]: c for c in a.components}
    assert components["tasks"]["score"] is None  # no task at all: missing, not zero
    assert components["satisfaction"]["value"] == "80.00"


@time_machine.travel(datetime.datetime(2026, 4, 10, 9, tzinfo=datetime.UTC))
def test_new_weights_rescore_the_year_from_the_stored_rollups(cast, data):
    actions.refresh(periods=[MARCH], today=TODAY)
    before = CultureIndex.objects.get(
        unit=cast.b.ward, period_kind="month", period_start=MARCH.start
    )
    weights = dict.fromkeys(["satisfaction"], 1)
    actions.save_weights(
        actor=cast.city_coordinator,
        province=cast.city,
        year=2026,
        weights=weights,
        min_samples={"satisfaction": 0},
    )
    after = CultureIndex.objects.get(
        unit=cast.b.ward, period_kind="month", period_start=MARCH.start
    )
    assert before.score != after.score
    assert after.score == D("75.00")
    assert WeightSet.objects.get(unit=cast.city, year=2026).updated_by == cast.city_coordinator


def test_ranking_ties_share_a_place(cast):
    for side in (cast.a, cast.b):
        officials(side.department, 9)
    actions.refresh(periods=[MARCH], today=TODAY)
    a = CultureIndex.objects.get(unit=cast.a.ward, period_kind="month", period_start=MARCH.start)
    b = CultureIndex.objects.get(unit=cast.b.ward, period_kind="month", period_start=MARCH.start)
    # Only "no violations" has data: under half the weight, so no index and no rank at all.
    assert a.score is None and a.rank is None and b.rank is None
    WeightSet.objects.create(unit=cast.city, year=2026, weights={"violations": 1})
    actions.compute_index(period=MARCH)
    a = CultureIndex.objects.get(unit=cast.a.ward, period_kind="month", period_start=MARCH.start)
    b = CultureIndex.objects.get(unit=cast.b.ward, period_kind="month", period_start=MARCH.start)
    assert a.score == b.score == D("100.00")
    assert a.rank == b.rank == 1
