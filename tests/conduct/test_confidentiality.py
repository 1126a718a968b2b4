"""Confidential by default: the unit head, coordinators and inspectors of the subtree and the
official concerned read a record; a colleague in the same unit does not, and the official
concerned never learns who reported."""

from __future__ import annotations

import datetime

import pytest

from civility.conduct import actions
from civility.conduct.models import Handling, ViolationRecord
from civility.core.models import AuditEvent


@pytest.fixture
def record(file_record):
    return file_record()


@pytest.mark.parametrize("who", ["head", "coordinator", "city_coordinator", "inspector", "admin"])
def test_handlers_of_the_subtree_read_the_record(client, cast, record, inspector_a, who):
    user = {
        "head": cast.a.head,
        "coordinator": cast.a.coordinator,
        "city_coordinator": cast.city_coordinator,
        "inspector": inspector_a,
        "admin": cast.admin,
    }[who]
    client.force_login(user)
    response = client.get(f"/conduct/{record.pk}/")
    assert response.status_code == 200
    assert "Vắng mặt tại bộ phận một cửa" in response.content.decode()
    assert "head_a" in response.content.decode()  # they see who reported


def test_a_colleague_in_the_same_unit_cannot_read_it(client, cast, record, colleague_a):
    client.force_login(colleague_a)
    assert client.get(f"/conduct/{record.pk}/").status_code == 404
    listing = client.get("/conduct/", follow=True)
    assert record.number not in listing.content.decode()
    assert not ViolationRecord.objects.visible_to(colleague_a).exists()


def test_the_head_of_the_sibling_ward_gets_404(client, cast, record):
    client.force_login(cast.b.head)
    assert client.get(f"/conduct/{record.pk}/").status_code == 404
    client.force_login(cast.b.coordinator)
    assert client.get(f"/conduct/{record.pk}/").status_code == 404


def test_the_official_reads_their_own_record_without_the_reporter(client, cast, record):
    actions.start_verification(actor=cast.a.head, record=record, note="Xác minh.")
    actions.confirm_record(actor=cast.a.head, record=record, handling=Handling.REMINDER)
    client.force_login(cast.a.official_user)
    response = client.get(f"/conduct/{record.pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Vắng mặt tại bộ phận một cửa" in page
    assert "Reminder" in page
    assert "head_a" not in page
    assert "Reported by" not in page
    mine = client.get("/conduct/mine/").content.decode()
    assert record.number in mine and "head_a" not in mine


def test_the_official_cannot_handle_their_own_record(client, cast, record):
    client.force_login(cast.a.official_user)
    client.post(f"/conduct/{record.pk}/verify/", {"note": ""})
    record.refresh_from_db()
    assert record.status == "reported"


def test_the_official_sees_no_one_elses_record(client, cast, record, colleague_a):
    other = actions.report_violation(
        actor=cast.a.head,
        official=colleague_a.official,
        violation_type=record.type,
        occurred_on=datetime.date(2025, 3, 11),
        source="supervisor",
        description="Đến muộn.",
    )
    client.force_login(cast.a.official_user)
    assert client.get(f"/conduct/{other.pk}/").status_code == 404
    assert list(ViolationRecord.objects.visible_to(cast.a.official_user)) == [record]


def test_a_unit_record_opened_up_is_readable_in_the_subtree(client, cast, late, colleague_a):
    unit_record = actions.report_violation(
        actor=cast.a.coordinator,
        unit=cast.a.department,
        violation_type=late,
        occurred_on=datetime.date(2025, 3, 1),
        source="inspection",
        description="Bộ phận một cửa mở cửa muộn 30 phút.",
        confidential=False,
    )
    client.force_login(colleague_a)
    assert client.get(f"/conduct/{unit_record.pk}/").status_code == 200
    # Not confidential: no read is written.
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.ACCESS).exists()


def test_a_record_about_an_official_is_always_confidential(cast, file_record):
    record = file_record(confidential=False)
    assert record.confidential is True


def test_the_records_hidden_from_a_reader_are_those_whose_reporter_they_may_not_see(
    cast, record, late, inspector_a, colleague_a
):
    """reporter_hidden_from (which the audit log redacts by) is the SQL form of
    may_see_reporter over the records each person reads, whether or not every unit they
    reach is one they handle."""
    unit_record = actions.report_violation(
        actor=cast.a.coordinator,
        unit=cast.a.department,
        violation_type=late,
        occurred_on=datetime.date(2025, 3, 1),
        source="inspection",
        description="Bộ phận một cửa mở cửa muộn 30 phút.",
        confidential=False,
    )
    readers = [
        cast.admin,
        cast.city_coordinator,
        cast.a.head,
        cast.a.coordinator,
        cast.b.head,
        cast.a.official_user,
        inspector_a,
        colleague_a,
    ]
    hidden_somewhere = set()
    for user in readers:
        hidden = set(ViolationRecord.objects.reporter_hidden_from(user))
        assert hidden == {
            r
            for r in ViolationRecord.objects.visible_to(user)
            if not actions.may_see_reporter(user, r)
        }, user.username
        hidden_somewhere |= hidden
    assert hidden_somewhere == {record, unit_record}
