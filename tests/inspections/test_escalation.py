"""Escalation: a corrective action the unit has not answered past the second deadline goes
to the level above, one step at a time, each step once (time frozen)."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from procrastinate.contrib.django import app

from civility.inspections import actions
from civility.inspections.models import ActionEscalation, ActionStep, CorrectiveAction
from civility.orgs.scopes import Role
from tests.factories import make_user
from tests.inspections.conftest import TODAY

DEADLINE = TODAY + datetime.timedelta(days=3)


@pytest.fixture(autouse=True)
def _ladder(settings):
    settings.INSPECTION_ACTION_ESCALATION_DAYS = [14, 30]


@pytest.fixture
def action(cast, inspection, inspector, time_machine) -> CorrectiveAction:
    """An action for ward A's counter, due DEADLINE; the ward's and the city's people have
    e-mail addresses."""
    time_machine.move_to(datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC))
    for user, address in (
        (cast.a.head, "head_a@example.vn"),
        (cast.a.coordinator, "coord_a@example.vn"),
        (cast.city_coordinator, "coord_city@example.vn"),
    ):
        user.email = address
        user.save()
    finding = actions.record_finding(
        actor=inspector,
        inspection=inspection,
        description="Chuông hỗ trợ không hoạt động.",
        recommendation="Sửa chuông hỗ trợ.",
        deadline=DEADLINE,
    )
    return finding.actions.get()


def _run_daily(time_machine, days: int) -> list[int]:
    """Run the daily job from DEADLINE for `days` days with time frozen on each morning;
    the days (after the deadline) on which something was escalated."""
    escalated_on = []
    for offset in range(days):
        day = DEADLINE + datetime.timedelta(days=offset)
        time_machine.move_to(datetime.datetime.combine(day, datetime.time(1, 0), datetime.UTC))
        if actions.escalate_overdue_actions(today=day):
            escalated_on.append(offset)
    return escalated_on


def test_the_ladder_escalates_to_the_parent_then_to_the_level_above(
    cast, action, counter_a, time_machine
):
    assert _run_daily(time_machine, 40) == [14, 30]
    steps = list(ActionEscalation.objects.filter(action=action))
    assert [(e.step, e.unit, e.days_overdue) for e in steps] == [
        (1, cast.a.ward, 14),
        (2, cast.city, 30),
    ]
    assert sorted(m.to[0] for m in mail.outbox[:2]) == ["coord_a@example.vn", "head_a@example.vn"]
    assert [m.to for m in mail.outbox[2:]] == [["coord_city@example.vn"]]
    assert "Escalated" in mail.outbox[0].subject
    assert f"/inspections/actions/{action.pk}/" in mail.outbox[0].body
    kinds = [s.kind for s in action.steps.all()]
    assert kinds.count(ActionStep.Kind.ESCALATED) == 2


def test_nothing_escalates_before_the_second_deadline(action, time_machine):
    assert _run_daily(time_machine, 14) == []
    assert not ActionEscalation.objects.exists() and not mail.outbox


def test_each_step_is_sent_once_however_often_the_job_runs(action, time_machine):
    day = DEADLINE + datetime.timedelta(days=20)
    time_machine.move_to(datetime.datetime.combine(day, datetime.time(1, 0), datetime.UTC))
    assert actions.escalate_overdue_actions(today=day) == 1
    assert actions.escalate_overdue_actions(today=day) == 0
    assert actions.escalate_overdue_actions(today=day + datetime.timedelta(days=1)) == 0
    assert ActionEscalation.objects.get().step == 1


def test_a_job_that_missed_days_catches_up_every_step(action, time_machine):
    day = DEADLINE + datetime.timedelta(days=35)
    time_machine.move_to(datetime.datetime.combine(day, datetime.time(1, 0), datetime.UTC))
    assert actions.escalate_overdue_actions(today=day) == 2
    assert list(ActionEscalation.objects.values_list("step", flat=True)) == [1, 2]


def test_an_answered_or_closed_action_is_not_escalated(cast, action, inspector, time_machine):
    actions.respond_to_action(actor=cast.a.head, action=action, response="Đã sửa")
    assert _run_daily(time_machine, 40) == []
    actions.verify_action(actor=inspector, action=action, accept=True)
    assert _run_daily(time_machine, 40) == []


def test_the_level_above_sees_the_escalation_in_the_app(client, cast, action, time_machine):
    _run_daily(time_machine, 15)
    client.force_login(cast.a.coordinator)
    page = client.get("/inspections/").content.decode()
    assert "1 overdue corrective action was escalated to your unit." in page
    listing = client.get("/inspections/actions/?show=escalated").content.decode()
    assert "Sửa chuông hỗ trợ." in listing
    detail = client.get(f"/inspections/actions/{action.pk}/").content.decode()
    assert "Escalated to the level above" in detail
    # A peer ward's coordinator sees nothing of it.
    client.force_login(cast.b.coordinator)
    assert "Sửa chuông" not in client.get("/inspections/actions/?show=escalated").content.decode()
    assert client.get(f"/inspections/actions/{action.pk}/").status_code == 404


def test_an_inspector_alone_is_not_told(cast, action, time_machine):
    make_user("inspector_ward_a", roles={Role.INSPECTOR: cast.a.ward}, email="i@example.vn")
    _run_daily(time_machine, 15)
    assert "i@example.vn" not in {m.to[0] for m in mail.outbox}


def test_the_daily_task_is_registered_and_calls_the_action(action):
    task = app.tasks["inspections.escalate_overdue_actions"]
    assert task.queue == "reminders"
    day = DEADLINE + datetime.timedelta(days=14)
    timestamp = int(datetime.datetime.combine(day, datetime.time(1, 0), datetime.UTC).timestamp())
    assert task(timestamp=timestamp) == 1
