"""Time the culture-index rollups, the dashboards and the annual report at city scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/civility \
    TEST_DATABASE_NAME=bench_civility_insights SECRET_KEY=x \
    .venv/bin/python bench/insights_dashboards.py [--officials 150000] [--ratings 10000000]

Creates a scratch database the way the test runner does and fills it with bench/city_data.py
(Hanoi's units, officials over departments, communes and counters, ratings over two years
in the monthly partitions, inspections, violation records, a year of evaluations); then
measures: the insights rollup job for a year of periods, every dashboard and ranking page,
drill-down and download through the Django test client (p50/p95 over repeated requests),
the equivalent raw GROUP BY over one year of ratings (with its EXPLAIN ANALYZE), and a
city-wide annual report. Drops the database at the end.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civility.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

PAGE_TARGET = 0.200  # seconds, p95
RATIO_TARGET = 10
REPORT_TARGET = 120  # seconds


def p95(seconds: list[float]) -> float:
    ordered = sorted(seconds)
    return ordered[min(len(ordered) - 1, int(round(0.95 * len(ordered))) - 1)]


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


RAW_SQL = """
SELECT k.serves_id AS commune_id, count(*) AS ratings,
       count(*) FILTER (WHERE r.side = 1) AS satisfied, avg(r.score) AS score
FROM feedback_servicerating r
JOIN orgs_orgunit k ON k.id = r.counter_id
WHERE r.rated_on BETWEEN %s AND %s
GROUP BY k.serves_id
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officials", type=int, default=150_000)
    parser.add_argument("--ratings", type=int, default=10_000_000)
    parser.add_argument("--inspections", type=int, default=20_000)
    parser.add_argument("--violations", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument(
        "--profile-over",
        type=float,
        default=1000 * PAGE_TARGET,
        help="profile one request of every page whose p95 exceeds this many ms",
    )
    parser.add_argument(
        "--reports-only",
        action="store_true",
        help="stop after the rollups and the two annual reports (no page timings)",
    )
    args = parser.parse_args()

    print(f"load average at start: {loadavg()}; {os.cpu_count()} CPU(s)", flush=True)
    django.setup()
    from django.conf import settings

    # Plain static storage: the manifest only exists after collectstatic.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # The bench's administrator has no second factor: without this every page is the
    # enrolment redirect (302), as for any account whose roles require two factors.
    settings.TWO_FACTOR_REQUIRED = False
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from bench.city_data import build
    from civility.insights import actions
    from civility.insights.models import ComponentFigure, CultureIndex, ReportJob
    from civility.insights.periods import Period
    from civility.orgs.models import OrgUnit
    from tests.factories import make_user

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    job = past_job = None
    try:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            print(f"PostgreSQL {cursor.fetchone()[0]}", flush=True)
        today = timezone.localdate()
        started = time.perf_counter()
        data = build(
            today=today,
            officials=args.officials,
            ratings=args.ratings,
            inspections=args.inspections,
            violations=args.violations,
        )
        setup_seconds = time.perf_counter() - started
        print(f"set-up total: {setup_seconds:.0f} s", flush=True)

        periods = [Period("year", today.replace(month=1, day=1))]
        periods += Period.containing("quarter", today).last(4)
        periods += Period.containing("month", today).last(12)
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            actions.refresh(periods=periods, today=today)
        rollup_seconds = time.perf_counter() - started
        rollup_line = (
            f"{rollup_seconds:.1f} s ({1000 * rollup_seconds / len(periods):.0f} ms a period, "
            f"{len(queries)} queries); {ComponentFigure.objects.count():,} rollup rows, "
            f"{CultureIndex.objects.count():,} index rows"
        )
        print(f"insights rollup + index for {len(periods)} periods: {rollup_line}", flush=True)
        reached = (
            ComponentFigure.objects.filter(
                component="satisfaction", unit__in=data.communes, denominator__gt=0
            )
            .values("unit")
            .distinct()
            .count()
        )
        print(
            f"communes with a satisfaction figure (from the service points serving them): "
            f"{reached} of {len(data.communes)}",
            flush=True,
        )

        year = Period("year", today.replace(month=1, day=1))
        job = ReportJob.objects.create(
            unit=data.city, period_kind="year", period_start=year.start, language="vi"
        )
        started = time.perf_counter()
        actions.build_report(job=job)
        report_seconds = time.perf_counter() - started
        job.refresh_from_db()
        print(
            f"city-wide annual report (.docx {job.docx.size / 1024:.0f} KiB + .xlsx "
            f"{job.xlsx.size / 1024:.0f} KiB): {report_seconds:.1f} s",
            flush=True,
        )

        # Last year is no period the job keeps: its report computes the year first (rollups
        # and index, on demand), then writes the report.
        past = Period("year", today.replace(year=today.year - 1, month=1, day=1))
        past_job = ReportJob.objects.create(
            unit=data.city, period_kind="year", period_start=past.start, language="vi"
        )
        started = time.perf_counter()
        actions.build_report(job=past_job)
        past_seconds = time.perf_counter() - started
        past_job.refresh_from_db()
        print(
            f"city-wide report of last year ({past.slug}), computed on demand: "
            f"{past_seconds:.1f} s; index rows {CultureIndex.objects.for_period(past).count():,}",
            flush=True,
        )
        print(f"load average after the reports: {loadavg()}", flush=True)
        if args.reports_only:
            return

        admin = make_user("bench_admin", is_superuser=True)
        client = Client()
        client.force_login(admin)
        city = data.city
        commune = data.communes[0]
        division = next(d for d in data.divisions if d.parent_id == commune.pk)
        point = next(p for p in data.service_points if p.serves_id == commune.pk)
        counter = next(c for c in data.counters if c.parent_id == point.pk)
        center = OrgUnit.objects.get(pk=point.parent_id)
        department = max(data.city_departments, key=lambda d: d.officials.count())
        quarter = Period.containing("quarter", today)
        month = Period.containing("month", today).previous()
        q = f"period={quarter.slug}"
        c = f"unit={city.pk}"
        pages = {
            "city overview + ranking of communes (quarter)": f"/insights/?{c}&{q}",
            "city overview + ranking (year)": f"/insights/?{c}&period={year.slug}",
            "city overview + ranking (last month)": f"/insights/?{c}&period={month.slug}",
            # The first request after each recomputation draws the ranking table anew.
            "city overview (quarter), ranking table not cached": f"/insights/?{c}&{q}",
            "drill-down: a commune": f"/insights/?unit={commune.pk}&{q}",
            "drill-down: a commune's division": f"/insights/?unit={division.pk}&{q}",
            (
                f"drill-down: city department ({department.officials.count():,} officials)"
            ): f"/insights/?unit={department.pk}&{q}",
            f"drill-down: service center ({len(data.counters)} counters)": (
                f"/insights/?unit={center.pk}&{q}"
            ),
            "drill-down: service center, ranking table not cached": (
                f"/insights/?unit={center.pk}&{q}"
            ),
            "drill-down: a service point": f"/insights/?unit={point.pk}&{q}",
            "drill-down: a counter": f"/insights/?unit={counter.pk}&{q}",
            "download: ranking .xlsx": f"/insights/export/?{c}&{q}&table=ranking",
            "download: ranking .csv": f"/insights/export/?{c}&{q}&table=ranking&format=csv",
            "download: components .xlsx": f"/insights/export/?{c}&{q}&table=components",
            "download: trend .xlsx": f"/insights/export/?{c}&{q}&table=trend",
            "download: commune ranking .xlsx": (
                f"/insights/export/?unit={commune.pk}&{q}&table=ranking"
            ),
            "weights page": f"/insights/weights/?{c}",
            "reports page": f"/insights/reports/?{c}",
            "report detail": f"/insights/reports/{job.pk}/",
            "report download .docx": f"/insights/reports/{job.pk}/docx/",
            "report download .xlsx": f"/insights/reports/{job.pk}/xlsx/",
            "subscriptions page": f"/insights/subscriptions/?{c}",
            # Public scorecards: the figures are cached for a few minutes per unit.
            "public scorecard: a commune": f"/scorecards/{commune.pk}/?{q}",
            "public scorecard: a commune, not cached": f"/scorecards/{commune.pk}/?{q}",
            "public scorecard: a service point": f"/scorecards/{point.pk}/?{q}",
            "public scorecard: a commune's .csv": f"/scorecards/{commune.pk}/scorecard.csv?{q}",
            "public scorecard: a commune's .json": f"/scorecards/{commune.pk}/scorecard.json?{q}",
            "public scorecards: search": "/scorecards/?q=tay+ho",
        }
        results = []
        for label, url in pages.items():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
            seconds = []
            for _ in range(args.requests):
                if label.endswith("not cached"):
                    cache.clear()
                begin = time.perf_counter()
                response = client.get(url)
                if hasattr(response, "streaming_content"):
                    b"".join(response.streaming_content)
                seconds.append(time.perf_counter() - begin)
            assert response.status_code == 200
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            sql = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))
            sql_ms = 1000 * sum(float(q["time"]) for q in sql)
            row = (label, statistics.median(seconds), p95(seconds), len(sql), sql_ms)
            results.append(row)
            print(
                f"{label:<52} p50 {1000 * row[1]:7.1f} ms  p95 {1000 * row[2]:7.1f} ms  "
                f"{row[3]:3d} queries, {sql_ms:6.1f} ms in SQL",
                flush=True,
            )
            if row[2] > args.profile_over / 1000:
                print(f"  over {args.profile_over:.0f} ms p95: slowest queries of one request")
                for query in sql[:5]:
                    print(f"    {1000 * float(query['time']):7.1f} ms  {query['sql'][:300]}")
                print("  and where the rest of one request goes (cProfile, cumulative):")
                profile = cProfile.Profile()
                profile.runcall(client.get, url)
                stats = pstats.Stats(profile, stream=sys.stdout).sort_stats("cumulative")
                stats.print_stats(r"civility/|django/template/(base|loader_tags|defaulttags)", 14)

        first = today - datetime.timedelta(days=364)
        raw_seconds = []
        for _ in range(3):
            begin = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute(RAW_SQL, [first, today])
                raw_rows = cursor.fetchall()
            raw_seconds.append(time.perf_counter() - begin)
        raw = statistics.median(raw_seconds)
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + RAW_SQL, [first, today])
            plan = [line for (line,) in cursor.fetchall()]
            cursor.execute(
                "SELECT count(*) FROM pg_inherits "
                "WHERE inhparent = 'feedback_servicerating'::regclass"
            )
            partitions = cursor.fetchone()[0]
            cursor.execute(
                "SELECT pg_size_pretty(sum(pg_relation_size(c.oid))) FROM pg_class c "
                "JOIN pg_inherits i ON i.inhrelid = c.oid "
                "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'rating_day_brin'"
            )
            brin_size = cursor.fetchone()[0]
        scanned = sorted(
            {
                word
                for line in plan
                for word in line.replace("(", " ").split()
                if word.startswith("feedback_servicerating_")
            }
        )
        print(
            f"raw GROUP BY by commune of one year of ratings ({first} to {today}), "
            f"{len(raw_rows)} communes, {sum(r[1] for r in raw_rows):,} ratings: "
            f"median {1000 * raw:.0f} ms "
            f"(runs: {', '.join(f'{1000 * s:.0f}' for s in raw_seconds)} ms)"
        )
        print(
            f"EXPLAIN (ANALYZE, BUFFERS): {len(scanned)} of {partitions} partitions scanned "
            f"({scanned[0] if scanned else '-'} .. {scanned[-1] if scanned else '-'}); "
            f"BRIN on rated_on: {brin_size} over all partitions"
        )
        keep = ("Aggregate", "Append", "Scan on", "Subplans Removed", "Workers", "Time:")
        first_buffers = next((line for line in plan if "Buffers:" in line), "")
        for line in plan:
            if any(word in line for word in keep) or line == first_buffers:
                print(f"  {line}")

        slowest = max(results, key=lambda row: row[2])
        ratio = raw / slowest[2]
        print()
        print(f"load average at end: {loadavg()}")
        print(
            f"data: {data.officials:,} officials in {len(data.city_departments)} city "
            f"departments, {len(data.communes)} communes ({len(data.divisions)} divisions), "
            f"{len(data.counters)} counters; {data.ratings:,} ratings from "
            f"{data.first_rating_day} to {today}; evaluations "
            f"{data.evaluation_months[0]:%m/%Y}–{data.evaluation_months[-1]:%m/%Y}"
        )
        print()
        print("| what | figure |")
        print("|---|---|")
        for label, seconds in data.timings.items():
            print(f"| set-up: {label} | {seconds:.1f} s |")
        print(f"| insights rollup + index, {len(periods)} periods | {rollup_line} |")
        for label, p50, p95_, count, sql_ms in results:
            mark = "" if p95_ <= PAGE_TARGET else " **over 200 ms**"
            print(
                f"| {label} | p50 {1000 * p50:.1f} ms, p95 {1000 * p95_:.1f} ms{mark} "
                f"({count} queries, {sql_ms:.1f} ms SQL) |"
            )
        print(
            f"| raw GROUP BY by commune, one year ({sum(r[1] for r in raw_rows):,} ratings) | "
            f"{1000 * raw:.0f} ms median of 3 ({len(scanned)} of {partitions} partitions) |"
        )
        print(
            f"| ratio raw / slowest page p95 ({slowest[0]}) | {ratio:.1f}× "
            f"({'meets' if ratio >= RATIO_TARGET else 'misses'} the 10× goal) |"
        )
        print(
            f"| city-wide annual report (.docx + .xlsx) | {report_seconds:.1f} s "
            f"({'under' if report_seconds < REPORT_TARGET else 'over'} 2 minutes) |"
        )
    finally:
        for made in (job, past_job):
            if made is not None:
                for file in (made.docx, made.xlsx):
                    if file:
                        file.delete(save=False)
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
