"""Figures per subtree and period, and the selector evaluations and awards read."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from civility.conduct import actions
from civility.conduct.figures import conduct_figures
from civility.conduct.models import Handling, ViolationType, confirmed_records
from tests.factories import make_official

D = datetime.date


@pytest.fixture
def history(cast, file_record, late):
    """Ward a: 10 officials (cast's + 9). Records in 2025:
    official A: 3 confirmed (Jan, Mar, May), 1 dismissed (Apr); colleague: 1 confirmed (Feb),
    1 open (Jun); ward b: 1 confirmed (Mar)."""
    others = [make_official(f"Cán bộ {i}", unit=cast.a.department) for i in range(9)]
    evasion = ViolationType.objects.current().get(key="D24-2-A")

    def decided(official, day, *, confirm=True, violation_type=None, reported_days=0):
        reported = datetime.datetime.combine(day, datetime.time(9), tzinfo=datetime.UTC)
        # tick=False: a clock that runs on could put the decision a few milliseconds less than
        # N days after the report on a busy machine, and the whole days would lose one.
        with time_machine.travel(reported, tick=False):
            record = file_record(
                official=official, occurred_on=day, violation_type=violation_type or late
            )
        head = cast.a.head if official.unit.path.startswith(cast.a.ward.path) else cast.b.head
        with time_machine.travel(reported + datetime.timedelta(days=reported_days), tick=False):
            actions.start_verification(actor=head, record=record)
            if confirm:
                actions.confirm_record(actor=head, record=record, handling=Handling.REMINDER)
            else:
                actions.dismiss_record(actor=head, record=record, reason="Không đủ căn cứ.")
        return record

    a = cast.a.official
    decided(a, D(2025, 1, 10), reported_days=4)
    decided(a, D(2025, 3, 10), violation_type=evasion, reported_days=10)
    decided(a, D(2025, 4, 10), confirm=False, reported_days=2)
    decided(a, D(2025, 5, 10), reported_days=6)
    decided(others[0], D(2025, 2, 10), reported_days=8)
    with time_machine.travel(datetime.datetime(2025, 6, 10, 9, tzinfo=datetime.UTC)):
        file_record(official=others[0], occurred_on=D(2025, 6, 10))
    with time_machine.travel(datetime.datetime(2025, 3, 1, 9, tzinfo=datetime.UTC)):
        record_b = actions.report_violation(
            actor=cast.b.head,
            official=cast.b.official,
            violation_type=late,
            occurred_on=D(2025, 3, 1),
            source="inspection",
            description="Đến muộn.",
        )
        actions.start_verification(actor=cast.b.head, record=record_b)
        actions.confirm_record(actor=cast.b.head, record=record_b, handling=Handling.REMINDER)
    return others


def test_figures_for_a_ward_and_a_period(cast, history):
    figures = conduct_figures(unit=cast.a.ward, start=D(2025, 1, 1), end=D(2025, 6, 30))
    assert (figures.total, figures.confirmed, figures.dismissed, figures.open) == (6, 4, 1, 1)
    assert figures.confirmed_rate == 80  # 4 of 5 decided
    assert figures.officials == 10
    assert figures.per_100_officials == 40.0  # 4 confirmed about officials / 10 officials
    groups = {row.label: (row.total, row.confirmed) for row in figures.groups}
    assert groups == {
        "Working-hours and service-attitude breaches found by surprise checks": (5, 3),
        "Directive 24-CT/TU — Indications of evasion, shirking and lack of responsibility": (1, 1),
    }
    assert {row.key: row.total for row in figures.types} == {"KTDX-1": 5, "D24-2-A": 1}
    assert figures.decided_in_period == 5  # after 2, 4, 6, 8 and 10 days
    assert figures.median_days_to_decision == 6 and figures.mean_days_to_decision == 6


def test_repeat_offenders_within_twelve_months(cast, history):
    figures = conduct_figures(unit=cast.city, start=D(2025, 1, 1), end=D(2025, 6, 30))
    assert [(r.official, r.confirmed) for r in figures.repeat_offenders] == [(cast.a.official, 3)]
    stricter = conduct_figures(unit=cast.city, start=D(2025, 1, 1), end=D(2025, 6, 30), threshold=4)
    assert stricter.repeat_offenders == []
    # A year on, the January record has left the window: 2 remain.
    later = conduct_figures(unit=cast.city, start=D(2026, 1, 1), end=D(2026, 2, 1), threshold=3)
    assert later.repeat_offenders == []


def test_city_figures_break_down_by_ward(cast, history):
    figures = conduct_figures(unit=cast.city, start=D(2025, 1, 1), end=D(2025, 12, 31))
    rows = {row.unit: (row.records, row.confirmed, row.officials) for row in figures.units}
    assert rows[cast.a.ward] == (6, 4, 10)
    assert rows[cast.b.ward] == (1, 1, 1)


def test_the_figures_page_is_scoped_to_the_users_subtree(client, cast, history):
    client.force_login(cast.b.head)
    page = client.get("/conduct/figures/?start=2025-01-01&end=2025-06-30&threshold=2")
    text = page.content.decode()
    assert 'id="fig-total">1<' in text
    assert "Nguyễn Văn A" not in text
    client.force_login(cast.a.head)
    text = client.get("/conduct/figures/?start=2025-01-01&end=2025-06-30&threshold=2")
    text = text.content.decode()
    assert 'id="fig-total">6<' in text and 'id="fig-rate">80%<' in text
    assert "Nguyễn Văn A" in text  # repeat offender


def test_the_figures_form_names_a_bad_period(client, cast):
    client.force_login(cast.a.head)
    page = client.get("/conduct/figures/?start=2025-06-01&end=2025-01-01&threshold=2")
    assert "The end is before the start." in page.content.decode()


def test_selector_returns_confirmed_records_for_an_official_or_a_subtree(cast, history):
    a = cast.a.official
    in_spring = confirmed_records(official=a, start=D(2025, 3, 1), end=D(2025, 5, 31))
    assert [r.occurred_on for r in in_spring.order_by("occurred_on")] == [
        D(2025, 3, 10),
        D(2025, 5, 10),
    ]
    assert (
        confirmed_records(unit=cast.a.ward, start=D(2025, 1, 1), end=D(2025, 12, 31)).count() == 4
    )
    assert confirmed_records(unit=cast.city, start=D(2025, 1, 1), end=D(2025, 12, 31)).count() == 5
    # Closing a confirmed record keeps it counted.
    record = in_spring.first()
    actions.close_record(actor=cast.a.head, record=record)
    assert confirmed_records(official=a, start=D(2025, 3, 1), end=D(2025, 5, 31)).count() == 2
