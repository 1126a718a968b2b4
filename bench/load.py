"""Load test: kiosks sending ratings and staff opening dashboards, at the same time.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/civility \
    TEST_DATABASE_NAME=bench_civility_load SECRET_KEY=x \
    .venv/bin/python bench/load.py [--seconds 20] [--kiosk-clients 8] [--page-clients 4]

(`make bench` runs it.) Creates a scratch database (TEST_DATABASE_NAME, else
"test_<name>"), loads Hanoi's units and the demo data, adds 512 counters with a kiosk each,
starts gunicorn with the production configuration (gunicorn.conf.py, DEBUG off), then runs two
wrk processes on loopback for the same --seconds:

- kiosk ingest: POST /api/v1/feedback/kiosk/ratings, a new client id each request, rotating
  over the 512 kiosks (throttle buckets raised: this measures capacity, not the throttle);
- dashboards: GET of the main staff pages, signed in as the city coordinator.

It then checks that every rating wrk saw accepted is in the table once. Loopback only, bounded
in time; the scratch database is dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civility.settings")

import django  # noqa: E402

HOST = "127.0.0.1"
PAGES = ["/", "/feedback/", "/inspections/", "/codes/campaigns/", "/programmes/", "/units/"]

PAGES_SCRIPT = """
local paths = {%(paths)s}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[n %% #paths + 1], {["Cookie"] = "%(cookie)s"})
end
"""


def wrk(port: int, script: str, clients: int, seconds: float, path: str = "/") -> subprocess.Popen:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    return subprocess.Popen(
        ["wrk", "-t1", f"-c{clients}", f"-d{seconds:g}s", "--latency", "-s", handle.name,
         f"http://{HOST}:{port}{path}"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip


def parse(out: str, seconds: float) -> dict:
    def ms(label):
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\b", out, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    total = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    ok = total - (int(bad.group(1)) if bad else 0)
    return {
        "requests": total,
        "ok": ok,
        "rate": ok / seconds,
        "p50_ms": ms(50),
        "p99_ms": ms(99),
        "errors": errors.group(1) if errors else "",
    }


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
    from django.core.management import call_command
    from django.test import Client

    from civility.orgs.models import OrgUnit
    from civility.orgs.scopes import Role
    from tests.factories import make_user

    for command in [
        ["collectstatic", "--no-input"],  # production static files: the manifest, compressed
        ["import_admin_units", "--province", "01"],
        ["load_demo_data"],
        ["load_codes", "--unit-code", "01"],
        ["load_inspections_demo"],
        ["load_feedback_demo"],
        ["load_programmes_demo"],
    ]:
        call_command(*command, verbosity=0)
    city = OrgUnit.objects.get(parent__isnull=True, code="01")
    secrets = seed_kiosks(city)
    coordinator = make_user("bench_coordinator", roles={Role.COORDINATOR: city})
    client = Client()
    client.force_login(coordinator)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    return secrets, cookie


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--kiosk-clients", type=int, default=8)
    parser.add_argument("--page-clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2 * os.cpu_count())  # gunicorn.conf.py
    parser.add_argument("--port", type=int, default=8191)
    args = parser.parse_args()

    django.setup()
    from django.db import connection
    from kiosk_ingest import WRK_SCRIPT

    from civility.feedback.models import ServiceRating
    from tests.system.processes import database_url, gunicorn, running

    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        started = time.monotonic()
        secrets, cookie = prepare()
        print(f"data loaded in {time.monotonic() - started:.0f} s")
        before = ServiceRating.objects.count()
        url = database_url()
        connection.close()
        env = {
            "WEB_WORKERS": str(args.workers),
            "FEEDBACK_KIOSK_BURST": "100000000",
            "FEEDBACK_NETWORK_BURST": "100000000",
        }
        # tests.system.processes.gunicorn() pins one worker; the bench wants --workers.
        argv, genv, port = gunicorn(url, args.port, **env)
        argv[argv.index("--workers") + 1] = str(args.workers)
        with running((argv, genv, port), logs=ROOT / "test-results" / "bench"):
            import http.client

            for path in PAGES:  # warm-up, and every page must answer 200
                conn = http.client.HTTPConnection(HOST, args.port, timeout=30)
                conn.request("GET", path, headers={"Cookie": cookie})
                status = conn.getresponse().status
                assert status == 200, (path, status)
            run = uuid.uuid4().hex[:8]
            kiosk = wrk(
                args.port,
                WRK_SCRIPT
                % {
                    "secrets": ", ".join(f'"{s}"' for s in secrets),
                    "run": run,
                    "path": "/api/v1/feedback/kiosk/ratings",
                },
                args.kiosk_clients,
                args.seconds,
                "/api/v1/feedback/kiosk/ratings",
            )
            pages = wrk(
                args.port,
                PAGES_SCRIPT % {"paths": ", ".join(f'"{p}"' for p in PAGES), "cookie": cookie},
                args.page_clients,
                args.seconds,
            )
            kiosk_out, _ = kiosk.communicate(timeout=args.seconds + 60)
            pages_out, _ = pages.communicate(timeout=args.seconds + 60)
        connection.connect()
        stored = ServiceRating.objects.count() - before
        results = {
            "kiosk ingest (POST)": parse(kiosk_out, args.seconds),
            "dashboard pages (GET)": parse(pages_out, args.seconds),
        }
        print(
            f"\n{os.cpu_count()} CPU(s), gunicorn {args.workers} sync workers, {args.seconds:g} s, "
            f"wrk: {args.kiosk_clients} kiosk + {args.page_clients} page connections\n"
        )
        print("| load (at the same time) | requests | 2xx/s | p50 | p99 | errors |")
        print("|---|---|---|---|---|---|")
        for name, r in results.items():
            print(
                f"| {name} | {r['requests']} | {r['rate']:.0f} | {r['p50_ms']:.1f} ms "
                f"| {r['p99_ms']:.1f} ms | {r['errors'] or 'none'} |"
            )
        accepted = results["kiosk ingest (POST)"]["ok"]
        print(f"\nratings accepted by wrk: {accepted}, rows stored: {stored}")
        assert stored == accepted, "a rating was lost or stored twice"
    finally:
        connection.close()
        connection.creation.destroy_test_db(
            connection.settings_dict["NAME"], verbosity=0, keepdb=False
        )


if __name__ == "__main__":
    main()
