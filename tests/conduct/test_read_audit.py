"""Every read of a confidential record is in the audit trail (AuditEvent, action ACCESS)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from civility.conduct.models import ViolationRecord
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


def test_the_list_page_does_not_count_as_reading_each_record(client, cast, file_record):
    record = file_record()
    client.force_login(cast.a.head)
    assert client.get("/conduct/").status_code == 200
    assert not _reads(record).exists()


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
