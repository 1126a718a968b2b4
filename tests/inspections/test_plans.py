"""Annual plans: scheduling through the pages, progress, averages, most failed criteria and
a unit's trend across inspections."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from civility.inspections import actions, figures
from civility.inspections.models import Inspection, InspectionKind, InspectionPlan
from tests.factories import make_place
from tests.inspections.conftest import answer_all_with_photos


def test_a_coordinator_plans_the_year_through_the_pages(client, cast, templates):
    market = make_place("Chợ Bưởi", unit=cast.a.ward)
    client.force_login(cast.city_coordinator)
    response = client.post(
        "/inspections/plans/new/",
        {"unit": cast.city.pk, "year": 2026, "title": "Kế hoạch kiểm tra 2026", "notes": ""},
    )
    plan = InspectionPlan.objects.get()
    assert response["Location"] == plan.get_absolute_url()
    for day in ("2026-04-10", "2026-10-10"):  # twice a year
        response = client.post(
            f"/inspections/plans/{plan.pk}/add/",
            {
                "template": templates.office.pk,
                "planned_on": day,
                "kind": "planned",
                "units": [cast.a.ward.pk, cast.b.ward.pk],
                "team_note": "Sở Nội vụ",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    client.post(
        f"/inspections/plans/{plan.pk}/add/",
        {
            "template": templates.public_place.pk,
            "planned_on": "2026-06-01",
            "kind": "planned",
            "places": [market.pk],
        },
    )
    assert plan.inspections.count() == 5
    place_inspection = plan.inspections.get(place=market)
    assert place_inspection.unit == cast.a.ward
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "0 of 5 done (0%)" in page


def test_planning_outside_the_year_or_with_nothing_is_refused(client, cast, templates):
    plan = actions.create_plan(actor=cast.city_coordinator, unit=cast.city, year=2026, title="KH")
    client.force_login(cast.city_coordinator)
    response = client.post(
        f"/inspections/plans/{plan.pk}/add/",
        {
            "template": templates.office.pk,
            "planned_on": "2027-01-05",
            "kind": "planned",
            "units": [cast.a.ward.pk],
        },
    )
    assert "The date must be in 2026." in response.content.decode()
    response = client.post(
        f"/inspections/plans/{plan.pk}/add/",
        {"template": templates.office.pk, "planned_on": "2026-01-05", "kind": "planned"},
    )
    assert "Choose at least one unit or public place." in response.content.decode()
    assert not plan.inspections.exists()


def test_a_ward_head_may_not_plan_for_the_city(client, cast):
    client.force_login(cast.a.head)
    response = client.post(
        "/inspections/plans/new/", {"unit": cast.city.pk, "year": 2026, "title": "X"}
    )
    assert response.status_code == 200 and not InspectionPlan.objects.exists()


@pytest.fixture
def plan_with_results(cast, templates, inspector):
    plan = actions.create_plan(actor=cast.city_coordinator, unit=cast.city, year=2026, title="KH")
    first_round = actions.add_plan_inspections(
        actor=cast.city_coordinator,
        plan=plan,
        template=templates.counter,
        planned_on=datetime.date(2026, 3, 1),
        units=[cast.a.ward, cast.b.ward],
        team=[inspector],
    )
    second_round = actions.add_plan_inspections(
        actor=cast.city_coordinator,
        plan=plan,
        template=templates.counter,
        planned_on=datetime.date(2026, 9, 1),
        units=[cast.a.ward, cast.b.ward],
        team=[inspector],
    )
    a_first, b_first = first_round
    a_second, _b_second = second_round
    answer_all_with_photos(a_first, inspector, {"B6": "no", "A1": "no"})  # 17/21 = 80.95
    answer_all_with_photos(b_first, inspector, {"B6": "no"})  # 18/21 = 85.71
    answer_all_with_photos(a_second, inspector)  # 100
    for inspection in (a_first, b_first, a_second):
        actions.submit_inspection(actor=inspector, inspection=inspection)
    return plan


def test_progress_counts_done_against_planned(plan_with_results):
    progress = figures.progress(plan_with_results.inspections.all())
    assert (progress.done, progress.planned, progress.percent) == (3, 4, 75)


def test_cancelled_inspections_leave_the_plan(cast, plan_with_results):
    open_one = plan_with_results.inspections.open().get()
    actions.cancel_inspection(actor=cast.city_coordinator, inspection=open_one)
    progress = figures.progress(plan_with_results.inspections.all())
    assert (progress.done, progress.planned, progress.percent) == (3, 3, 100)


def test_average_scores_by_unit_and_by_criterion(cast, plan_with_results):
    inspections = plan_with_results.inspections.all()
    by_unit = {row["name"]: row for row in figures.average_by_unit(inspections)}
    assert by_unit["Phường Tây Hồ"]["average"] == Decimal("90.48")  # (80.95 + 100) / 2
    assert by_unit["Phường Tây Hồ"]["count"] == 2
    assert by_unit["Phường Long Biên"]["average"] == Decimal("85.71")
    rows = {row.ref: row for row in figures.by_criterion(inspections)}
    assert rows["B6"].average == Decimal("33.33") and rows["B6"].failed == 2
    assert rows["A1"].failed == 1 and rows["A2"].average == Decimal("100.00")
    assert "A8" not in rows and "C1" not in rows  # numbers and texts are not scored


def test_most_failed_criteria_come_first(plan_with_results):
    failed = figures.most_failed(plan_with_results.inspections.all())
    assert [row.ref for row in failed] == ["B6", "A1"]
    assert failed[0].fail_rate == 67


def test_the_plan_page_shows_progress_averages_and_failures(client, cast, plan_with_results):
    client.force_login(cast.city_coordinator)
    page = client.get(plan_with_results.get_absolute_url()).content.decode()
    assert "3 of 4 done (75%)" in page
    assert "90.48%" in page
    assert "failed 2 of 3 times (67%)" in page


def test_a_units_trend_lists_its_scores_in_order(client, cast, plan_with_results):
    client.force_login(cast.a.head)
    inspections = Inspection.objects.visible_to(cast.a.head).filter(unit=cast.a.ward)
    trend = figures.trend(inspections)
    assert [row["score"] for row in trend] == [Decimal("80.95"), Decimal("100.00")]
    page = client.get(f"/inspections/units/{cast.a.ward.pk}/").content.decode()
    assert "80.95%" in page and "100.00%" in page and "<polyline" in page


def test_surprise_inspections_count_in_the_trend_but_not_in_the_plan(
    cast, templates, inspector, plan_with_results
):
    surprise = actions.start_inspection_on_the_spot(
        actor=inspector,
        inspecting_unit=cast.city,
        template=templates.counter,
        unit=cast.a.ward,
        kind=InspectionKind.SURPRISE,
    )
    answer_all_with_photos(surprise, inspector, {"B1": "no"})
    actions.submit_inspection(actor=inspector, inspection=surprise)
    assert figures.progress(plan_with_results.inspections.all()).done == 3
    trend = figures.trend(Inspection.objects.filter(unit=cast.a.ward))
    assert len(trend) == 3 and trend[-1]["inspection"] == surprise
