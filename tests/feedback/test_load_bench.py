"""bench/load.py's count check: the client ids answered 2xx are compared with the ids stored,
so a run that stops with requests in flight neither fails falsely nor hides a lost rating."""

from __future__ import annotations

import socket
import sys
import threading
import time
import uuid
from pathlib import Path

from django.db import connection
from django.utils import timezone

from civility.feedback.models import Channel

BENCH = Path(__file__).resolve().parents[2] / "bench"
if str(BENCH) not in sys.path:
    sys.path.append(str(BENCH))  # bench/ is scripts, not a package; load.py imports loadgen

import load  # noqa: E402
import loadgen  # noqa: E402


def store(counter, client_id) -> None:
    """Plain SQL, as the kiosk path writes (one statement, the trigger claims the id)."""
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO feedback_servicerating (client_id, counter_id, channel, scale, level,"
            " score, side, reasons, comment, dossier_code, rated_at, rated_on)"
            " VALUES (%s, %s, %s, 'five', 1, 100, 1, '{}', '', '', %s, %s)",
            [client_id, counter.pk, Channel.KIOSK, now, timezone.localdate(now)],
        )


def ids(n: int) -> list[str]:
    return [str(uuid.uuid4()) for _ in range(n)]


def test_ratings_cut_off_in_flight_may_be_stored_or_not_without_failing_the_check(point):
    answered, cut_off = ids(3), ids(2)
    for client_id in [*answered, cut_off[0]]:
        store(point.counter, client_id)
    result = loadgen.Result(answered=[(i, 201, 0.01) for i in answered], cut_off=cut_off)

    check = load.count_check(result, rows_added=4)

    assert check["ok"]
    assert check["answered_stored"] == 3 and check["answered_missing"] == 0
    assert (check["cut_off"], check["cut_off_stored"]) == (2, 1)
    assert check["rows_not_sent"] == 0


def test_an_answered_rating_that_is_not_stored_fails_the_check(point):
    answered = ids(3)
    for client_id in answered[:2]:
        store(point.counter, client_id)
    result = loadgen.Result(answered=[(i, 201, 0.01) for i in answered])

    check = load.count_check(result, rows_added=2)

    assert not check["ok"]
    assert check["answered_missing"] == 1


def test_a_rating_stored_twice_fails_the_check(point):
    answered = ids(2)
    store(point.counter, answered[0])
    with connection.cursor() as cursor:  # what the claiming trigger exists to prevent
        cursor.execute("ALTER TABLE feedback_servicerating DISABLE TRIGGER USER")
        store(point.counter, answered[0])
        cursor.execute("ALTER TABLE feedback_servicerating ENABLE TRIGGER USER")
    store(point.counter, answered[1])
    result = loadgen.Result(answered=[(i, 201, 0.01) for i in answered])

    check = load.count_check(result, rows_added=3)

    assert not check["ok"]
    assert check["stored_twice"] == 1 and check["answered_missing"] == 0


def slow_server(delay_for: str) -> tuple[int, threading.Event]:
    """A loopback HTTP server that answers at once, or after 3 s for paths containing
    `delay_for`; closes each connection after its response, as gunicorn's sync workers do."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    stop = threading.Event()

    def answer(conn):
        with conn:
            request = conn.recv(4096).decode()
            if delay_for in request.split("\r\n")[0]:
                stop.wait(3)
            conn.sendall(b"HTTP/1.1 201 Created\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")

    def serve():
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            threading.Thread(target=answer, args=(conn,), daemon=True).start()
        listener.close()

    threading.Thread(target=serve, daemon=True).start()
    return listener.getsockname()[1], stop


def test_the_load_generator_tells_answered_requests_from_those_cut_off_at_the_end():
    port, stop = slow_server(delay_for="slow")
    try:

        def make(n: int):
            path = f"/{'slow' if n % 10 == 9 else 'fast'}/{n}"
            return loadgen.Request("POST", path, {}, b"{}", tag=path)

        started = time.perf_counter()
        result = loadgen.start("paced", port, make, 50, 1)()
        elapsed = time.perf_counter() - started
    finally:
        stop.set()

    assert elapsed < 3  # it stopped at the end of the run, without waiting for the slow ones
    assert sorted(int(t.split("/")[2]) for t, _s, _l in result.answered) == [
        n for n in range(50) if n % 10 != 9
    ]
    assert all(status == 201 for _t, status, _l in result.answered)
    assert sorted(result.cut_off) == sorted(f"/slow/{n}" for n in range(9, 50, 10))
    assert result.late_starts == 0 and result.not_started == 0
