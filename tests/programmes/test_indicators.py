"""Indicators: each aggregation kind, ratios, % of plan, year on year, allocation checks."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from civility.programmes import figures
from civility.programmes.actions import (
    allocate_targets,
    create_indicator,
    record_actual,
    set_target,
)
from civility.programmes.models import Aggregation, Frequency, Target


def indicator(cast, code, aggregation, frequency=Frequency.YEAR, **extra):
    return create_indicator(
        actor=cast.city_coordinator,
        unit=cast.city,
        code=code,
        name=code,
        measure="x",
        aggregation=aggregation,
        frequency=frequency,
        **extra,
    )


def report(cast, ind, unit, year, value, period=0):
    return record_actual(
        actor=cast.admin, indicator=ind, unit=unit, year=year, period=period, value=D(value)
    )


def test_sum_adds_months_and_units(cast):
    revenue = indicator(cast, "revenue", Aggregation.SUM, Frequency.MONTH)
    for month, value in [(1, "10"), (2, "5"), (3, "7")]:
        report(cast, revenue, cast.a.ward, 2025, value, month)
    report(cast, revenue, cast.b.ward, 2025, "3", 1)
    assert figures.indicator_value(revenue, cast.city, 2025) == D(25)
    assert figures.indicator_value(revenue, cast.city, 2025, through=2) == D(18)
    assert figures.indicator_value(revenue, cast.a.ward, 2025) == D(22)


def test_average_is_the_mean_per_unit_then_across_units(cast):
    score = indicator(cast, "score", Aggregation.AVERAGE, Frequency.QUARTER)
    report(cast, score, cast.a.ward, 2025, "80", 1)
    report(cast, score, cast.a.ward, 2025, "90", 2)
    report(cast, score, cast.b.ward, 2025, "70", 1)
    assert figures.indicator_value(score, cast.a.ward, 2025) == D(85)
    assert figures.indicator_value(score, cast.city, 2025) == D("77.5")


def test_latest_takes_each_units_last_period_and_adds_the_units(cast):
    households = indicator(cast, "households", Aggregation.LATEST, Frequency.MONTH)
    report(cast, households, cast.a.ward, 2025, "1000", 3)
    report(cast, households, cast.a.ward, 2025, "1040", 6)
    report(cast, households, cast.b.ward, 2025, "500", 4)
    assert figures.indicator_value(households, cast.city, 2025) == D(1540)
    assert figures.indicator_value(households, cast.city, 2025, through=5) == D(1500)


def test_ratio_divides_the_aggregated_terms(cast):
    recognised = indicator(cast, "recognised", Aggregation.SUM)
    total = indicator(cast, "total", Aggregation.LATEST)
    rate = indicator(cast, "rate", Aggregation.RATIO, numerator=recognised, denominator=total)
    report(cast, recognised, cast.a.ward, 2025, "90")
    report(cast, total, cast.a.ward, 2025, "100")
    report(cast, recognised, cast.b.ward, 2025, "150")
    report(cast, total, cast.b.ward, 2025, "300")
    assert figures.indicator_value(rate, cast.a.ward, 2025) == D(90)
    assert figures.indicator_value(rate, cast.city, 2025) == D(60)  # 240 / 400, not (90+50)/2
    assert figures.indicator_value(rate, cast.city, 2024) is None


def test_a_ratio_cannot_be_reported_directly(cast):
    a = indicator(cast, "a", Aggregation.SUM)
    b = indicator(cast, "b", Aggregation.SUM)
    rate = indicator(cast, "rate", Aggregation.RATIO, numerator=a, denominator=b)
    with pytest.raises(ValidationError) as error:
        report(cast, rate, cast.a.ward, 2025, "1")
    assert "indicator" in error.value.message_dict


def test_a_ratio_needs_two_indicators_that_are_not_ratios(cast):
    a = indicator(cast, "a", Aggregation.SUM)
    with pytest.raises(ValidationError) as error:
        indicator(cast, "rate", Aggregation.RATIO, numerator=a)
    assert "denominator" in error.value.message_dict


def test_an_outermost_report_is_not_added_to_its_childrens(cast):
    visits = indicator(cast, "visits", Aggregation.SUM)
    report(cast, visits, cast.a.ward, 2025, "100")
    report(cast, visits, cast.a.department, 2025, "40")  # already inside the ward's figure
    report(cast, visits, cast.b.department, 2025, "10")
    assert figures.indicator_value(visits, cast.city, 2025) == D(110)


def test_periods_must_match_the_frequency(cast):
    monthly = indicator(cast, "monthly", Aggregation.SUM, Frequency.MONTH)
    with pytest.raises(ValidationError, match="1-12"):
        report(cast, monthly, cast.a.ward, 2025, "1", 0)


def test_percent_of_plan_and_year_on_year_read_like_the_department_report(cast):
    """ "45.37 billion VND, 126% of the annual plan, 30 times the same period last year"."""
    revenue = indicator(cast, "revenue", Aggregation.SUM, Frequency.MONTH)
    set_target(
        actor=cast.city_coordinator, indicator=revenue, unit=cast.city, year=2023, value=D("36")
    )
    for month in range(1, 7):
        report(cast, revenue, cast.a.ward, 2023, str(D("45.37") / 6), month)
        report(cast, revenue, cast.a.ward, 2022, str(D("1.5123") / 6), month)
    report(cast, revenue, cast.a.ward, 2022, "20", 9)  # after June: not in the comparison
    result = figures.performance(revenue, cast.city, 2023, through=6)
    assert figures.quantize(result.actual) == D("45.37")
    assert result.percent_of_plan == D("126.0")
    assert result.times_last_year == D("30.0")
    assert figures.performance(revenue, cast.city, 2023).last_year > D(20)


def test_allocation_must_add_up_to_the_parent_target(cast):
    visits = indicator(cast, "visits", Aggregation.SUM)
    set_target(
        actor=cast.city_coordinator, indicator=visits, unit=cast.city, year=2025, value=D(1000)
    )
    with pytest.raises(ValidationError, match="does not add up"):
        allocate_targets(
            actor=cast.city_coordinator,
            indicator=visits,
            parent=cast.city,
            year=2025,
            values={cast.a.ward: D(600), cast.b.ward: D(300)},
        )
    assert not Target.objects.filter(unit__parent=cast.city).exists()
    check = allocate_targets(
        actor=cast.city_coordinator,
        indicator=visits,
        parent=cast.city,
        year=2025,
        values={cast.a.ward: D(600), cast.b.ward: D(400)},
    )
    assert check.status == figures.AllocationStatus.ADDS_UP
    assert Target.objects.get(unit=cast.a.ward).allocated_from.unit == cast.city
    over = allocate_targets(
        actor=cast.city_coordinator,
        indicator=visits,
        parent=cast.city,
        year=2025,
        values={cast.b.ward: D(500)},
    )
    assert over.status == figures.AllocationStatus.OVER and over.difference == D(100)


def test_a_cap_allocation_must_not_exceed_the_parent(cast):
    complaints = indicator(cast, "complaints", Aggregation.SUM, higher_is_better=False)
    set_target(
        actor=cast.city_coordinator, indicator=complaints, unit=cast.city, year=2025, value=D(10)
    )
    with pytest.raises(ValidationError):
        allocate_targets(
            actor=cast.city_coordinator,
            indicator=complaints,
            parent=cast.city,
            year=2025,
            values={cast.a.ward: D(6), cast.b.ward: D(6)},
        )


def test_average_allocation_checks_the_mean(cast):
    score = indicator(cast, "score", Aggregation.AVERAGE)
    set_target(actor=cast.city_coordinator, indicator=score, unit=cast.city, year=2025, value=D(80))
    with pytest.raises(ValidationError):
        allocate_targets(
            actor=cast.city_coordinator,
            indicator=score,
            parent=cast.city,
            year=2025,
            values={cast.a.ward: D(70), cast.b.ward: D(85)},
        )
    check = allocate_targets(
        actor=cast.city_coordinator,
        indicator=score,
        parent=cast.city,
        year=2025,
        values={cast.a.ward: D(75), cast.b.ward: D(85)},
    )
    assert check.ok


def test_ratio_allocation_is_weighted_by_the_denominator_targets(cast):
    recognised = indicator(cast, "recognised", Aggregation.SUM)
    households = indicator(cast, "households", Aggregation.LATEST)
    rate = indicator(cast, "rate", Aggregation.RATIO, numerator=recognised, denominator=households)
    set_target(actor=cast.city_coordinator, indicator=rate, unit=cast.city, year=2025, value=D(86))
    for unit, count in ((cast.a.ward, 900), (cast.b.ward, 100)):
        set_target(
            actor=cast.city_coordinator, indicator=households, unit=unit, year=2025, value=D(count)
        )
    # Plain mean (85 + 90) / 2 = 87.5 would pass; weighted (900×85 + 100×90) / 1000 = 85.5 not.
    with pytest.raises(ValidationError, match="weighted"):
        allocate_targets(
            actor=cast.city_coordinator,
            indicator=rate,
            parent=cast.city,
            year=2025,
            values={cast.a.ward: D(85), cast.b.ward: D(90)},
        )
    check = allocate_targets(
        actor=cast.city_coordinator,
        indicator=rate,
        parent=cast.city,
        year=2025,
        values={cast.a.ward: D(86), cast.b.ward: D(86)},
    )
    assert check.status == figures.AllocationStatus.ADDS_UP


def test_allocation_goes_to_direct_children_only(cast):
    visits = indicator(cast, "visits", Aggregation.SUM)
    set_target(actor=cast.city_coordinator, indicator=visits, unit=cast.city, year=2025, value=D(5))
    with pytest.raises(ValidationError, match="directly under"):
        allocate_targets(
            actor=cast.city_coordinator,
            indicator=visits,
            parent=cast.city,
            year=2025,
            values={cast.a.department: D(5)},
        )


def test_a_ward_head_cannot_set_the_wards_own_target_but_allocates_below(cast):
    visits = indicator(cast, "visits", Aggregation.SUM)
    with pytest.raises(PermissionDenied):
        set_target(actor=cast.a.head, indicator=visits, unit=cast.a.ward, year=2025, value=D(5))
    set_target(actor=cast.a.head, indicator=visits, unit=cast.a.department, year=2025, value=D(5))
    with pytest.raises(PermissionDenied):
        record_actual(actor=cast.a.head, indicator=visits, unit=cast.b.ward, year=2025, value=D(1))
