"""Scope: an inspected unit sees its own results, not its peers'; inspectors see what
their unit inspects; plans (which compare units) only inside the inspecting unit."""

from __future__ import annotations

import datetime

import pytest

from civility.inspections import actions
from civility.inspections.models import Inspection, InspectionKind
from civility.orgs.scopes import Role
from tests.factories import make_unit, make_user
from tests.inspections.conftest import answer_all_with_photos


@pytest.fixture
def two_results(cast, templates, inspector, inspection):
    """Submitted inspections of ward A's counter and of ward B's counter."""
    counter_b = make_unit("Quầy số 1 Long Biên", parent=cast.b.ward, kind="counter")
    other = actions.start_inspection_on_the_spot(
        actor=inspector, inspecting_unit=cast.city, template=templates.counter, unit=counter_b
    )
    for item in (inspection, other):
        answer_all_with_photos(item, inspector, {"B6": "no"} if item == other else None)
        actions.submit_inspection(actor=inspector, inspection=item)
    return inspection, other


def test_the_inspected_unit_sees_its_own_results_not_its_peers(client, cast, two_results):
    own, peer = two_results
    client.force_login(cast.a.head)
    page = client.get("/inspections/").content.decode()
    assert "Quầy số 1" in page and "Long Biên" not in page
    assert client.get(f"/inspections/{own.pk}/").status_code == 200
    for url in (
        f"/inspections/{peer.pk}/",
        f"/inspections/{peer.pk}/report.pdf",
        f"/inspections/{peer.pk}/report.docx",
        f"/inspections/units/{peer.unit_id}/",
        f"/api/v1/inspections/{peer.pk}",
    ):
        assert client.get(url).status_code == 404, url
    api = client.get("/api/v1/inspections/").json()
    assert [row["id"] for row in api["items"]] == [own.pk]


def test_an_official_of_the_peer_ward_sees_nothing(client, cast, two_results):
    own, _peer = two_results
    client.force_login(cast.b.official_user)
    assert client.get(f"/inspections/{own.pk}/").status_code == 404


def test_the_inspecting_unit_sees_every_inspection_it_made(client, cast, two_results, inspector):
    client.force_login(inspector)
    ids = {row["id"] for row in client.get("/api/v1/inspections/").json()["items"]}
    assert ids == {r.pk for r in two_results}


def test_a_plan_comparing_units_is_not_shown_to_the_units_inspected(client, cast, templates):
    plan = actions.create_plan(
        actor=cast.city_coordinator, unit=cast.city, year=2026, title="KH 2026"
    )
    actions.add_plan_inspections(
        actor=cast.city_coordinator,
        plan=plan,
        template=templates.office,
        planned_on=datetime.date(2026, 4, 1),
        units=[cast.a.department, cast.b.department],
    )
    client.force_login(cast.a.head)
    assert client.get(f"/inspections/plans/{plan.pk}/").status_code == 404
    assert "KH 2026" not in client.get("/inspections/plans/").content.decode()
    # ... but each sees its own planned inspection.
    page = client.get("/inspections/").content.decode()
    assert "Văn phòng HĐND và UBND Phường Tây Hồ" in page
    assert "Văn phòng HĐND và UBND Phường Long Biên" not in page


def test_a_cross_inspection_is_seen_by_both_sides_and_run_by_the_inspecting_side(
    client, cast, templates
):
    inspector_a = make_user("insp_a", roles={Role.INSPECTOR: cast.a.ward})
    cross = actions.start_inspection_on_the_spot(
        actor=cast.city_coordinator,
        inspecting_unit=cast.a.ward,
        template=templates.office,
        unit=cast.b.department,
        kind=InspectionKind.CROSS,
    )
    assert set(Inspection.objects.visible_to(inspector_a)) == {cross}
    assert set(Inspection.objects.visible_to(cast.b.head)) == {cross}
    assert actions.can_conduct(inspector_a, cross)
    assert not actions.can_conduct(cast.b.head, cross)
    client.force_login(cast.b.head)
    assert client.get(f"/inspections/{cross.pk}/run/").status_code == 403


def test_a_ward_cannot_arrange_a_cross_inspection_of_its_peer_alone(cast, templates):
    from django.core.exceptions import PermissionDenied

    inspector_a = make_user("insp_a2", roles={Role.INSPECTOR: cast.a.ward})
    with pytest.raises(PermissionDenied):
        actions.start_inspection_on_the_spot(
            actor=inspector_a,
            inspecting_unit=cast.a.ward,
            template=templates.office,
            unit=cast.b.department,
            kind=InspectionKind.CROSS,
        )


def test_a_delegation_member_without_a_role_sees_and_runs_their_inspection(client, cast, templates):
    member = make_user("member")
    plan = actions.create_plan(actor=cast.city_coordinator, unit=cast.city, year=2026, title="KH")
    [planned] = actions.add_plan_inspections(
        actor=cast.city_coordinator,
        plan=plan,
        template=templates.office,
        planned_on=datetime.date(2026, 4, 1),
        units=[cast.a.department],
        team=[member],
    )
    client.force_login(member)
    assert client.get(f"/inspections/{planned.pk}/run/").status_code == 200
    page = client.get("/inspections/").content.decode()
    assert "My open inspections" in page


def test_the_inspection_list_has_a_bounded_number_of_queries(
    client, cast, two_results, django_assert_max_num_queries
):
    client.force_login(cast.city_coordinator)
    with django_assert_max_num_queries(16):
        assert client.get("/inspections/").status_code == 200
