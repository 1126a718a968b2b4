"""The assistance-call ladder: a call nobody acknowledges alerts the team lead after N
seconds, then the unit head; missed and slow calls are listed for inspections; the desk's
stream answers only once it listens, so the re-read on reconnect misses nothing."""

from __future__ import annotations

import asyncio
import datetime
import json
import threading

import psycopg
import pytest
import time_machine
from django.utils import timezone

from civility.feedback import stream, trust
from civility.feedback.actions import (
    acknowledge_call,
    raise_assistance_call,
    resolve_call,
)
from civility.feedback.models import AssistanceCall, CallEscalation, EscalationStep
from civility.orgs.scopes import Role
from tests.factories import make_user

T0 = datetime.datetime(2026, 5, 4, 2, 0, tzinfo=datetime.UTC)


@pytest.fixture
def ladder_settings(settings):
    settings.FEEDBACK_ASSIST_TEAM_LEAD_S = 60
    settings.FEEDBACK_ASSIST_HEAD_S = 180


@pytest.fixture
def center_head(point):
    return make_user("center_head", roles={Role.UNIT_HEAD: point.center})


def _call(point, at=T0) -> AssistanceCall:
    with time_machine.travel(at, tick=False):
        call, _created = raise_assistance_call(counter=point.counter, source="kiosk")
    return call


def _steps(call) -> list[str]:
    return list(call.escalations.values_list("step", flat=True))


def test_the_ladder_climbs_with_time_team_lead_then_unit_head(point, center_head, ladder_settings):
    call = _call(point)

    assert trust.escalate_call(call=call, now=T0 + datetime.timedelta(seconds=59)) == []
    assert _steps(call) == []

    (lead,) = trust.escalate_call(call=call, now=T0 + datetime.timedelta(seconds=60))
    assert lead.step == EscalationStep.TEAM_LEAD and lead.unit == point.point
    assert list(lead.recipients.all()) == [point.head]
    assert trust.escalate_call(call=call, now=T0 + datetime.timedelta(seconds=120)) == []

    (head,) = trust.escalate_call(call=call, now=T0 + datetime.timedelta(seconds=180))
    assert head.step == EscalationStep.UNIT_HEAD and head.unit == point.center
    assert list(head.recipients.all()) == [center_head]
    assert head.escalated_at == T0 + datetime.timedelta(seconds=180)
    assert _steps(call) == ["team_lead", "unit_head"]


def test_a_late_first_check_climbs_both_rungs_at_once(point, center_head, ladder_settings):
    call = _call(point)
    climbed = trust.escalate_call(call=call, now=T0 + datetime.timedelta(minutes=10))
    assert [e.step for e in climbed] == ["team_lead", "unit_head"]


def test_an_acknowledged_call_never_escalates(point, center_head, ladder_settings):
    call = _call(point)
    with time_machine.travel(T0 + datetime.timedelta(seconds=30), tick=False):
        acknowledge_call(actor=point.clerk, call=call)
    assert trust.escalate_call(call=call, now=T0 + datetime.timedelta(hours=1)) == []
    assert not CallEscalation.objects.exists()


def test_a_resolved_call_never_escalates_further(point, center_head, ladder_settings):
    call = _call(point)
    trust.escalate_call(call=call, now=T0 + datetime.timedelta(seconds=61))
    with time_machine.travel(T0 + datetime.timedelta(seconds=90), tick=False):
        resolve_call(actor=point.clerk, call=call)
    assert trust.escalate_call(call=call, now=T0 + datetime.timedelta(hours=1)) == []
    assert _steps(call) == ["team_lead"]


def test_the_periodic_safety_net_escalates_waiting_calls(point, center_head, ladder_settings):
    call = _call(point)
    assert trust.escalate_waiting_calls(now=T0 + datetime.timedelta(seconds=30)) == 0
    assert trust.escalate_waiting_calls(now=T0 + datetime.timedelta(seconds=200)) == 2
    assert trust.escalate_waiting_calls(now=T0 + datetime.timedelta(seconds=300)) == 0
    assert _steps(call) == ["team_lead", "unit_head"]


def test_raising_a_call_schedules_a_check_for_each_rung(
    point, ladder_settings, django_capture_on_commit_callbacks
):
    from procrastinate.contrib.django.models import ProcrastinateJob

    with django_capture_on_commit_callbacks(execute=True):
        call, _created = raise_assistance_call(counter=point.counter, source="kiosk")
    jobs = ProcrastinateJob.objects.filter(task_name="feedback.escalate_call")
    assert sorted(job.args["call_id"] for job in jobs) == [call.pk, call.pk]
    delays = sorted(round((job.scheduled_at - call.raised_at).total_seconds()) for job in jobs)
    assert delays == [60, 180]


def test_the_escalation_job_checks_the_call(point, center_head, ladder_settings):
    from civility.feedback.tasks import escalate_call_task

    call = _call(point, at=timezone.now() - datetime.timedelta(seconds=70))
    assert escalate_call_task(call_id=call.pk) == 1
    assert _steps(call) == ["team_lead"]


@pytest.mark.django_db(transaction=True)
def test_the_escalation_rings_through_the_stream_naming_who_it_is_for(
    point, center_head, ladder_settings
):
    ready, received = threading.Event(), []

    def listen():
        with psycopg.connect(stream.conninfo(), autocommit=True) as conn:
            conn.execute(f"LISTEN {stream.CHANNEL}")
            ready.set()
            for note in conn.notifies(timeout=5, stop_after=1):
                received.append(json.loads(note.payload))

    call = AssistanceCall.objects.create(counter=point.counter, source="kiosk", raised_at=T0)
    thread = threading.Thread(target=listen, daemon=True)
    thread.start()
    assert ready.wait(5)
    trust.escalate_call(call=call, now=T0 + datetime.timedelta(seconds=61))
    thread.join(6)

    assert received == [
        {
            "event": "escalated",
            "call": call.pk,
            "counter": point.counter.pk,
            "path": point.counter.path,
            "name": "Quầy số 1",
            "step": "team_lead",
            "to": [point.head.pk],
        }
    ]


def test_the_desk_shows_the_escalation_steps_of_a_call(client, point, center_head, ladder_settings):
    call = _call(point, at=timezone.now() - datetime.timedelta(minutes=5))
    trust.escalate_call(call=call)
    client.force_login(point.head)
    page = client.get("/feedback/desk/").content.decode()
    assert "Team lead alerted" in page and "Unit head alerted" in page
    assert f'data-user="{point.head.pk}"' in page


# --- missed and slow calls, for inspections -----------------------------------------------------


def test_missed_or_slow_lists_unacknowledged_and_late_calls_of_a_subtree(
    point, cast, ladder_settings
):
    def make(counter, raised, ack_after=None):
        at = T0 + datetime.timedelta(minutes=raised)
        ack = at + datetime.timedelta(seconds=ack_after) if ack_after is not None else None
        return AssistanceCall.objects.create(
            counter=counter, source="kiosk", raised_at=at, acknowledged_at=ack
        )

    missed = make(point.counter, 0)
    slow = make(point.counter2, 10, ack_after=95)
    make(point.counter, 20, ack_after=30)  # quick
    make(point.counter, -60 * 24, ack_after=None)  # missed, but before `since`
    make(point.counter, 59.5)  # 30 s before "now": waiting, not missed yet
    with time_machine.travel(T0 + datetime.timedelta(hours=1), tick=False):
        by_point = AssistanceCall.objects.missed_or_slow(unit=point.point, since=T0.date())
        by_counter = AssistanceCall.objects.missed_or_slow(
            unit=point.counter, since=T0 - datetime.timedelta(minutes=1)
        )
        elsewhere = AssistanceCall.objects.missed_or_slow(unit=cast.b.ward, since=T0.date())

    assert set(by_point) == {missed, slow}
    assert set(by_counter) == {missed}
    assert not elsewhere.exists()


# --- the desk's stream and reconnection -----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_asgi_stream_answers_only_once_it_is_subscribed(point):
    """The desk re-reads its call list on every (re)connection (`open`); the headers that fire
    `open` must leave only once the stream hears new calls, or a call raised in between
    would be neither in the list nor on the stream."""
    from civility.feedback.asgi import application

    token = stream.make_token([point.point.path]).encode()
    subscribers_at_start: list[int] = []

    async def run():
        done = asyncio.Event()

        async def receive():
            if not getattr(receive, "started", False):
                receive.started = True
                return {"type": "http.request", "body": b"", "more_body": False}
            await done.wait()
            return {"type": "http.disconnect"}

        async def send(message):
            if message["type"] == "http.response.start":
                subscribers_at_start.append(len(stream.hub._subscribers))
                subscribers_at_start.append(int(stream.hub.listening.is_set()))
                done.set()

        scope = {
            "type": "http",
            "method": "GET",
            "path": "/feedback/stream/",
            "query_string": b"t=" + token,
            "headers": [],
        }
        await asyncio.wait_for(application(scope, receive, send), 10)

    before = len(stream.hub._subscribers)
    result = []
    thread = threading.Thread(target=lambda: result.append(asyncio.run(run())))
    thread.start()
    thread.join(20)
    assert subscribers_at_start == [before + 1, 1]
