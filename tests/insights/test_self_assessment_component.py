"""The culture index component "self-assessment matches the evidence": 100 minus the mean
absolute gap between units' own scores and the verified ones; no verified record is no
data, never zero."""

from __future__ import annotations

import datetime
from decimal import Decimal as D

import pytest

from civility.codes.actions import record_activity, verify_activity
from civility.codes.models import ActivityKind, TargetGroup
from civility.insights import actions, index
from civility.insights.models import ComponentFigure
from civility.insights.periods import Period
from civility.insights.sources import BY_KEY, self_assessment
from civility.programmes.actions import (
    create_programme,
    create_task,
    report_progress,
    verify_progress,
)
from civility.programmes.models import ProgrammeKind, TaskUpdate

MARCH = Period.parse("2026-03")
HELD_ON = datetime.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def ward_a_verified(cast, time_machine):
    """Ward a: a progress report of 90 verified at 60 (gap 30) and a dissemination report
    of 100 people verified at 80 (gap 20). Ward b: nothing verified."""
    time_machine.move_to(datetime.datetime(2026, 3, 20, 3, tzinfo=datetime.UTC))
    programme = create_programme(
        actor=cast.city_coordinator,
        unit=cast.city,
        kind=ProgrammeKind.PLAN,
        number="176/KH-UBND",
        title="Kế hoạch",
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    task = create_task(
        actor=cast.city_coordinator,
        programme=programme,
        title="Hội nghị",
        assignee_unit=cast.a.ward,
        deadline=datetime.date(2026, 12, 31),
    )
    report_progress(actor=cast.a.head, task=task, progress=90)
    verify_progress(
        actor=cast.city_coordinator,
        update=TaskUpdate.objects.get(task=task, progress=90),
        progress=60,
        note="Thiếu biên bản.",
    )
    activity = record_activity(
        actor=cast.a.head,
        unit=cast.a.ward,
        kind=ActivityKind.MEETING,
        target_groups=[TargetGroup.OFFICIALS],
        held_on=HELD_ON,
        reached=100,
    )
    verify_activity(actor=cast.city_coordinator, activity=activity, reached=80, note="80 chữ ký.")
    # Ward b reported, but nobody verified it yet.
    record_activity(
        actor=cast.b.head,
        unit=cast.b.ward,
        kind=ActivityKind.MEETING,
        target_groups=[TargetGroup.OFFICIALS],
        held_on=HELD_ON,
        reached=500,
    )


def test_the_component_is_100_minus_the_mean_absolute_gap(cast, ward_a_verified):
    counts = self_assessment(MARCH.start, MARCH.end, MARCH.end)
    assert counts == {cast.a.ward.pk: (D(150), D(2))}  # (100 - 30) + (100 - 20) over 2
    component = BY_KEY["self_assessment"]
    assert component.value(*counts[cast.a.ward.pk]) == D("75.00")
    assert not component.lower_is_better
    assert "/evaluations/self-assessment/" in component.link(cast.a.ward.pk, MARCH.start, MARCH.end)


def test_a_unit_with_nothing_verified_has_no_figure_not_zero(cast, ward_a_verified):
    assert self_assessment(MARCH.start, MARCH.end, MARCH.end).get(cast.b.ward.pk) is None
    result = index.compute(
        {"self_assessment": (D(0), D(0)), "satisfaction": (D(9), D(10))},
        {"self_assessment": 10, "satisfaction": 10},
    )
    part = next(c for c in result.components if c.key == "self_assessment")
    assert part.missing and part.value is None
    assert result.score == D("90.00")  # satisfaction alone, not pulled down by a zero


def test_the_rollup_adds_ward_figures_to_the_city_and_leaves_ward_b_without(cast, ward_a_verified):
    actions.refresh_rollups(period=MARCH, today=datetime.date(2026, 4, 2))

    def figure(unit):
        row = (
            ComponentFigure.objects.for_period(MARCH)
            .filter(unit=unit, component="self_assessment")
            .first()
        )
        return None if row is None else (row.numerator, row.denominator)

    assert figure(cast.a.ward) == (D(150), D(2))
    assert figure(cast.city) == (D(150), D(2))
    assert figure(cast.b.ward) in (None, (D(0), D(0)))


def test_records_outside_the_period_are_not_counted(cast, ward_a_verified):
    april = Period.parse("2026-04")
    assert self_assessment(april.start, april.end, april.end) == {}
