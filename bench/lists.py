"""Time every list page and the to-do home at city scale, for a city coordinator and a ward head.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/civility \
    TEST_DATABASE_NAME=bench_civility_lists SECRET_KEY=x \
    .venv/bin/python bench/lists.py [--ratings 10000000] [--requests 30] [--keep | --reuse]

Creates a scratch database the way the test runner does and fills it with bench/city_data.py
(Hanoi's units, 150,000 officials, 10 M ratings, inspections, violation records, a year of
evaluations) plus the records the lists page through (`ListRecords`: nominations, good
models, corrective actions, public-place reports, programme tasks, a million audit-log
entries). Then, through the Django test client, for each list: the first page, a filtered
page (free text without diacritics plus a status or category), page 50 and a sorted page;
and the to-do home. One warm-up request, then `--requests` timed ones; p50 and p95 each.
`--keep` leaves the scratch database in place and `--reuse` measures a kept one again
(after applying any new migrations), so an index can be tried without rebuilding.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civility.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

TARGET = 0.150  # seconds, p95 of every page
LISTED_TABLES = [
    "orgs_orgunit",
    "orgs_official",
    "inspections_inspection",
    "inspections_finding",
    "inspections_correctiveaction",
    "feedback_publicreport",
    "conduct_violationrecord",
    "evaluations_evaluation",
    "awards_nomination",
    "awards_goodmodel",
    "programmes_task",
    "core_auditevent",
]
COUNT_TEXT = re.compile(r'class="results-meta">\s*<span>\s*([^<·]*)')


def percentile(seconds: list[float], share: float) -> float:
    ordered = sorted(seconds)
    return ordered[min(len(ordered) - 1, max(0, int(round(share * len(ordered))) - 1))]


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def pages(receipt: str, official_type: int) -> dict[str, dict[str, str]]:
    """Per list: its URL name and the query of each measured variant."""
    code = receipt.replace("-", " ").lower()  # as a citizen reads it over the phone
    return {
        "officials": {
            "path": "orgs:official_list",
            "filtered": "q=can bo 1234&staff_category=civil_servant",
            "sorted": "sort=code",
        },
        "units": {
            "path": "orgs:unit_list",
            "filtered": "q=phuong&kind=ward",
            "sorted": "sort=-code",
        },
        "inspections": {
            "path": "inspections:inspection_list",
            "filtered": "q=quay&status=submitted",
            "sorted": "sort=score",
        },
        "corrective actions": {
            "path": "inspections:action_list",
            "filtered": "show=all&q=niem yet&status=open",
            "sorted": "show=all&sort=-unit",
        },
        "public reports": {
            "path": "feedback:report_list",
            "filtered": f"status=all&q={code}",
            "sorted": "status=all&sort=due",
        },
        "violation records": {
            "path": "conduct:record_list",
            "filtered": "q=can bo 1415&status=confirmed",
            "sorted": "sort=-occurred",
        },
        "evaluations": {
            "path": "evaluations:evaluation_list",
            "filtered": "q=can bo 14159&level=good",
            "sorted": "sort=-total",
        },
        "nominations": {
            "path": "awards:nomination_list",
            "filtered": "q=can bo 2718&status=awarded",
            "sorted": "sort=nominee",
        },
        "good models": {
            "path": "awards:model_list",
            "filtered": "q=sang kien&category=green_office",
            "sorted": "sort=-replications",
        },
        "programme tasks": {
            "path": "programmes:task_list",
            "filtered": "q=tuyen truyen&status=overdue",
            "sorted": "sort=-progress",
        },
        "audit log": {
            "path": "core:audit_list",
            "filtered": f"model={official_type}&action=1&start=2000-01-01",
            "sorted": "sort=when",
        },
    }


# What a user types into a picker: one letter, a common family name, a name without its
# diacritics, a full name, a staff code's digits, and a miss.
PICKER_QUERIES = ("h", "nguyen", "hoang thi", "Cán bộ 14159", "1415", "zzzz")


def picker_searches(path: str, name: str) -> list[tuple[str, str, str]]:
    return [(name, f'"{query}"', f"{path}?q={quote(query)}") for query in PICKER_QUERIES]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officials", type=int, default=150_000)
    parser.add_argument("--ratings", type=int, default=10_000_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="leave the scratch database")
    parser.add_argument("--reuse", action="store_true", help="measure a kept database again")
    parser.add_argument("--only", default="", help="measure only lists whose name has this")
    args = parser.parse_args()

    print(f"load average at start: {loadavg()}; {os.cpu_count()} CPU(s)", flush=True)
    django.setup()
    from django.conf import settings

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.TWO_FACTOR_REQUIRED = False  # the coordinator signs in by force_login
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.core.signals import request_started
    from django.db import connection, reset_queries
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from bench.city_data import ListRecords, build, build_list_records
    from civility.feedback.models import PublicReport
    from civility.orgs.models import Official, OrgUnit, UnitKind
    from civility.orgs.scopes import Role
    from tests.factories import make_user

    old_name = connection.settings_dict["NAME"]
    test_name = connection.creation._get_test_db_name()
    today = timezone.localdate()
    if args.reuse:
        connection.close()
        settings.DATABASES["default"]["NAME"] = test_name
        connection.settings_dict["NAME"] = test_name
        call_command("migrate", verbosity=0)
        if not PublicReport.objects.exists():
            build_list_records(today=today, sizes=ListRecords())
    else:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            print(f"PostgreSQL {cursor.fetchone()[0]}", flush=True)
        if not args.reuse:
            started = time.perf_counter()
            build(
                today=today,
                officials=args.officials,
                ratings=args.ratings,
                list_records=ListRecords(),
            )
            print(f"set-up total: {time.perf_counter() - started:.0f} s", flush=True)

        # As autovacuum leaves a live database: visibility maps set, statistics fresh.
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for table in LISTED_TABLES:
                cursor.execute(f"VACUUM ANALYZE {table}")
        print(f"VACUUM ANALYZE of the listed tables: {time.perf_counter() - started:.0f} s")
        print(
            f"rows: {Official.objects.count():,} officials, "
            f"{OrgUnit.objects.count():,} units, {PublicReport.objects.count():,} public reports",
            flush=True,
        )
        city = OrgUnit.objects.get(kind=UnitKind.PROVINCE, code="01")
        # The ward with the most officials: the heaviest ward head.
        ward = max(
            OrgUnit.objects.filter(kind=UnitKind.WARD).current(),
            key=lambda unit: Official.objects.under(unit).count(),
        )
        get_user_model().objects.filter(username__in=["bench_city", "bench_ward"]).delete()
        users = {
            "city coordinator": make_user("bench_city", roles={Role.COORDINATOR: city}),
            f"ward head ({ward.name})": make_user("bench_ward", roles={Role.UNIT_HEAD: ward}),
        }
        receipt = PublicReport.objects.filter(unit=ward).values_list("receipt", flat=True)[0]
        official_type = ContentType.objects.get_for_model(Official).pk
        lists = pages(receipt, official_type)
        # Keep the queries of the measured request (Django clears them as a request starts).
        request_started.disconnect(reset_queries)
        print(f"\nload average before measuring: {loadavg()}", flush=True)
        print("| user | page | p50 ms | p95 ms | queries | count shown |")
        print("|---|---|---|---|---|---|")
        failures = []
        for who, user in users.items():
            client = Client()
            client.force_login(user)
            variants = [("to-do home", "first page", reverse("orgs:home"))]
            if not args.only or "picker" in args.only:
                variants += picker_searches(reverse("orgs:person_search"), "people picker")
                variants += picker_searches(reverse("orgs:unit_search"), "unit picker")
            for name, spec in lists.items():
                if args.only and args.only not in name:
                    continue
                path = reverse(spec["path"])
                variants += [
                    (name, "first page", path),
                    (name, "filtered", f"{path}?{spec['filtered']}"),
                    (name, "page 50", f"{path}?page=50"),
                    (name, "sorted", f"{path}?{spec['sorted']}"),
                ]
            for name, variant, url in variants:
                connection.force_debug_cursor = True
                before = len(connection.queries_log)
                response = client.get(url)
                queries = len(connection.queries_log) - before
                connection.force_debug_cursor = False
                if response.status_code != 200:
                    print(f"| {who} | {name}, {variant} | — | — | HTTP {response.status_code} | |")
                    continue
                if response["Content-Type"].startswith("application/json"):
                    shown = f"{len(response.json()['results'])} matches"
                else:
                    found = COUNT_TEXT.search(response.content.decode())
                    shown = " ".join(found.group(1).split()) if found else ""
                seconds = []
                for _ in range(args.requests):
                    started = time.perf_counter()
                    client.get(url)
                    seconds.append(time.perf_counter() - started)
                p50 = statistics.median(seconds)
                p95 = percentile(seconds, 0.95)
                mark = "" if p95 < TARGET else " **over**"
                if p95 >= TARGET:
                    failures.append((who, name, variant, url, p95))
                print(
                    f"| {who} | {name}, {variant} | {1000 * p50:.0f} | {1000 * p95:.0f}{mark} "
                    f"| {queries} | {shown} |",
                    flush=True,
                )
        print(f"\nload average at the end: {loadavg()}")
        for who, name, variant, url, p95 in failures:
            print(
                f"OVER {TARGET * 1000:.0f} ms: {who}: {name}, {variant} ({url}): {p95 * 1000:.0f}"
            )
        if not failures:
            print(f"every page's p95 is under {TARGET * 1000:.0f} ms")
    finally:
        if not (args.keep or args.reuse):
            connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
