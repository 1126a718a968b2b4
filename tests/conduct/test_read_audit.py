"""Every read of a confidential record, on its page or in a list, is in the audit trail
(AuditEvent, action ACCESS)."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType

from civility.conduct import actions
from civility.conduct.models import Source, ViolationRecord
from civility.core.models import AuditEvent


def _reads(record):
    return AuditEvent.objects.filter(
        action=AuditEvent.Action.ACCESS,
        content_type=ContentType.objects.get_for_model(ViolationRecord),
        object_id=record.pk,
    )


def test_each_read_is_written_with_who_and_the_unit(client, cast, file_record):
    record = file_record()
    assert not _reads(record).exists()
    client.force_login(cast.a.coordinator)
    client.get(f"/conduct/{record.pk}/")
    client.get(f"/conduct/{record.pk}/")
    client.force_login(cast.a.official_user)
    client.get(f"/conduct/{record.pk}/")
    reads = list(_reads(record).order_by("pk"))
    assert [event.actor for event in reads] == [
        cast.a.coordinator,
        cast.a.coordinator,
        cast.a.official_user,
    ]
    assert all(event.additional_data["unit_path"] == record.unit.path for event in reads)


def test_a_refused_read_is_not_a_read(client, cast, file_record, colleague_a):
    record = file_record()
    client.force_login(colleague_a)
    assert client.get(f"/conduct/{record.pk}/").status_code == 404
    assert not _reads(record).exists()


def test_the_list_page_writes_a_read_of_each_confidential_record_it_shows(
    client, cast, file_record
):
    record = file_record()
    unit_record = actions.report_violation(
        actor=cast.a.head,
        unit=cast.a.department,
        occurred_on=datetime.date(2025, 3, 11),
        source=Source.SURPRISE_CHECK,
        description="Bảng niêm yết thủ tục bị che khuất.",
        confidential=False,
    )
    client.force_login(cast.a.head)
    assert client.get("/conduct/").status_code == 200
    assert [event.actor for event in _reads(record)] == [cast.a.head]
    assert not _reads(unit_record).exists()


def test_the_api_list_writes_a_read_of_each_confidential_record_it_returns(
    client, cast, file_record
):
    shown, beyond = file_record(), file_record()
    client.force_login(cast.a.head)
    response = client.get("/api/v1/conduct/records", {"limit": 1})
    assert [item["id"] for item in response.json()["items"]] == [beyond.pk]
    assert [event.actor for event in _reads(beyond)] == [cast.a.head]
    assert not _reads(shown).exists()


def test_the_official_reading_their_own_records_is_a_read(client, cast, file_record):
    record = file_record()
    client.force_login(cast.a.official_user)
    assert client.get("/conduct/mine/").status_code == 200
    assert [event.actor for event in _reads(record)] == [cast.a.official_user]


def test_coordinators_find_the_reads_on_the_audit_page(client, cast, file_record):
    record = file_record()
    client.force_login(cast.a.head)
    client.get(f"/conduct/{record.pk}/")
    client.force_login(cast.a.coordinator)
    events = AuditEvent.objects.visible_to(cast.a.coordinator).filter(
        action=AuditEvent.Action.ACCESS
    )
    assert events.get().actor == cast.a.head
    client.force_login(cast.b.coordinator)
    assert not AuditEvent.objects.visible_to(cast.b.coordinator).filter(
        action=AuditEvent.Action.ACCESS
    )
