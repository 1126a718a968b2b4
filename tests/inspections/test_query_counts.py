"""Every list page and API collection of inspections reads the same number of queries for 2
rows as for 6: each row's units, template, plan and finding come with the list, not one row
at a time."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest

from civility.inspections import actions
from civility.inspections.models import Inspection, InspectionKind
from civility.orgs.models import UnitKind
from tests.factories import make_unit
from tests.inspections.conftest import answer_all_with_photos
from tests.query_counts import reader, same_with_more

Add = Callable[[int], None]


@pytest.fixture
def plan(cast):
    return actions.create_plan(actor=cast.admin, unit=cast.city, year=2026, title="Kế hoạch")


@pytest.fixture
def add_inspections(cast, templates, inspector, plan) -> Add:
    """Inspections of new counters of ward A (each counter its own unit), in one plan."""
    made: list[Inspection] = []

    def add(number: int) -> None:
        for _ in range(number):
            counter = make_unit(
                f"Quầy số {len(made) + 1}", parent=cast.a.ward, kind=UnitKind.COUNTER
            )
            inspection = actions.start_inspection_on_the_spot(
                actor=inspector,
                inspecting_unit=cast.city,
                template=templates.counter,
                unit=counter,
                kind=InspectionKind.SURPRISE,
            )
            Inspection.objects.filter(pk=inspection.pk).update(plan=plan)
            made.append(inspection)

    return add


@pytest.fixture
def add_actions(inspector, add_inspections) -> Add:
    """A corrective action on each new inspection (each for its own counter)."""

    def add(number: int) -> None:
        before = set(Inspection.objects.values_list("pk", flat=True))
        add_inspections(number)
        for inspection in Inspection.objects.exclude(pk__in=before):
            actions.record_finding(
                actor=inspector,
                inspection=inspection,
                criterion=inspection.template_version.criteria().get(ref="A6"),
                description="Chuông hỗ trợ không hoạt động.",
                recommendation="Sửa chuông hỗ trợ.",
                deadline=datetime.date(2026, 12, 31),
            )

    return add


@pytest.mark.parametrize("url", ["/inspections/", "/api/v1/inspections/"])
def test_the_inspection_lists_read_the_same_queries_for_2_and_6_inspections(
    client, inspector, add_inspections, url
):
    client.force_login(inspector)
    sixth = "Quầy số 6" if url == "/inspections/" else '"count": 6'
    same_with_more(reader(client, url), add_inspections, sixth=sixth)


def test_a_plan_reads_the_same_queries_for_2_and_6_inspections(client, cast, plan, add_inspections):
    client.force_login(cast.city_coordinator)
    same_with_more(reader(client, plan.get_absolute_url()), add_inspections, sixth="Quầy số 6")


def test_the_plan_list_reads_the_same_queries_for_2_and_6_plans(client, cast):
    def add(number: int) -> None:
        for _ in range(number):
            made.append(1)
            unit = make_unit(f"Phường {len(made)}", parent=cast.city, kind=UnitKind.WARD)
            actions.create_plan(
                actor=cast.admin, unit=unit, year=2026, title=f"Kế hoạch {len(made)}"
            )

    made: list[int] = []
    client.force_login(cast.city_coordinator)
    same_with_more(reader(client, "/inspections/plans/"), add, sixth="Kế hoạch 6")


def test_the_checklist_list_reads_the_same_queries_for_2_and_6_checklists(client, cast):
    sections = [{"title": "Thái độ", "criteria": [{"ref": "A1", "text": "Đeo thẻ"}]}]
    made: list[int] = []

    def add(number: int) -> None:
        for _ in range(number):
            made.append(1)
            unit = make_unit(f"Phường {len(made)}", parent=cast.city, kind=UnitKind.WARD)
            actions.create_template(
                actor=None,
                unit=unit,
                slug=f"checklist-{len(made)}",
                subject="office",
                name=f"Bảng kiểm {len(made)}",
                name_en="",
                sections=sections,
            )

    client.force_login(cast.city_coordinator)
    same_with_more(reader(client, "/inspections/checklists/"), add, sixth="Bảng kiểm 6")


@pytest.mark.parametrize("url", ["/inspections/actions/", "/api/v1/inspections/actions"])
def test_the_action_lists_read_the_same_queries_for_2_and_6_actions(client, cast, add_actions, url):
    client.force_login(cast.a.head)
    sixth = "Quầy số 6" if url == "/inspections/actions/" else '"count": 6'
    same_with_more(reader(client, url), add_actions, sixth=sixth)


def test_a_units_trend_reads_the_same_queries_for_2_and_6_inspections(
    client, cast, templates, inspector, counter_a
):
    def add(number: int) -> None:
        for _ in range(number):
            inspection = actions.start_inspection_on_the_spot(
                actor=inspector,
                inspecting_unit=cast.city,
                template=templates.counter,
                unit=counter_a,
                kind=InspectionKind.SURPRISE,
            )
            answer_all_with_photos(inspection, inspector)
            actions.submit_inspection(actor=inspector, inspection=inspection)

    client.force_login(cast.a.head)
    same_with_more(reader(client, f"/inspections/units/{counter_a.pk}/"), add, sixth="<polyline")
