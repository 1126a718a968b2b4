"""Verifying a corrective action is someone else's than answering it: never the user who
responded, and only from the side that issued the recommendation (an inspecting role on the
inspecting unit or above it, held outside the responsible unit, or a seat on the
delegation), so the unit that answers an action cannot also close it (issue 19, item 9)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from civility.inspections import actions
from civility.inspections.models import ActionStatus, CorrectiveAction, InspectionKind
from tests.factories import make_user
from tests.inspections.conftest import TODAY


@pytest.fixture
def ward_action(cast, templates, time_machine) -> CorrectiveAction:
    """Ward A inspects itself (its coordinator inspects); the action is the ward's."""
    time_machine.move_to(datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC))
    inspection = actions.start_inspection_on_the_spot(
        actor=cast.a.coordinator,
        inspecting_unit=cast.a.ward,
        template=templates.office,
        unit=cast.a.ward,
        kind=InspectionKind.SURPRISE,
    )
    finding = actions.record_finding(
        actor=cast.a.coordinator,
        inspection=inspection,
        description="Chưa niêm yết Quy tắc ứng xử.",
        recommendation="Niêm yết Quy tắc ứng xử.",
        deadline=TODAY + datetime.timedelta(days=5),
    )
    return finding.actions.get()


@pytest.fixture
def city_action(cast, inspection, inspector, time_machine) -> CorrectiveAction:
    """The city's inspection of ward A's counter; the action is the counter's."""
    time_machine.move_to(datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC))
    finding = actions.record_finding(
        actor=inspector,
        inspection=inspection,
        description="Chuông hỗ trợ không hoạt động.",
        recommendation="Sửa chuông hỗ trợ.",
        deadline=TODAY + datetime.timedelta(days=3),
    )
    return finding.actions.get()


def test_the_unit_that_answers_a_corrective_action_cannot_verify_it(client, cast, ward_action):
    actions.respond_to_action(actor=cast.a.head, action=ward_action, response="Đã niêm yết.")

    # The ward's coordinator issued the recommendation, but on the ward that answers it.
    assert not actions.can_verify(cast.a.coordinator, ward_action)
    with pytest.raises(PermissionDenied):
        actions.verify_action(actor=cast.a.coordinator, action=ward_action, accept=True)
    client.force_login(cast.a.coordinator)
    page = client.get(ward_action.get_absolute_url()).content.decode()
    assert 'id="verify-title"' not in page
    client.post(ward_action.get_absolute_url(), {"verify-decision": "close"})
    ward_action.refresh_from_db()
    assert ward_action.status == ActionStatus.RESPONDED

    # A coordinator above the ward verifies it.
    client.force_login(cast.city_coordinator)
    assert 'id="verify-title"' in client.get(ward_action.get_absolute_url()).content.decode()
    client.post(ward_action.get_absolute_url(), {"verify-decision": "close"})
    ward_action.refresh_from_db()
    assert ward_action.status == ActionStatus.CLOSED
    assert ward_action.verified_by == cast.city_coordinator


def test_the_user_who_responded_cannot_verify_even_from_the_inspecting_unit(
    client, cast, city_action, inspector
):
    # The city's coordinator may answer for any unit of the city, and inspect for it.
    actions.respond_to_action(
        actor=cast.city_coordinator, action=city_action, response="Đã thay chuông."
    )

    with pytest.raises(PermissionDenied):
        actions.verify_action(actor=cast.city_coordinator, action=city_action, accept=True)
    client.force_login(cast.city_coordinator)
    assert 'id="verify-title"' not in client.get(city_action.get_absolute_url()).content.decode()

    actions.verify_action(actor=inspector, action=city_action, accept=True)
    city_action.refresh_from_db()
    assert city_action.status == ActionStatus.CLOSED


def test_an_earlier_responder_cannot_verify_a_later_answer(cast, city_action, inspector):
    actions.respond_to_action(actor=cast.city_coordinator, action=city_action, response="Xong.")
    actions.verify_action(actor=inspector, action=city_action, accept=False, note="Thiếu ảnh.")
    actions.respond_to_action(actor=cast.a.head, action=city_action, response="Gửi ảnh.")

    assert not actions.can_verify(cast.city_coordinator, city_action)
    assert actions.can_verify(inspector, city_action)


def test_a_superuser_who_answered_cannot_verify_but_another_may(cast, city_action):
    actions.respond_to_action(actor=cast.admin, action=city_action, response="Xong.")
    other_admin = make_user("admin_2", is_superuser=True)

    assert not actions.can_verify(cast.admin, city_action)
    assert actions.can_verify(other_admin, city_action)


def test_a_delegation_member_from_the_responsible_unit_cannot_verify(
    cast, templates, inspector, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC))
    inspection = actions.start_inspection_on_the_spot(
        actor=inspector,
        inspecting_unit=cast.city,
        template=templates.office,
        unit=cast.a.ward,
        kind=InspectionKind.SURPRISE,
    )
    outsider = make_user("journalist")  # on the delegation, no role anywhere
    inspection.team.add(cast.a.coordinator, outsider)
    finding = actions.record_finding(
        actor=inspector,
        inspection=inspection,
        description="Chưa niêm yết.",
        recommendation="Niêm yết.",
        deadline=TODAY + datetime.timedelta(days=5),
    )
    action = finding.actions.get()
    actions.respond_to_action(actor=cast.a.head, action=action, response="Đã niêm yết.")

    assert not actions.can_verify(cast.a.coordinator, action)
    assert actions.can_verify(outsider, action)


def test_the_unit_cannot_close_its_own_action_on_a_revisit_of_itself(cast, templates, ward_action):
    revisit = actions.start_inspection_on_the_spot(
        actor=cast.a.coordinator,
        inspecting_unit=cast.a.ward,
        template=templates.office,
        unit=cast.a.ward,
        kind=InspectionKind.SURPRISE,
    )
    with pytest.raises(PermissionDenied):
        actions.check_action_on_revisit(
            actor=cast.a.coordinator, inspection=revisit, action=ward_action, closed=True
        )
    ward_action.refresh_from_db()
    assert ward_action.status == ActionStatus.OPEN


@pytest.mark.django_db
def test_the_demo_ward_head_answers_the_wards_action_and_the_coordinator_verifies(
    client, settings, tmp_path
):
    from django.contrib.auth import get_user_model

    from civility.core.management.commands.load_demo import STEPS

    settings.MEDIA_ROOT = tmp_path
    for name, *arguments in STEPS[: STEPS.index(("load_inspections_demo",)) + 1]:
        call_command(name, *arguments, stdout=io.StringIO())
    users = get_user_model().objects
    head, coordinator = users.get(username="demo_head"), users.get(username="demo_coordinator")
    ward_owned = CorrectiveAction.objects.get(finding__inspection__place__name="Chợ hoa Quảng Bá")
    closed = CorrectiveAction.objects.get(status=ActionStatus.CLOSED)
    assert closed.verified_by == coordinator and closed.responded_by != coordinator

    assert actions.can_respond(head, ward_owned)
    client.force_login(head)
    client.post(ward_owned.get_absolute_url(), {"respond-response": "Đã nhắc nhở các hộ."})
    ward_owned.refresh_from_db()
    assert ward_owned.status == ActionStatus.RESPONDED
    page = client.get(ward_owned.get_absolute_url()).content.decode()
    assert 'id="verify-title"' not in page

    client.force_login(coordinator)
    client.post(ward_owned.get_absolute_url(), {"verify-decision": "close"})
    ward_owned.refresh_from_db()
    assert ward_owned.status == ActionStatus.CLOSED and ward_owned.verified_by == coordinator
