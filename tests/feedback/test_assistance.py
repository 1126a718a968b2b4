"""The assistance bell: raised from the kiosk or the public page, heard by a listener in
another connection (as another server process would), acknowledged and resolved by staff."""

from __future__ import annotations

import datetime
import json
import threading
import time

import psycopg
import pytest
import time_machine
from django.utils import timezone

from civility.feedback import figures, stream
from civility.feedback.actions import raise_assistance_call
from civility.feedback.models import AssistanceCall
from civility.feedback.stream import CHANNEL
from tests.feedback.conftest import kiosk_headers


def _listen_in_thread(ready: threading.Event, received: list, stop_after: float = 5.0):
    """A separate psycopg connection that LISTENs, as a second server process would."""

    def run():
        with psycopg.connect(stream.conninfo(), autocommit=True) as conn:
            conn.execute(f"LISTEN {CHANNEL}")
            ready.set()
            for note in conn.notifies(timeout=stop_after, stop_after=1):
                received.append((time.perf_counter(), json.loads(note.payload)))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


@pytest.mark.django_db(transaction=True)
def test_a_call_from_the_kiosk_reaches_a_listener_in_another_connection(client, point):
    ready, received = threading.Event(), []
    thread = _listen_in_thread(ready, received)
    assert ready.wait(5)

    sent = time.perf_counter()
    response = client.post("/api/v1/feedback/kiosk/assistance", **kiosk_headers(point.secret))
    thread.join(6)

    assert response.status_code == 200
    call = AssistanceCall.objects.get()
    assert len(received) == 1
    at, payload = received[0]
    assert payload == {
        "event": "raised",
        "call": call.pk,
        "counter": point.counter.pk,
        "path": point.counter.path,
        "name": "Quầy số 1",
    }
    assert at - sent < 1.0


@pytest.mark.django_db(transaction=True)
def test_the_event_stream_delivers_a_call_to_the_counters_staff_within_a_second(point, cast):
    chunks: list[tuple[float, bytes]] = []
    staff_stream = stream.sync_events(stream.Grant([point.point.path]), seconds=4)
    other_stream = stream.sync_events(stream.Grant([cast.b.ward.path]), seconds=2)

    def read(events, into):
        for chunk in events:
            into.append((time.perf_counter(), chunk))

    others: list = []
    threads = [
        threading.Thread(target=read, args=(staff_stream, chunks), daemon=True),
        threading.Thread(target=read, args=(other_stream, others), daemon=True),
    ]
    for thread in threads:
        thread.start()
    assert stream.hub.listening.wait(5)
    time.sleep(0.2)

    sent = time.perf_counter()
    call, created = raise_assistance_call(counter=point.counter, source="public")
    for thread in threads:
        thread.join(6)

    events = [(at, chunk) for at, chunk in chunks if chunk.startswith(b"id:")]
    assert created and len(events) == 1
    at, chunk = events[0]
    assert b"event: raised" in chunk and f'"call": {call.pk}'.encode() in chunk
    assert at - sent < 1.0
    assert not [chunk for _at, chunk in others if chunk.startswith(b"id:")]


def test_pressing_again_while_a_call_waits_rings_nobody_twice(client, point):
    url = f"/feedback/counter/{point.counter.pk}/help/"
    assert client.post(url).status_code == 200
    assert client.post(url).status_code == 200
    assert AssistanceCall.objects.count() == 1


def test_staff_acknowledge_and_resolve_and_the_response_time_is_summarised(client, point):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        call, _created = raise_assistance_call(counter=point.counter, source="kiosk")
    client.force_login(point.clerk)
    with time_machine.travel(start + datetime.timedelta(seconds=42), tick=False):
        assert client.post(f"/feedback/calls/{call.pk}/acknowledge/").status_code == 302
    with time_machine.travel(start + datetime.timedelta(minutes=3), tick=False):
        assert client.post(f"/feedback/calls/{call.pk}/resolve/").status_code == 302

    call.refresh_from_db()
    assert call.response_seconds() == 42
    assert call.acknowledged_by == point.clerk and call.resolved_at is not None
    today = timezone.localdate(start)
    assert figures.call_figures(start=today, end=today, unit=point.point) == (1, 1, 42.0)


def test_the_desk_lists_open_calls_of_the_users_counters_only(client, point, cast):
    raise_assistance_call(counter=point.counter, source="kiosk")

    client.force_login(point.head)
    page = client.get("/feedback/desk/")
    assert "Counter 1" in page.content.decode()
    assert page.context["stream_url"].startswith("/feedback/stream/?t=")

    client.force_login(cast.b.head)
    page = client.get("/feedback/desk/")
    assert "Counter 1" not in page.content.decode()


def test_someone_outside_the_counters_scope_cannot_acknowledge(client, point, cast):
    call, _created = raise_assistance_call(counter=point.counter, source="kiosk")
    client.force_login(cast.b.head)

    assert client.post(f"/feedback/calls/{call.pk}/acknowledge/").status_code == 404
    call.refresh_from_db()
    assert call.acknowledged_at is None


def test_a_forged_stream_token_is_refused(client, settings):
    settings.FEEDBACK_STREAM_WSGI = True
    assert client.get("/feedback/stream/?t=forged").status_code == 403


def test_a_stream_token_carries_only_the_paths_it_was_made_for():
    token = stream.make_token(["1/5/"])
    assert stream.read_token(token) == stream.Grant(["1/5/"])
    assert stream.read_token(token[:-2] + "xx") is None


@pytest.mark.django_db(transaction=True)
def test_a_kiosks_stream_token_dies_with_the_kiosk(point, cast):
    """Revoking the kiosk (or giving it a new link) ends its open stream at once, and its
    token, valid for hours otherwise, is refused from then on (issue 20, item 10)."""
    from civility.feedback.actions import revoke_device

    token = stream.make_token([point.counter.path], device=point.device)
    grant = stream.read_token(token)
    assert grant == stream.Grant([point.counter.path], point.device.pk)
    chunks: list[bytes] = []
    events = stream.sync_events(grant, seconds=8)
    reader = threading.Thread(target=lambda: chunks.extend(events), daemon=True)
    reader.start()
    stream.hub.listening.wait(5)
    time.sleep(0.3)
    started = time.perf_counter()

    revoke_device(actor=cast.admin, device=point.device)
    reader.join(5)

    assert not reader.is_alive() and time.perf_counter() - started < 3
    assert stream.read_token(token) is None


def test_a_new_kiosk_link_refuses_the_old_links_stream_token(point, cast):
    from civility.feedback.actions import reissue_device_key

    old = stream.make_token([point.counter.path], device=point.device)
    new_device, _secret = reissue_device_key(actor=cast.admin, device=point.device)

    assert stream.read_token(old) is None
    assert stream.read_token(stream.make_token([point.counter.path], device=new_device))
