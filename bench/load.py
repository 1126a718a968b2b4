"""Load test: kiosks sending ratings and staff opening pages, at the same time.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/civility \
    TEST_DATABASE_NAME=bench_civility_load SECRET_KEY=x DEBUG=false \
    .venv/bin/python bench/load.py [--seconds 20] [--scenario capacity paced] [--keepdb]

(`make bench` runs it.) Creates a scratch database (TEST_DATABASE_NAME, else
"test_<name>"), loads Hanoi's units and the demo data, adds 512 counters with a kiosk each,
starts gunicorn with the production configuration (gunicorn.conf.py, DEBUG off), then runs
the --scenario(s) one after the other, --seconds each, two loads at the same time
(bench/loadgen.py, one process each, on loopback):

- capacity: kiosks at full speed (--kiosk-clients closed-loop clients) and staff pages at
  full speed (--page-clients clients);
- paced: kiosks at a fixed --kiosk-rate ratings/s (an open model: requests start on schedule
  whatever the answers) and staff pages at full speed. Goal: pages p99 under 300 ms;
- pages: staff pages alone (not run by default): what the pages get from the machine at
  that moment, the baseline to read the other two against on a shared machine.

Kiosk requests are POST /api/v1/feedback/kiosk/ratings, a new client id each, rotating over
the 512 kiosks (throttle buckets raised: the throttle statement runs, never refuses). Pages
are the to-do home, dashboards and lists, signed in as the city coordinator.

The count check is exact: it fails when a client id whose request was answered 2xx is not
stored, or when any id is stored twice. Requests still in flight when a run stops are cut
off (as wrk does): their ids may or may not be stored, and are reported apart, as are rows
that no request of the run sent. Loopback only, bounded in time; the scratch database is
dropped at the end (kept with --keepdb).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civility.settings")

import django  # noqa: E402
import loadgen  # noqa: E402

HOST = "127.0.0.1"
# The to-do home, the dashboards and the main lists a coordinator works from.
PAGES = [
    "/",
    "/feedback/",
    "/insights/",
    "/inspections/",
    "/inspections/actions/",
    "/feedback/reports/",
    "/conduct/",
    "/codes/campaigns/",
    "/programmes/",
    "/units/",
    "/officials/",
]


def seed_kiosks(city, count: int = 512) -> list[str]:
    from civility.feedback.models import CounterDevice
    from civility.orgs.models import OrgUnit, UnitKind

    point = OrgUnit.objects.create(
        name="Điểm PVHCC (bench)", kind=UnitKind.SERVICE_POINT, parent=city
    )
    counters = OrgUnit.objects.bulk_create(
        OrgUnit(name=f"Quầy {n}", kind=UnitKind.COUNTER, parent=point) for n in range(count)
    )
    secrets, devices = [], []
    for counter in counters:
        secret = CounterDevice.new_secret()
        device = CounterDevice(counter=counter, name="bench")
        device.set_secret(secret)
        devices.append(device)
        secrets.append(secret)
    CounterDevice.objects.bulk_create(devices)
    return secrets


def prepare() -> tuple[list[str], str]:
    """Load the data set (or reuse it: --keepdb); the kiosks' secrets and a staff cookie."""
    from django.core.management import call_command

    from civility.feedback.models import CounterDevice
    from civility.orgs.models import OrgUnit

    reused = CounterDevice.objects.filter(name="bench").exists()  # --keepdb, data loaded
    if not reused:
        for command in [
            ["collectstatic", "--no-input"],  # production static files: manifest, compressed
            ["import_admin_units", "--province", "01"],
            ["load_demo_data"],
            ["load_codes", "--unit-code", "01"],
            ["load_inspections_demo"],
            ["load_feedback_demo"],
            ["load_programmes_demo"],
        ]:
            call_command(*command, verbosity=0)
    city = OrgUnit.objects.get(parent__isnull=True, code="01")
    if reused:  # the kiosks' secrets are stored hashed: new keys for the same kiosks
        secrets = []
        for device in CounterDevice.objects.filter(name="bench").order_by("pk"):
            secrets.append(CounterDevice.new_secret())
            device.set_secret(secrets[-1])
            device.save()
        return secrets, login_coordinator(city)
    return seed_kiosks(city), login_coordinator(city)


def login_coordinator(city) -> str:
    """The session cookie of a city coordinator signed in with the second step."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from civility.orgs.scopes import Role
    from tests.factories import make_user

    coordinator = get_user_model().objects.filter(username="bench_coordinator").first()
    if coordinator is None:
        coordinator = make_user("bench_coordinator", roles={Role.COORDINATOR: city})
    # A coordinator must sign in with a second step (accounts/middleware.py): the session is
    # marked as verified by a confirmed TOTP device, as django_otp's login() does.
    device, _ = TOTPDevice.objects.get_or_create(
        user=coordinator, name="bench", defaults={"confirmed": True}
    )
    client = Client()
    client.force_login(coordinator)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return f"sessionid={client.cookies['sessionid'].value}"


KIOSK_PATH = "/api/v1/feedback/kiosk/ratings"


def kiosk_requests(secrets: list[str]):
    """The n-th rating: a new client id, the kiosks in rotation (made in the load's process)."""

    def make(n: int) -> loadgen.Request:
        client_id = str(uuid.uuid4())
        body = json.dumps({"client_id": client_id, "level": 1 + n % 5}).encode()
        headers = {
            "Content-Type": "application/json",
            "Authorization": f"Bearer {secrets[n % len(secrets)]}",
        }
        return loadgen.Request("POST", KIOSK_PATH, headers, body, tag=client_id)

    return make


def page_requests(cookie: str):
    def make(n: int) -> loadgen.Request:
        path = PAGES[n % len(PAGES)]
        return loadgen.Request("GET", path, {"Cookie": cookie}, tag=path)

    return make


def count_check(result: loadgen.Result, rows_added: int) -> dict:
    """Compare the client ids answered 2xx with the ids stored (see the module's docstring)."""
    from django.db.models import Count

    from civility.feedback.models import ServiceRating

    answered = {tag for tag, status, _s in result.answered if 200 <= status < 300}
    refused = {tag for tag, status, _s in result.answered if not 200 <= status < 300}
    cut_off = set(result.cut_off)
    sent = answered | refused | cut_off
    stored: dict[str, int] = {}
    ids = sorted(sent)
    for start in range(0, len(ids), 5000):
        rows = (
            ServiceRating.objects.filter(client_id__in=ids[start : start + 5000])
            .values("client_id")
            .annotate(n=Count("id"))
        )
        stored.update((str(row["client_id"]), row["n"]) for row in rows)
    check = {
        "sent": len(sent),
        "answered": len(answered),
        "answered_stored": len(answered & stored.keys()),
        "answered_missing": len(answered - stored.keys()),
        "stored_twice": sum(1 for n in stored.values() if n > 1),
        "cut_off": len(cut_off),
        "cut_off_stored": len(cut_off & stored.keys()),
        "refused": len(refused),
        "refused_stored": len(refused & stored.keys()),
        "rows_added": rows_added,
        "rows_not_sent": rows_added - sum(stored.values()),
    }
    check["ok"] = check["answered_missing"] == 0 and check["stored_twice"] == 0
    return check


def summary(result: loadgen.Result) -> dict:
    ok = [s for _t, status, s in result.answered if 200 <= status < 300]
    statuses = Counter(status for _t, status, _s in result.answered)
    by_tag: dict[str, list[float]] = {}
    for tag, _status, seconds in result.answered:
        by_tag.setdefault(tag, []).append(seconds)
    return {
        "requests": len(result.answered) + len(result.cut_off),
        "ok": len(ok),
        "rate": len(ok) / result.seconds,
        **{f"p{p}_ms": 1000 * loadgen.percentile(ok, p) for p in (50, 95, 99) if ok},
        "statuses": dict(statuses),
        "errors": result.errors,
        "cut_off": len(result.cut_off),
        "late_starts": result.late_starts,
        "not_started": result.not_started,
        "by_tag": by_tag,
    }


def cpu_seconds(pid: int) -> float:
    """User + system CPU a process has used so far (0 when it is gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat[stat.rindex(")") + 2 :].split()  # fields 3.. of proc_pid_stat(5)
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_cpu(masters: list[int]) -> dict[int, float]:
    """CPU so far of gunicorn (master and workers) and of the PostgreSQL backends serving
    the scratch database (the server runs on this host): what the requests cost the cores,
    a figure the other sessions' load on a shared machine does not inflate."""
    from django.db import connection

    pids = set(masters)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat[stat.rindex(")") + 2 :].split()[1]) in masters:
                pids.add(int(entry.name))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
        )
        pids.update(pid for (pid,) in cursor.fetchall())
    return {pid: cpu_seconds(pid) for pid in pids}


def run_scenario(name: str, args, servers: list[int], secrets: list[str], cookie: str) -> dict:
    from django.db import connection

    from civility.feedback.models import ServiceRating

    rows_before = ServiceRating.objects.count()
    cpu_before = server_cpu(servers)
    connection.close()
    load_before = os.getloadavg()[0]
    if name == "capacity":
        kiosk_load = ("closed", args.kiosk_clients)
        label = f"kiosks at full speed, {args.kiosk_clients} clients"
    elif name == "pages":  # the baseline: what the pages get from this machine right now
        kiosk_load = ("paced", 0)
        label = "no kiosks"
    else:
        kiosk_load = ("paced", args.kiosk_rate)
        label = f"kiosks at {args.kiosk_rate:g}/s"
    shape, amount = kiosk_load
    kiosk_port = args.port + 1 if args.kiosk_workers else args.port
    wait_kiosk = loadgen.start(shape, kiosk_port, kiosk_requests(secrets), amount, args.seconds)
    wait_pages = loadgen.start(
        "closed", args.port, page_requests(cookie), args.page_clients, args.seconds
    )
    kiosk, pages = wait_kiosk(), wait_pages()
    load_after = os.getloadavg()[0]
    time.sleep(3)  # the workers finish the requests that were cut off
    rows_added = ServiceRating.objects.count() - rows_before
    cpu_after = server_cpu(servers)
    used = sum(cpu - cpu_before.get(pid, 0.0) for pid, cpu in cpu_after.items())
    return {
        "name": name,
        "label": label,
        "load": (load_before, load_after),
        "cpu": {"server": used, "generators": kiosk.cpu_seconds + pages.cpu_seconds},
        "kiosk": summary(kiosk),
        "pages": summary(pages),
        "check": count_check(kiosk, rows_added),
    }


def ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f} ms"


def report(run: dict, args) -> None:
    print(
        f"\n### {run['name']}: {run['label']} + staff pages, {args.page_clients} clients at "
        f"full speed, {args.seconds:g} s (load average {run['load'][0]:.1f} → "
        f"{run['load'][1]:.1f})\n"
    )
    print("| load (at the same time) | requests | 2xx/s | p50 | p95 | p99 | other answers |")
    print("|---|---|---|---|---|---|---|")
    loads = [("kiosk ratings (POST)", run["kiosk"]), ("staff pages (GET)", run["pages"])]
    for name, r in loads if run["kiosk"]["requests"] else loads[1:]:
        other = {k: v for k, v in r["statuses"].items() if not 200 <= k < 300}
        other.update(r["errors"])
        if r["cut_off"]:
            other["cut off at the end"] = r["cut_off"]
        if r["late_starts"]:
            other["started >10 ms late"] = r["late_starts"]
        if r["not_started"]:
            other["never started (256 open)"] = r["not_started"]
        print(
            f"| {name} | {r['requests']:,} | {r['rate']:.1f} | {ms(r.get('p50_ms'))} "
            f"| {ms(r.get('p95_ms'))} | {ms(r.get('p99_ms'))} "
            f"| {', '.join(f'{k}: {v}' for k, v in other.items()) or 'none'} |"
        )
    cores = os.cpu_count()
    print(
        f"\nCPU used: server (gunicorn and its PostgreSQL backends) {run['cpu']['server']:.1f} s, "
        f"load generators {run['cpu']['generators']:.1f} s, of {cores * args.seconds:g} "
        f"core-seconds ({cores} cores × {args.seconds:g} s; other processes had the rest)"
    )
    print("\n| page | answers | p50 | p99 |")
    print("|---|---|---|---|")
    for path in PAGES:
        times = run["pages"]["by_tag"].get(path, [])
        p50, p99 = loadgen.percentile(times, 50), loadgen.percentile(times, 99)
        print(f"| `{path}` | {len(times)} | {ms(p50 and p50 * 1000)} | {ms(p99 and p99 * 1000)} |")
    c = run["check"]
    if not c["sent"]:
        return
    print(
        f"\ncount check: {c['sent']:,} ids sent; {c['answered']:,} answered 2xx, "
        f"{c['answered_stored']:,} of them stored, {c['answered_missing']} missing; "
        f"{c['stored_twice']} stored twice; {c['cut_off']} cut off in flight "
        f"({c['cut_off_stored']} of them stored); {c['refused']} refused "
        f"({c['refused_stored']} stored); {c['rows_added']:,} rows added, "
        f"{c['rows_not_sent']} not from this run → {'OK' if c['ok'] else 'FAILED'}"
    )


def estimate(runs: list[dict], args) -> None:
    """What the pages would get from dedicated cores, from the CPU each request used here.

    A page's cost comes from the pages-alone run, a rating's from what the paced run used
    beyond its pages. Mean latency only (closed clients: clients / rate); queueing adds to
    the tail, so this is no substitute for a run on a quiet machine."""
    by_name = {run["name"]: run for run in runs}
    if not {"pages", "paced"} <= by_name.keys():
        return
    pages, paced = by_name["pages"], by_name["paced"]
    page_cpu = pages["cpu"]["server"] / pages["pages"]["requests"]
    rating_cpu = (paced["cpu"]["server"] - page_cpu * paced["pages"]["requests"]) / paced["kiosk"][
        "requests"
    ]
    generators = paced["cpu"]["generators"] / args.seconds
    cores = os.cpu_count()
    free = cores - args.kiosk_rate * rating_cpu - generators
    rate = free / page_cpu
    print(
        f"\nestimate for {cores} dedicated cores: a page costs {page_cpu * 1000:.0f} ms of CPU "
        f"(server side), a rating {rating_cpu * 1000:.1f} ms; {args.kiosk_rate:g} ratings/s "
        f"take {args.kiosk_rate * rating_cpu:.2f} cores, the load generators {generators:.2f}; "
        f"the pages would get {rate:.0f}/s, a mean of {1000 * args.page_clients / rate:.0f} ms "
        f"with {args.page_clients} clients"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument(
        "--scenario",
        nargs="+",
        choices=["capacity", "paced", "pages"],
        default=["capacity", "paced"],
        help="pages: staff pages alone, the baseline of the moment on a shared machine",
    )
    parser.add_argument("--kiosk-clients", type=int, default=8)
    parser.add_argument("--kiosk-rate", type=float, default=100)
    parser.add_argument("--page-clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2 * os.cpu_count())  # gunicorn.conf.py
    parser.add_argument("--port", type=int, default=8191)
    parser.add_argument(
        "--kiosk-workers",
        type=int,
        default=2,
        help="serve the kiosk ratings from a second gunicorn with this many workers on --port+1, "
        "as docs/deploy.md routes /api/v1/feedback/kiosk/ apart; 0: one gunicorn for all",
    )
    parser.add_argument(
        "--keepdb",
        action="store_true",
        help="keep the scratch database, and reuse one kept earlier (each run adds its ratings)",
    )
    args = parser.parse_args()

    django.setup()
    from django.db import connection

    from tests.system.processes import database_url, gunicorn, running

    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=args.keepdb)
    runs = []
    try:
        started = time.monotonic()
        secrets, cookie = prepare()
        print(f"data loaded in {time.monotonic() - started:.0f} s")
        url = database_url()
        connection.close()
        env = {
            "WEB_WORKERS": str(args.workers),
            "FEEDBACK_KIOSK_BURST": "100000000",
            "FEEDBACK_NETWORK_BURST": "100000000",
        }
        commands = [(args.port, args.workers)]
        if args.kiosk_workers:  # as a proxy would route /api/v1/feedback/kiosk/ elsewhere
            commands.append((args.port + 1, args.kiosk_workers))
        servers = []
        for server_port, workers in commands:
            # tests.system.processes.gunicorn() pins one worker; the bench sets its own.
            argv, genv, _port = gunicorn(url, server_port, **env)
            argv[argv.index("--workers") + 1] = str(workers)
            servers.append((argv, genv, server_port))
        port = args.port
        with running(*servers, logs=ROOT / "test-results" / "bench") as processes:
            import http.client

            for path in PAGES:  # warm-up, and every page must answer 200
                conn = http.client.HTTPConnection(HOST, port, timeout=60)
                conn.request("GET", path, headers={"Cookie": cookie})
                status = conn.getresponse().status
                assert status == 200, (path, status)
            # Every worker warm: each has rendered the pages, or stored a rating, before.
            warm = loadgen.start("closed", port, page_requests(cookie), args.workers, 5)()
            assert all(status == 200 for _t, status, _s in warm.answered), warm
            kiosk_port = args.port + 1 if args.kiosk_workers else args.port
            warm = loadgen.start("paced", kiosk_port, kiosk_requests(secrets), 20, 2)()
            assert all(status == 201 for _t, status, _s in warm.answered), warm
            for name in args.scenario:
                masters = [process.pid for process in processes]
                runs.append(run_scenario(name, args, masters, secrets, cookie))
                time.sleep(2)
        kiosk_pool = (
            f", kiosk ratings routed to a second gunicorn of {args.kiosk_workers} workers"
            if args.kiosk_workers
            else ""
        )
        print(
            f"\n{os.cpu_count()} CPU(s), gunicorn {args.workers} sync workers "
            f"(gunicorn.conf.py){kiosk_pool}, load generators: bench/loadgen.py, one process "
            "per load"
        )
        for run in runs:
            report(run, args)
        estimate(runs, args)
    finally:
        connection.close()
        connection.creation.destroy_test_db(
            connection.settings_dict["NAME"], verbosity=0, keepdb=args.keepdb
        )
    if not all(run["check"]["ok"] for run in runs):
        raise SystemExit("count check FAILED: an answered rating is missing or stored twice")


if __name__ == "__main__":
    main()
