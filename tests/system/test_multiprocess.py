"""Several machines' worth of processes against one PostgreSQL: two gunicorn web processes,
the uvicorn stream process and two procrastinate workers.

- An assistance call raised through one web process reaches the SSE listeners of the other
  processes (PostgreSQL LISTEN/NOTIFY, no broker) within a second.
- A periodic job runs once per tick, not once per worker.

Marker `system`: real processes, about 30 s; `make test` runs it (see the Makefile)."""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections import Counter as Tally

import pytest
from django.db import connection

from civility.feedback import stream
from civility.feedback.actions import register_device
from civility.feedback.models import AssistanceCall
from civility.orgs.models import UnitKind
from tests.factories import make_unit
from tests.system import processes

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]


class Listener(threading.Thread):
    """An SSE client: records (event name, data, arrival time) of each event it hears, and
    in `wall` the same arrivals on the wall clock, to compare with times the server stored."""

    def __init__(self, port: int, token: str) -> None:
        super().__init__(daemon=True)
        self.port, self.token = port, token
        self.ready = threading.Event()
        self.events: list[tuple[str, dict, float]] = []
        self.wall: list[float] = []
        self.arrived = threading.Event()

    def run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        conn.request("GET", f"/feedback/stream/?t={self.token}")
        response = conn.getresponse()
        assert response.status == 200, response.status
        name = None
        while True:
            line = response.readline()
            if not line:
                return
            text = line.decode().rstrip("\n")
            if text.startswith(": listening"):
                self.ready.set()
            elif text.startswith("event: "):
                name = text.removeprefix("event: ")
            elif text.startswith("data: "):
                self.events.append((name, json.loads(text[6:]), time.monotonic()))
                self.wall.append(time.time())
                self.arrived.set()


def post(port: int, path: str, secret: str) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("POST", path, body=b"", headers={"Authorization": f"Bearer {secret}"})
    response = conn.getresponse()
    return response.status, json.loads(response.read() or b"{}")


def test_a_call_through_one_web_process_reaches_listeners_on_the_others(cast, tmp_path):
    point = make_unit("Điểm phục vụ Tây Hồ", parent=cast.city, kind=UnitKind.SERVICE_POINT)
    counter = make_unit("Quầy số 1", parent=point, kind=UnitKind.COUNTER, serves=cast.a.ward)
    _device, secret = register_device(actor=cast.admin, counter=counter, name="Máy 1")
    db_url = processes.database_url()
    web_a, web_b, asgi = processes.free_port(), processes.free_port(), processes.free_port()
    token = stream.make_token([point.path])

    with processes.running(
        processes.gunicorn(db_url, web_a),
        # B serves the stream from its WSGI worker, as a second, different kind of listener.
        processes.gunicorn(db_url, web_b, FEEDBACK_STREAM_WSGI="true"),
        processes.uvicorn_stream(db_url, asgi),
        logs=tmp_path / "logs",
    ):
        listeners = [Listener(asgi, token), Listener(web_b, token)]
        for listener in listeners:
            listener.start()
            assert listener.ready.wait(10), "the stream never said it was listening"

        sent = time.monotonic()
        status, body = post(web_a, "/api/v1/feedback/kiosk/assistance", secret)
        assert status == 200 and body["created"] is True

        for listener in listeners:
            assert listener.arrived.wait(5), f"no event on port {listener.port}"
            name, data, arrived = listener.events[0]
            assert arrived - sent < 1.0, arrived - sent
            assert data["call"] == body["id"] and data["path"].startswith(point.path)
    assert AssistanceCall.objects.count() == 1


def test_a_periodic_job_runs_once_per_tick_however_many_workers(tmp_path):
    db_url = processes.database_url()
    probe = {"DJANGO_SETTINGS_MODULE": "tests.system.settings_probe"}
    with processes.running(
        processes.worker(db_url, "probe", **probe),
        processes.worker(db_url, "probe", **probe),
        logs=tmp_path / "logs",
    ) as started:
        time.sleep(8)
        assert all(process.poll() is None for process in started), "a worker died"

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT args->>'timestamp', status FROM procrastinate_jobs WHERE task_name = %s",
            ["system_probe_tick"],
        )
        rows = cursor.fetchall()
    per_tick = Tally(timestamp for timestamp, _status in rows)
    assert len(per_tick) >= 4, rows  # the workers ran about 8 s: one job a second
    assert set(per_tick.values()) == {1}, per_tick  # never twice for the same second
    assert {status for _ts, status in rows} <= {"succeeded", "todo", "doing"}
    assert sum(status == "succeeded" for _ts, status in rows) >= 3
