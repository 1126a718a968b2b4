"""Time the culture-index rollups, the dashboards and the annual report at city scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/civility \
    TEST_DATABASE_NAME=bench_civility_insights SECRET_KEY=x \
    .venv/bin/python bench/insights_dashboards.py [--officials 30000] [--ratings 2000000]

Creates a scratch database the way the test runner does, imports Hanoi (126 communes and
wards, their service points) with two counters per service point, spreads officials over the
communes and counters, writes ratings over the last year straight in SQL (then feedback's own
daily rollup), inspections, corrective actions, violation records and programme tasks;
then measures: the rollup job for a year of periods, the dashboard and ranking pages through
the Django test client (p50/p95 over repeated requests), the equivalent raw GROUP BY over the
ratings, and a city-wide annual report. Drops the database at the end.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civility.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402


def percentiles(seconds: list[float]) -> str:
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * len(ordered))) - 1)]
    return f"p50 {1000 * statistics.median(ordered):7.1f} ms  p95 {1000 * p95:7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officials", type=int, default=30_000)
    parser.add_argument("--ratings", type=int, default=2_000_000)
    parser.add_argument("--inspections", type=int, default=20_000)
    parser.add_argument("--violations", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()

    django.setup()
    from django.conf import settings

    # Plain static storage: the manifest only exists after collectstatic.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from civility.conduct.actions import load_catalogue_seed
    from civility.conduct.models import ViolationType
    from civility.feedback.actions import rollup_days
    from civility.insights import actions
    from civility.insights.models import ComponentFigure, CultureIndex, ReportJob
    from civility.insights.periods import Period
    from civility.orgs.admin_units import import_admin_units
    from civility.orgs.models import Official, OrgUnit, UnitKind
    from tests.factories import make_user

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        rng = random.Random(10)
        started = time.perf_counter()
        import_admin_units(provinces=["01"])
        city = OrgUnit.objects.get(kind=UnitKind.PROVINCE, code="01")
        communes = list(
            OrgUnit.objects.filter(kind__in=(UnitKind.WARD, UnitKind.COMMUNE)).current()
        )
        points = list(OrgUnit.objects.filter(kind=UnitKind.SERVICE_POINT))
        counters = OrgUnit.objects.bulk_create(
            OrgUnit(name=f"Quầy số {n}", parent=point, kind=UnitKind.COUNTER, serves=point.serves)
            for point in points
            for n in (1, 2)
        )
        counter_ids = [c.pk for c in counters]
        homes = communes + counters
        Official.objects.bulk_create(
            (
                Official(
                    unit=rng.choice(homes), full_name=f"Cán bộ {i}", staff_category="civil_servant"
                )
                for i in range(args.officials)
            ),
            batch_size=5000,
        )
        official_rows = list(Official.objects.values_list("pk", "unit_id"))
        today = timezone.localdate()
        year_start = today.replace(month=1, day=1) - datetime.timedelta(days=365)
        days = (today - year_start).days + 1
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO feedback_servicerating
                  (client_id, channel, scale, level, score, side, reasons, comment,
                   dossier_code, rated_at, rated_on, counter_id, official_id)
                SELECT gen_random_uuid(), 'kiosk', 'three', lvl,
                       CASE lvl WHEN 1 THEN 100 WHEN 2 THEN 50 ELSE 0 END,
                       CASE lvl WHEN 1 THEN 1 WHEN 2 THEN 0 ELSE -1 END,
                       '{}', '', '', d + interval '9 hours', d,
                       (%s::bigint[])[1 + (g %% %s)], NULL
                FROM (
                  SELECT g, %s::date + (g %% %s) AS d,
                         CASE WHEN random() < 0.85 THEN 1 WHEN random() < 0.6 THEN 2 ELSE 3 END
                           AS lvl
                  FROM generate_series(1, %s) AS g
                ) AS s
                """,
                [counter_ids, len(counter_ids), year_start, days, args.ratings],
            )
        print(f"ratings written: {args.ratings:,} in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        all_days = [year_start + datetime.timedelta(days=i) for i in range(days)]
        for chunk in range(0, len(all_days), 31):
            rollup_days(days=all_days[chunk : chunk + 31])
        print(f"feedback daily rollup of {days} days: {time.perf_counter() - started:.1f} s")

        load_catalogue_seed(actor=None, unit=city)
        kind = ViolationType.objects.usable().first()
        from civility.inspections.models import (
            ChecklistTemplate,
            Inspection,
            TemplateVersion,
        )

        template = ChecklistTemplate.objects.create(
            unit=city, slug="bench", subject="counter", name="Phiếu"
        )
        version = TemplateVersion.objects.create(template=template, number=1)
        zone = timezone.get_current_timezone()
        Inspection.objects.bulk_create(
            (
                Inspection(
                    kind="planned",
                    status="submitted",
                    template_version=version,
                    inspecting_unit=city,
                    unit_id=rng.choice(counter_ids),
                    submitted_at=datetime.datetime.combine(
                        year_start + datetime.timedelta(days=rng.randrange(days)),
                        datetime.time(10),
                        tzinfo=zone,
                    ),
                    score=rng.randint(50, 100),
                )
                for _ in range(args.inspections)
            ),
            batch_size=5000,
        )
        from civility.conduct.models import ViolationRecord

        now = timezone.now()
        ViolationRecord.objects.bulk_create(
            (
                ViolationRecord(
                    unit_id=unit_id,
                    official_id=official_id,
                    type=kind,
                    occurred_on=year_start + datetime.timedelta(days=rng.randrange(days)),
                    source="supervisor",
                    description="Đi muộn",
                    status="confirmed",
                    outcome="confirmed",
                    severity="less_serious",
                    handling="reminder",
                    rule_set="decree_172_2025",
                    decided_at=now,
                )
                for official_id, unit_id in (
                    rng.choice(official_rows) for _ in range(args.violations)
                )
            ),
            batch_size=5000,
        )

        periods = [Period("year", today.replace(month=1, day=1))]
        periods += [Period.containing("quarter", today).last(4)][0]
        periods += Period.containing("month", today).last(12)
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            actions.refresh(periods=periods, today=today)
        elapsed = time.perf_counter() - started
        print(
            f"rollup + index for {len(periods)} periods: {elapsed:.1f} s "
            f"({1000 * elapsed / len(periods):.0f} ms a period, {len(queries)} queries); "
            f"{ComponentFigure.objects.count():,} rollup rows, "
            f"{CultureIndex.objects.count():,} index rows"
        )

        admin = make_user("bench_admin", is_superuser=True)
        client = Client()
        client.force_login(admin)
        quarter = Period.containing("quarter", today)
        commune = communes[0]
        q = f"period={quarter.slug}"
        pages = {
            "city overview + ranking of 126 communes (quarter)": f"/insights/?unit={city.pk}&{q}",
            "city overview (year)": f"/insights/?unit={city.pk}&period={today.year}",
            "a commune: children, counters, officials": f"/insights/?unit={commune.pk}&{q}",
            "ranking download (.xlsx)": f"/insights/export/?unit={city.pk}&{q}&table=ranking",
        }
        for label, url in pages.items():
            assert client.get(url).status_code == 200, url
            seconds = []
            for _ in range(args.requests):
                begin = time.perf_counter()
                response = client.get(url)
                seconds.append(time.perf_counter() - begin)
            assert response.status_code == 200
            print(f"{label:<52} {percentiles(seconds)}")
            if label.startswith("city overview + ranking"):
                dashboard_p95 = sorted(seconds)[int(round(0.95 * len(seconds))) - 1]

        year = Period("year", today.replace(month=1, day=1))
        raw_sql = """
            SELECT u.parent_id, count(*), count(*) FILTER (WHERE r.side = 1)
            FROM feedback_servicerating r JOIN orgs_orgunit u ON u.id = r.counter_id
            WHERE r.rated_on BETWEEN %s AND %s GROUP BY u.parent_id
        """
        raw_seconds = []
        for _ in range(3):
            begin = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute(raw_sql, [year.start - datetime.timedelta(days=365), year.end])
                cursor.fetchall()
            raw_seconds.append(time.perf_counter() - begin)
        raw = statistics.median(raw_seconds)
        print(
            f"{'raw GROUP BY of all ratings (two years), city-wide':<52} "
            f"median {1000 * raw:7.1f} ms -> dashboard p95 is {raw / dashboard_p95:.0f}x faster"
        )

        job = ReportJob.objects.create(
            unit=city, period_kind="year", period_start=year.start, language="vi"
        )
        begin = time.perf_counter()
        actions.build_report(job=job)
        print(
            f"{'city-wide annual report (.docx + .xlsx)':<52} {time.perf_counter() - begin:7.1f} s"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
