"""Kiosk rating ingest through the real endpoint, next to two baselines, in one run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/civility \
    TEST_DATABASE_NAME=bench_civility_kiosk SECRET_KEY=x \
    .venv/bin/python bench/kiosk_ingest.py [--clients 16] [--seconds 10] [--workers 4]

Creates a scratch database (TEST_DATABASE_NAME, else "test_<name>"), seeds 512 counters
with a kiosk each, starts gunicorn with the production config (gunicorn.conf.py: sync
workers, persistent database connections), and measures for the same duration each:

1. psycopg: single-row autocommit INSERTs into the ratings table, one connection per client;
2. bare view: a Django view (same middleware) doing one ORM INSERT of a rating;
3. kiosk endpoint: POST /api/v1/feedback/kiosk/ratings with token auth, validation,
   idempotency and throttling, exactly as the kiosks call it;
4. a backlog batch of 500 ratings through POST /kiosk/ratings/batch (median of 10).

The load comes from --clients concurrent clients (asyncio, split over two processes) on
loopback; every request carries a new client id, and each client rotates over its own
kiosks so no device exceeds its bucket (30 burst, 1 per 4 s) during a run. It stops by
itself; the scratch database is dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civility.settings")

import django  # noqa: E402

COUNTERS = 512
HOST = "127.0.0.1"


# --- load generator ----------------------------------------------------------------------------


async def _one(port: int, path: str, body: bytes, headers: str) -> tuple[float, int]:
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection(HOST, port)
    writer.write(
        (
            f"POST {path} HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n{headers}Connection: close\r\n\r\n"
        ).encode()
        + body
    )
    await writer.drain()
    status_line = await reader.readline()
    await reader.read()  # until the server closes (sync workers close after each response)
    writer.close()
    return time.perf_counter() - started, int(status_line.split()[1])


async def _client(port, path, secrets, until, latencies, statuses, level_cycle):
    n = 0
    while time.perf_counter() < until:
        secret = secrets[n % len(secrets)] if secrets else None
        body = json.dumps({"client_id": str(uuid.uuid4()), "level": 1 + n % level_cycle}).encode()
        headers = f"Authorization: Bearer {secret}\r\n" if secret else ""
        try:
            elapsed, status = await _one(port, path, body, headers)
        except OSError:
            status, elapsed = 599, 0.0
        latencies.append(elapsed)
        statuses[status] = statuses.get(status, 0) + 1
        n += 1


def _process(port, path, client_secrets, seconds, queue):
    async def main():
        latencies, statuses = [], {}
        until = time.perf_counter() + seconds
        await asyncio.gather(
            *(_client(port, path, s, until, latencies, statuses, 5) for s in client_secrets)
        )
        return latencies, statuses

    queue.put(asyncio.run(main()))


def http_load(port: int, path: str, secrets_per_client: list[list[str]], seconds: float) -> dict:
    queue = multiprocessing.Queue()
    halves = [secrets_per_client[0::2], secrets_per_client[1::2]]
    procs = [
        multiprocessing.Process(target=_process, args=(port, path, half, seconds, queue))
        for half in halves
    ]
    started = time.perf_counter()
    for proc in procs:
        proc.start()
    results = [queue.get(timeout=seconds + 60) for _ in procs]
    wall = time.perf_counter() - started
    for proc in procs:
        proc.join()
    latencies = sorted(x for lat, _s in results for x in lat)
    statuses: dict[int, int] = {}
    for _lat, st in results:
        for code, count in st.items():
            statuses[code] = statuses.get(code, 0) + count
    return _summary(latencies, min(wall, seconds + 0.5), statuses)


WRK_SCRIPT = """
local secrets = {%(secrets)s}
local counter = 0
local id = 0
local run = "%(run)s"
function setup(thread)
  id = id + 1
  thread:set("tid", id)
end
function init(args)
  math.randomseed(tid * 7919)
end
request = function()
  counter = counter + 1
  local client_id = string.format("%%s-%%04x-4000-8000-%%012x", run, tid, counter)
  local headers = {["Content-Type"] = "application/json"}
  if #secrets > 0 then
    headers["Authorization"] = "Bearer " .. secrets[(counter * 16 + tid) %% #secrets + 1]
  end
  local body = string.format('{"client_id": "%%s", "level": %%d}', client_id, 1 + counter %% 5)
  return wrk.format("POST", "%(path)s", headers, body)
end
"""


def wrk_load(port: int, path: str, secrets: list[str], clients: int, seconds: float) -> dict:
    """The same load from wrk (C, epoll): it costs the 2 cores far less than Python."""
    import re
    import tempfile

    script = WRK_SCRIPT % {
        "secrets": ", ".join(f'"{s}"' for s in secrets),
        "run": uuid.uuid4().hex[:8],
        "path": path,
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    out = subprocess.run(
        ["wrk", "-t2", f"-c{clients}", f"-d{seconds:g}s", "--latency", "-s", handle.name,
         f"http://{HOST}:{port}{path}"],
        capture_output=True, text=True, timeout=seconds + 60, check=True,
    ).stdout  # fmt: skip
    os.unlink(handle.name)

    def ms(label):
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)", out, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    total = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    ok = total - (int(bad.group(1)) if bad else 0)
    statuses = {201: ok}
    if bad:
        statuses[429] = int(bad.group(1))  # reported as "other"; the status is not told apart
    if errors:
        print("  wrk:", errors.group(0))
    return {"requests": total, "ok": ok, "rate": ok / seconds, "p50_ms": ms(50),
            "p99_ms": ms(99), "statuses": statuses}  # fmt: skip


def _summary(latencies, seconds, statuses=None) -> dict:
    ok = sum(v for k, v in (statuses or {200: len(latencies)}).items() if 200 <= k < 300)
    return {
        "requests": len(latencies),
        "ok": ok,
        "rate": ok / seconds,
        "p50_ms": 1000 * latencies[len(latencies) // 2] if latencies else None,
        "p99_ms": 1000 * latencies[int(len(latencies) * 0.99)] if latencies else None,
        "statuses": statuses or {},
    }


# --- psycopg baseline ---------------------------------------------------------------------------


def psycopg_load(conninfo: str, counter_id: int, clients: int, seconds: float) -> dict:
    import psycopg

    sql = (
        "INSERT INTO feedback_servicerating (client_id, counter_id, channel, scale, level, "
        "score, side, reasons, comment, dossier_code, rated_at, rated_on) VALUES "
        "(%s, %s, 'api', 'five', 1, 100, 1, '{}', '', '', now(), current_date)"
    )
    latencies: list[float] = []
    lock = threading.Lock()
    until = time.perf_counter() + seconds

    def run():
        mine = []
        with psycopg.connect(conninfo, autocommit=True) as conn:
            while time.perf_counter() < until:
                started = time.perf_counter()
                conn.execute(sql, (uuid.uuid4(), counter_id))
                mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=run) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    return _summary(latencies, seconds)


# --- set-up --------------------------------------------------------------------------------------


def seed() -> tuple[int, list[str]]:
    from civility.feedback.models import CounterDevice
    from civility.orgs.models import OrgUnit, UnitKind

    city = OrgUnit.objects.create(name="Thành phố Hà Nội", kind=UnitKind.PROVINCE, code="01")
    center = OrgUnit.objects.create(
        name="Trung tâm PVHCC", kind=UnitKind.SERVICE_CENTER, parent=city
    )
    point = OrgUnit.objects.create(name="Điểm PVHCC", kind=UnitKind.SERVICE_POINT, parent=center)
    counters = OrgUnit.objects.bulk_create(
        OrgUnit(name=f"Quầy {n}", kind=UnitKind.COUNTER, parent=point) for n in range(COUNTERS)
    )
    secrets, devices = [], []
    for counter in counters:
        secret = CounterDevice.new_secret()
        device = CounterDevice(counter=counter, name="bench")
        device.set_secret(secret)
        devices.append(device)
        secrets.append(secret)
    CounterDevice.objects.bulk_create(devices)
    return counters[0].pk, secrets


def start_gunicorn(database_url: str, port: int, workers: int, counter_id: int):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "kiosk_bench_settings",
        "BENCH_COUNTER_ID": str(counter_id),
        "BIND": f"{HOST}:{port}",
        "WEB_WORKERS": str(workers),
        "DEBUG": "false",
        "ALLOWED_HOSTS": HOST,
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-only",
        "LOG_LEVEL": "WARNING",
    }
    proc = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "-c",
            str(ROOT / "gunicorn.conf.py"),
            "--pythonpath",
            f"{ROOT},{ROOT / 'bench'}",
            "civility.wsgi",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            import socket

            with socket.create_connection((HOST, port), timeout=0.5):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("gunicorn did not start")


def batch_times(port: int, secrets: list[str]) -> list[float]:
    """One batch per kiosk, as a kiosk back from an outage sends its backlog."""
    import http.client

    times = []
    for secret in secrets:
        body = json.dumps(
            {"ratings": [{"client_id": str(uuid.uuid4()), "level": 1 + n % 5} for n in range(500)]}
        )
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        started = time.perf_counter()
        conn.request(
            "POST",
            "/api/v1/feedback/kiosk/ratings/batch",
            body,
            {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"},
        )
        response = conn.getresponse()
        data = json.loads(response.read())
        times.append(time.perf_counter() - started)
        assert response.status == 200 and data["stored"] == 500, data
        conn.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=2 * os.cpu_count())  # gunicorn.conf.py
    parser.add_argument("--port", type=int, default=8190)
    parser.add_argument(
        "--python-client", action="store_true", help="use the Python client even if wrk exists"
    )
    args = parser.parse_args()

    django.setup()
    from django.db import connection

    from civility.feedback.models import ServiceRating
    from civility.feedback.stream import conninfo

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    gunicorn = None
    try:
        counter_id, secrets = seed()
        s = connection.settings_dict
        database_url = (
            f"postgres://{s['USER'] or ''}{':' + s['PASSWORD'] if s['PASSWORD'] else ''}"
            f"@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
        )
        connection.close()
        gunicorn = start_gunicorn(database_url, args.port, args.workers, counter_id)
        print(
            f"{os.cpu_count()} CPU(s), {args.clients} clients, {args.seconds:g} s per scenario, "
            f"gunicorn {args.workers} sync workers, database {s['NAME']}"
        )
        # Every client rotates over its own share of the kiosks.
        batch_secrets, secrets = secrets[-10:], secrets[:-10]
        per_client = [secrets[i :: args.clients] for i in range(args.clients)]
        no_auth = [[] for _ in range(args.clients)]

        http_load(args.port, "/bench/bare/", no_auth, 1)  # warm-up: workers connect, import
        http_load(args.port, "/api/v1/feedback/kiosk/ratings", per_client, 1)
        connection.connect()
        ServiceRating.objects.all().delete()
        connection.close()
        time.sleep(8)  # the warm-up took a token per kiosk; let the buckets refill

        use_wrk = shutil.which("wrk") is not None and not args.python_client
        print(f"load generator: {'wrk' if use_wrk else 'Python asyncio (2 processes)'}")

        def load(path, with_keys):
            if use_wrk:
                return wrk_load(
                    args.port, path, secrets if with_keys else [], args.clients, args.seconds
                )
            return http_load(args.port, path, per_client if with_keys else no_auth, args.seconds)

        results = {
            "psycopg single-row INSERT": psycopg_load(
                conninfo(), counter_id, args.clients, args.seconds
            ),
            "bare Django view, one ORM INSERT": load("/bench/bare/", False),
            "kiosk endpoint (auth, validation, idempotency, throttle)": load(
                "/api/v1/feedback/kiosk/ratings", True
            ),
        }
        batches = batch_times(args.port, batch_secrets)
        for label, r in results.items():
            extra = {k: v for k, v in r["statuses"].items() if not 200 <= k < 300}
            other = f"  other: {extra}" if extra else ""
            print(
                f"{label:<58} {r['rate']:7.0f} /s   p50 {r['p50_ms']:6.1f} ms   "
                f"p99 {r['p99_ms']:6.1f} ms   {r['ok']} stored{other}"
            )
        bare = results["bare Django view, one ORM INSERT"]["rate"]
        kiosk = results["kiosk endpoint (auth, validation, idempotency, throttle)"]["rate"]
        print(f"kiosk / bare view: {kiosk / bare:.2f}")
        print(
            f"batch of 500 via /kiosk/ratings/batch: median {statistics.median(batches) * 1000:.0f}"
            f" ms (min {min(batches) * 1000:.0f}, max {max(batches) * 1000:.0f}, 10 runs)"
        )
        connection.connect()
        stored = ServiceRating.objects.count()
        expected = sum(r["ok"] for r in results.values()) + 500 * len(batches)
        print(f"rows in the table: {stored} (expected {expected})")
    finally:
        if gunicorn is not None:
            os.killpg(gunicorn.pid, signal.SIGTERM)
            gunicorn.wait(timeout=30)
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
