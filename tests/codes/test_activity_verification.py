"""A unit's dissemination report (people reached, with attachments) is verified by the level
above, which records the number the evidence supports next to the reported one."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from civility.codes import figures
from civility.codes.actions import record_activity, verify_activity
from civility.codes.models import ActivityKind, DisseminationActivity, TargetGroup
from tests.factories import pdf_bytes

TODAY = datetime.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 15, 9, 0, tzinfo=datetime.UTC))


def activity_of(side, *, reached=200, held_on=TODAY) -> DisseminationActivity:
    return record_activity(
        actor=side.head,
        unit=side.ward,
        kind=ActivityKind.MEETING,
        target_groups=[TargetGroup.OFFICIALS],
        held_on=held_on,
        reached=reached,
        files=[SimpleUploadedFile("danh-sach.pdf", pdf_bytes(), "application/pdf")],
    )


def test_verified_reach_is_kept_next_to_the_reported_one(cast):
    activity = activity_of(cast.a)
    verify_activity(
        actor=cast.city_coordinator, activity=activity, reached=150, note="Danh sách ký 150 người."
    )
    activity.refresh_from_db()
    assert (activity.reached, activity.verified_reached) == (200, 150)
    assert activity.verified_share == 75
    assert activity.attachments.count() == 1
    assert activity.verified_by == cast.city_coordinator


def test_the_ward_cannot_verify_its_own_report(cast):
    activity = activity_of(cast.a)
    with pytest.raises(PermissionDenied):
        verify_activity(actor=cast.a.head, activity=activity, reached=200)
    with pytest.raises(PermissionDenied):
        verify_activity(actor=cast.a.coordinator, activity=activity, reached=200)
    with pytest.raises(PermissionDenied):
        verify_activity(actor=cast.b.coordinator, activity=activity, reached=200)


def test_a_differing_number_needs_a_note_and_verification_happens_once(cast):
    activity = activity_of(cast.a)
    with pytest.raises(ValidationError) as error:
        verify_activity(actor=cast.city_coordinator, activity=activity, reached=100)
    assert "note" in error.value.message_dict
    verify_activity(actor=cast.city_coordinator, activity=activity, reached=200)
    with pytest.raises(ValidationError):
        verify_activity(actor=cast.admin, activity=activity, reached=10, note="x")


def test_verification_form_on_the_activity_page(client, cast):
    activity = activity_of(cast.a)
    url = f"/codes/dissemination/{activity.pk}/"
    client.force_login(cast.a.head)
    assert "Verify the report" not in client.get(url).content.decode()
    assert client.post(url + "verify/", {"reached": 1}).status_code == 403

    client.force_login(cast.city_coordinator)
    assert "Verify the report" in client.get(url).content.decode()
    response = client.post(url + "verify/", {"reached": -3})
    assert response.status_code == 400
    assert "People reached, verified" in response.content.decode()
    response = client.post(url + "verify/", {"reached": 120, "note": ""})
    assert response.status_code == 400
    assert "Say why the verified number differs" in response.content.decode()
    response = client.post(url + "verify/", {"reached": 120, "note": "Thiếu danh sách"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "60 per cent of the number reported" in page
    assert "Verify the report" not in page


def test_another_wards_activity_is_not_found(client, cast):
    activity = activity_of(cast.b)
    client.force_login(cast.a.coordinator)
    assert (
        client.post(f"/codes/dissemination/{activity.pk}/verify/", {"reached": 1}).status_code
        == 404
    )


def test_selector_gives_the_confirmed_share_per_unit_and_month(cast):
    over = activity_of(cast.a, reached=200)
    verify_activity(actor=cast.city_coordinator, activity=over, reached=50, note="x")
    under = activity_of(cast.a, reached=100)
    # More people than reported counts as fully confirmed, not as more than 100.
    verify_activity(actor=cast.city_coordinator, activity=under, reached=130, note="y")
    activity_of(cast.a, reached=80)  # not verified: not counted
    earlier = activity_of(cast.b, held_on=datetime.date(2026, 5, 2), reached=0)
    verify_activity(actor=cast.city_coordinator, activity=earlier, reached=0)
    rows = {row["unit_id"]: row for row in figures.self_assessment_gaps()}
    assert rows[cast.a.ward.pk]["month"] == datetime.date(2026, 6, 1)
    assert rows[cast.a.ward.pk]["n"] == 2
    assert rows[cast.a.ward.pk]["self_sum"] == Decimal(200)
    assert rows[cast.a.ward.pk]["verified_sum"] == Decimal(125)
    assert rows[cast.a.ward.pk]["abs_gap_sum"] == Decimal(75)
    assert rows[cast.b.ward.pk]["abs_gap_sum"] == 0
    june = figures.self_assessment_gaps(start=datetime.date(2026, 6, 1))
    assert [row["unit_id"] for row in june] == [cast.a.ward.pk]
