"""Findings to closure: corrective actions, responses with evidence, verification, overdue
flags and the daily reminder job."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from procrastinate.contrib.django import app

from civility.inspections import actions
from civility.inspections.models import ActionReminder, ActionStatus, CorrectiveAction, FindingKind
from tests.factories import jpeg_bytes
from tests.inspections.conftest import TODAY


@pytest.fixture
def action(cast, inspection, inspector, time_machine) -> CorrectiveAction:
    time_machine.move_to(datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC))
    cast.a.head.email = "head_a@example.vn"
    cast.a.head.save()
    finding = actions.record_finding(
        actor=inspector,
        inspection=inspection,
        criterion=inspection.template_version.criteria().get(ref="A6"),
        description="Chuông hỗ trợ không hoạt động.",
        recommendation="Sửa chuông hỗ trợ.",
        deadline=TODAY + datetime.timedelta(days=3),
    )
    return finding.actions.get()


def test_a_recommendation_with_a_deadline_becomes_an_action_for_the_inspected_unit(
    action, counter_a
):
    assert action.unit == counter_a and action.status == ActionStatus.OPEN
    assert action.description == "Sửa chuông hỗ trợ."
    assert [step.kind for step in action.steps.all()] == ["created"]


def test_the_head_responds_the_inspector_sends_back_then_closes(client, cast, action, inspector):
    client.force_login(cast.a.head)
    response = client.post(
        f"/inspections/actions/{action.pk}/",
        {
            "respond-response": "Đã thay chuông mới.",
            "respond-evidence": SimpleUploadedFile("chuong.jpg", jpeg_bytes()),
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.RESPONDED and action.evidence.count() == 1

    client.force_login(inspector)
    response = client.post(
        f"/inspections/actions/{action.pk}/", {"verify-decision": "back", "verify-note": ""}
    )
    assert "Say what is still missing." in response.content.decode()
    client.post(
        f"/inspections/actions/{action.pk}/",
        {"verify-decision": "back", "verify-note": "Chưa có ảnh chuông hoạt động."},
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN

    actions.respond_to_action(actor=cast.a.head, action=action, response="Gửi bổ sung ảnh.")
    client.post(f"/inspections/actions/{action.pk}/", {"verify-decision": "close"})
    action.refresh_from_db()
    assert (
        action.status == ActionStatus.CLOSED
        and action.closed_at
        and action.verified_by == inspector
    )
    assert [s.kind for s in action.steps.all()] == [
        "created",
        "responded",
        "sent_back",
        "responded",
        "closed",
    ]
    with pytest.raises(ValidationError):
        actions.respond_to_action(actor=cast.a.head, action=action, response="Lại")


def test_the_inspected_unit_cannot_verify_its_own_action(client, cast, action):
    actions.respond_to_action(actor=cast.a.head, action=action, response="Xong")
    client.force_login(cast.a.head)
    client.post(f"/inspections/actions/{action.pk}/", {"verify-decision": "close"})
    action.refresh_from_db()
    assert action.status == ActionStatus.RESPONDED


def test_a_peer_unit_head_does_not_see_the_action(client, cast, action):
    client.force_login(cast.b.head)
    assert client.get(f"/inspections/actions/{action.pk}/").status_code == 404
    assert client.get("/inspections/actions/?show=all").content.decode().count("Sửa chuông") == 0


def test_an_official_may_be_named_only_for_a_violation(cast, inspection, inspector, counter_a):
    from tests.factories import make_official

    clerk = make_official("Trần Thị Quầy", unit=counter_a)
    finding = actions.record_finding(
        actor=inspector,
        inspection=inspection,
        kind=FindingKind.VIOLATION,
        official=clerk,
        description="Không đeo thẻ công chức.",
    )
    assert finding.official == clerk
    with pytest.raises(ValidationError):
        actions.record_finding(
            actor=inspector, inspection=inspection, official=clerk, description="x"
        )
    with pytest.raises(ValidationError):  # someone from another unit
        actions.record_finding(
            actor=inspector,
            inspection=inspection,
            kind=FindingKind.VIOLATION,
            official=cast.b.official,
            description="x",
        )


def test_overdue_actions_are_flagged(client, cast, action, time_machine):
    assert not action.is_overdue(TODAY)
    later = TODAY + datetime.timedelta(days=5)
    assert action.is_overdue(later) and action.days_overdue(later) == 2
    assert list(CorrectiveAction.objects.overdue(later)) == [action]
    assert not CorrectiveAction.objects.overdue(TODAY).exists()
    time_machine.move_to(datetime.datetime(2026, 3, 7, 8, 0, tzinfo=datetime.UTC))
    client.force_login(cast.a.head)
    page = client.get("/inspections/actions/?show=overdue").content.decode()
    assert "Sửa chuông hỗ trợ." in page and "2 days overdue" in page
    assert "1 corrective action is overdue." in client.get("/inspections/").content.decode()
    api = client.get("/api/v1/inspections/actions?overdue=true").json()["items"]
    assert [row["id"] for row in api] == [action.pk] and api[0]["overdue"] is True


def test_a_closed_action_is_never_overdue(cast, action, inspector):
    actions.respond_to_action(actor=cast.a.head, action=action, response="Xong")
    actions.verify_action(actor=inspector, action=action, accept=True)
    assert not CorrectiveAction.objects.overdue(TODAY + datetime.timedelta(days=30)).exists()


def test_reminders_go_to_the_unit_head_before_and_after_the_deadline(cast, action):
    # Deadline is TODAY + 3: reminded 3 days and 1 day before, 1, 3 and 7 days after.
    sent_on = []
    for offset in range(0, 12):
        day = TODAY + datetime.timedelta(days=offset)
        if actions.send_action_reminders(today=day):
            sent_on.append(offset)
    assert sent_on == [0, 2, 4, 6, 10]
    assert {m.to[0] for m in mail.outbox} == {"head_a@example.vn"}  # the counter's nearest head
    assert "overdue" in mail.outbox[-1].subject
    assert f"/inspections/actions/{action.pk}/" in mail.outbox[0].body
    assert ActionReminder.objects.filter(action=action).count() == 5


def test_the_reminder_job_sends_once_a_day(action):
    assert actions.send_action_reminders(today=TODAY) == 1
    assert actions.send_action_reminders(today=TODAY) == 0
    assert len(mail.outbox) == 1


def test_no_reminder_once_the_unit_has_responded(cast, action):
    actions.respond_to_action(actor=cast.a.head, action=action, response="Đã sửa")
    assert actions.send_action_reminders(today=TODAY) == 0


def test_the_daily_task_is_registered_and_calls_the_action(action):
    task = app.tasks["inspections.send_action_reminders"]
    assert task.queue == "reminders"
    timestamp = int(datetime.datetime(2026, 3, 2, 1, 0, tzinfo=datetime.UTC).timestamp())
    assert task(timestamp=timestamp) == 1
