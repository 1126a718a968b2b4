"""Time the unit picker's search over every unit of the country, through the Django test
client (URL routing, session, middleware, JSON included).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/civility \
    TEST_DATABASE_NAME=bench_civility_pickers SECRET_KEY=x \
    .venv/bin/python bench/pickers.py [--runs 40]

Like bench/import_admin_units.py, the script creates a scratch database the way the test
runner does (TEST_DATABASE_NAME, or "test_<name>"), imports the 34 provinces (6,740 units),
adds one-stop counters that share one name under several Hanoi service points, times the
searches as a superuser (the whole country) and as Hanoi's coordinator, and drops the
database again; the database named in DATABASE_URL is never written to.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civility.settings")

import django  # noqa: E402

# Short, accented, unaccented, several words, a name shared by many counters, a typo-free
# miss, and the empty query the picker sends when it opens.
QUERIES = (
    "h",
    "ha",
    "Phường Ba Đình",
    "phuong ba dinh",
    "xa tan",
    "Hà Giang",
    "dong",
    "quay tiep nhan so 1",
    "Quầy tiếp nhận và trả kết quả số 1",
    "zzzz",
    "",
)
DUPLICATED = "Quầy tiếp nhận và trả kết quả số 1"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def add_duplicated_counters(count: int) -> int:
    from civility.orgs.models import OrgUnit, UnitKind

    points = OrgUnit.objects.filter(kind=UnitKind.SERVICE_POINT, path__startswith=_hanoi().path)
    made = OrgUnit.objects.bulk_create(
        OrgUnit(name=DUPLICATED, kind=UnitKind.COUNTER, parent=point) for point in points[:count]
    )
    return len(made)


def _hanoi():
    from civility.orgs.models import OrgUnit, UnitKind

    return OrgUnit.objects.get(kind=UnitKind.PROVINCE, code="01")


def measure(client, user, label: str, runs: int) -> list[float]:
    """Each query `runs` times through the test client (the endpoint, with the middleware:
    session, account, second factor, CSP), then through `search_units` alone (the search:
    its SQL and the parent paths)."""
    from civility.orgs.pickers import search_units
    from civility.orgs.scopes import forget_scope

    every = []
    print(f"\n{label}")
    print(f"  {'query':<38} {'found':>5} {'p50 ms':>7} {'p95 ms':>7}   search alone p50/p95")
    for query in QUERIES:
        client.get("/pickers/units/", {"q": query})  # warm the plan cache
        seconds, alone = [], []
        for _run in range(runs):
            started = time.perf_counter()
            response = client.get("/pickers/units/", {"q": query})
            seconds.append(time.perf_counter() - started)
            assert response.status_code == 200, response.status_code
            forget_scope(user)
            started = time.perf_counter()
            search_units(user, query)
            alone.append(time.perf_counter() - started)
        found = len(response.json()["results"])
        every.extend(seconds)
        print(
            f"  {query or '(empty: the list on opening)':<38} {found:>5} "
            f"{statistics.median(seconds) * 1000:7.1f} {percentile(seconds, 0.95) * 1000:7.1f}"
            f"   {statistics.median(alone) * 1000:5.1f} / {percentile(alone, 0.95) * 1000:5.1f}"
        )
    print(
        f"  {'all queries':<38} {'':>5} {statistics.median(every) * 1000:7.1f} "
        f"{percentile(every, 0.95) * 1000:7.1f}"
    )
    return every


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40, help="requests per query")
    parser.add_argument("--counters", type=int, default=30, help="counters sharing one name")
    args = parser.parse_args()

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from civility.orgs.admin_units import import_admin_units
    from civility.orgs.models import OrgUnit, RoleAssignment
    from civility.orgs.scopes import Role

    setup_test_environment()  # the test client's host name, and no e-mail sent
    settings.TWO_FACTOR_REQUIRED = False  # the bench signs in without the second factor
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        print(
            f"PostgreSQL {connection.cursor().connection.info.server_version}, "
            f"{os.cpu_count()} CPU(s), load average {os.getloadavg()[0]:.1f}, "
            f"database {connection.settings_dict['NAME']}"
        )
        import_admin_units()
        added = add_duplicated_counters(args.counters)
        print(f"units: {OrgUnit.objects.count()} ({added} counters named “{DUPLICATED}”)")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE orgs_orgunit")
        User = get_user_model()
        admin = User.objects.create_superuser("bench_admin", password=None)
        coordinator = User.objects.create_user("bench_coordinator", password=None)
        RoleAssignment.objects.create(user=coordinator, role=Role.COORDINATOR, unit=_hanoi())

        every = []
        for user, label in (
            (admin, "superuser: all 34 provinces"),
            (coordinator, "Hanoi's coordinator: the city's subtree"),
        ):
            client = Client()
            client.force_login(user)
            every += measure(client, user, label, args.runs)
        print(
            f"\nall {len(every)} requests: p50 {statistics.median(every) * 1000:.1f} ms, "
            f"p95 {percentile(every, 0.95) * 1000:.1f} ms"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
