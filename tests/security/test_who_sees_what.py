"""docs/security.md's table, row by row: who may see who filed a confidential record, its
attachments, and its rows in the audit log. Each test is named after the threat it covers;
the table's cell it checks is in the docstring."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.contenttypes.models import ContentType

from civility.conduct import actions
from civility.conduct.models import RecordEvidence, ViolationRecord
from civility.core.models import AuditEvent
from tests.factories import make_official, make_user
from tests.security.files import leaks

HANDLERS = ("unit head", "coordinator", "inspector", "system administrator", "superuser")
AUDIT_READERS = ("coordinator", "system administrator", "superuser")
OUTSIDERS = ("colleague", "other ward's coordinator")


def _audit_page(client, user, **params) -> str:
    client.force_login(user)
    response = client.get("/audit/", {"model": _type(ViolationRecord), **params})
    assert response.status_code == 200
    return response.content.decode()


def _type(model) -> int:
    return ContentType.objects.get_for_model(model).pk


def _rows(page: str) -> list[str]:
    return re.findall(r"<tr>(.*?)</tr>", page, re.DOTALL)[1:]


# --- Reporter identity --------------------------------------------------------------------


@pytest.mark.parametrize("role", HANDLERS)
def test_handlers_of_the_subtree_know_who_reported_so_they_can_verify(client, people, record, role):
    """Unit head, coordinator, inspector, system administrator, superuser: reporter shown."""
    client.force_login(people[role])
    page = client.get(f"/conduct/{record.pk}/").content.decode()
    assert "Reported by" in page and "sec_insp_a" in page
    body = client.get(f"/api/v1/conduct/records/{record.pk}").json()
    assert body["reported_by"] == "sec_insp_a"


def test_the_official_concerned_never_learns_who_reported_from_page_api_or_own_list(
    client, people, record
):
    """Official concerned: reporter never shown (record page, API, 'my records')."""
    client.force_login(people["official concerned"])
    pages = [
        client.get(f"/conduct/{record.pk}/").content.decode(),
        client.get("/conduct/mine/").content.decode(),
        client.get(f"/api/v1/conduct/records/{record.pk}").content.decode(),
    ]
    assert record.number in pages[0] and record.number in pages[1]
    assert all("sec_insp_a" not in page for page in pages)


@pytest.mark.parametrize("role", OUTSIDERS)
def test_staff_outside_the_handlers_cannot_read_the_record_at_all(client, people, record, role):
    """Colleague in the same unit, another ward's staff: no record, so no reporter."""
    client.force_login(people[role])
    assert client.get(f"/conduct/{record.pk}/").status_code == 404
    assert client.get(f"/api/v1/conduct/records/{record.pk}").status_code == 404


# --- Attachments --------------------------------------------------------------------------


@pytest.mark.parametrize("role", (*HANDLERS, "official concerned"))
def test_readers_of_the_record_get_its_attachments_only_cleaned(client, people, record, role):
    """Handlers and the official concerned: attachments listed, stored without metadata."""
    client.force_login(people[role])
    page = client.get(f"/conduct/{record.pk}/").content.decode()
    assert "anh.jpg" in page and "bien-ban.pdf" in page
    for evidence in record.evidence.all():
        with evidence.file.open("rb") as stored:
            assert leaks(stored.read()) == set()


@pytest.mark.parametrize("role", OUTSIDERS)
def test_staff_outside_the_handlers_are_not_shown_the_attachments(client, people, record, role):
    """Colleague, another ward's staff: no record page, so no attachment links."""
    client.force_login(people[role])
    listing = client.get("/conduct/", follow=True).content.decode()
    assert "bien-ban.pdf" not in listing and record.number not in listing


# --- Audit rows of confidential records ---------------------------------------------------


@pytest.mark.parametrize("role", AUDIT_READERS)
def test_audit_readers_of_the_subtree_see_who_wrote_each_row(client, people, record, role):
    """Coordinator, system administrator, superuser: every row, with its actor."""
    page = _audit_page(client, people[role])
    created = next(row for row in _rows(page) if ">create<" in row and record.number in row)
    assert "sec_insp_a" in created and "hidden" not in created


@pytest.mark.parametrize("role", ("unit head", "inspector", *OUTSIDERS))
def test_the_audit_log_is_closed_to_everyone_but_its_readers(client, people, record, role):
    """Unit head, inspector, colleague: no audit log; another ward's coordinator: not this
    ward's rows."""
    client.force_login(people[role])
    response = client.get("/audit/")
    if role == "other ward's coordinator":
        assert response.status_code == 200 and record.number not in response.content.decode()
    else:
        assert response.status_code == 404


def test_audit_log_does_not_reveal_who_filed_a_confidential_record(client, people, record):
    """Official concerned who reads the audit log (a coordinator of the ward): the rows the
    reporter wrote are there, without who wrote them or whom they name."""
    client.force_login(people["unit head"])
    client.get(f"/conduct/{record.pk}/")  # a handler's read stays attributed
    page = _audit_page(client, people["official concerned"])
    assert "sec_insp_a" not in page
    created = next(row for row in _rows(page) if ">create<" in row and record.number in row)
    assert "hidden" in created and "Reported by" not in created
    assert any("head_a" in row for row in _rows(page))
    for model in ("conduct.recordstep", "conduct.recordevidence"):
        app_label, name = model.split(".")
        content_type = ContentType.objects.get(app_label=app_label, model=name)
        rows = _rows(_audit_page(client, people["official concerned"], model=content_type.pk))
        assert rows and all("sec_insp_a" not in row and "hidden" in row for row in rows)


def test_filtering_the_audit_log_by_name_does_not_find_the_hidden_reporter(client, people, record):
    """Official concerned who reads the audit log: the actor filter cannot confirm a guess."""
    page = _audit_page(client, people["official concerned"], actor="sec_insp")
    assert record.number not in page
    assert record.number in _audit_page(client, people["coordinator"], actor="sec_insp")


def test_the_reporter_reading_the_record_is_not_revealed_by_the_read_log(
    client, people, filer, record
):
    """Official concerned who reads the audit log: the reporter's own reads are not named."""
    client.force_login(filer)
    client.get(f"/conduct/{record.pk}/")
    assert AuditEvent.objects.filter(action=AuditEvent.Action.ACCESS, actor=filer).exists()
    visible = AuditEvent.objects.visible_to(people["official concerned"]).filter(
        action=AuditEvent.Action.ACCESS, actor=filer
    )
    assert visible.exists() and all(event.actor_hidden for event in visible)


def test_the_audit_log_does_not_show_an_anonymous_reporters_answers_to_the_official_concerned(
    client, cast, people
):
    """Official concerned who reads the audit log: no rows of the anonymous report or of its
    questions and answers; its handlers read them all."""
    client.post(
        f"/conduct-report/unit/{cast.a.department.pk}/",
        {"description": "Thái độ hách dịch.", "occurred_on": "2025-03-12"},
    )
    record = ViolationRecord.objects.get(source="anonymous")
    actions.start_verification(actor=cast.a.head, record=record)
    actions.update_record_details(
        actor=cast.a.head,
        record=record,
        violation_type=None,
        official=people["official concerned"].official,
        severity="",
    )
    actions.ask_reporter(actor=cast.a.head, record=record, text="Anh/chị đến lúc mấy giờ?")
    actions.answer_as_reporter(report=record.anonymous_report, text="Tôi là người xếp số 12.")

    def readable(user) -> set[str]:
        return {
            event.content_type.model
            for event in AuditEvent.objects.visible_to(user).select_related("content_type")
        }

    assert {"anonymousreport", "reportmessage"} <= readable(people["coordinator"])
    assert not {"anonymousreport", "reportmessage"} & readable(people["official concerned"])
    client.force_login(people["official concerned"])
    assert "người xếp số 12" not in client.get("/audit/").content.decode()


def test_listing_confidential_records_leaves_a_read_in_the_audit_log(client, people, record):
    """Every reader: reading a list of confidential records is audited like a detail read."""
    client.force_login(people["inspector"])
    client.get("/conduct/")
    client.get("/api/v1/conduct/records")
    reads = AuditEvent.objects.filter(
        action=AuditEvent.Action.ACCESS, object_id=record.pk, actor=people["inspector"]
    )
    assert reads.count() == 2


def test_evidence_rows_of_the_audit_log_name_the_file_not_the_person_for_the_concerned(
    people, record
):
    """Official concerned who reads the audit log: evidence rows show no 'added by'."""
    events = AuditEvent.objects.visible_to(people["official concerned"]).filter(
        content_type=_type(RecordEvidence)
    )
    assert events.count() == 2
    for event in events:
        assert event.actor_hidden
        assert "added by" not in {str(label).lower() for label in event.shown_changes()}


def test_a_superuser_concerned_by_a_record_does_not_learn_who_reported_it_either(
    client, cast, late, filer
):
    """Superuser: everything, except who reported a record about themselves."""
    chief = make_user("chief", is_superuser=True)
    official = make_official("Phạm Văn Quản Trị", unit=cast.a.department, user=chief)
    record = actions.report_violation(
        actor=filer,
        official=official,
        violation_type=late,
        occurred_on=datetime.date(2025, 3, 10),
        source="surprise_check",
        description="Vắng mặt.",
    )
    client.force_login(chief)
    assert "sec_insp_a" not in client.get(f"/conduct/{record.pk}/").content.decode()
    assert "sec_insp_a" not in _audit_page(client, chief)
