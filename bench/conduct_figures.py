"""Time the conduct figures and the evaluation selector on a city-sized data set.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/civility \
    TEST_DATABASE_NAME=bench_civility_conduct SECRET_KEY=x \
    .venv/bin/python bench/conduct_figures.py [--officials 20000] [--records 100000]

Creates a scratch database the way the test runner does, imports Hanoi (126 communes and the
service points), spreads the officials over the communes and the records over two years
(60% confirmed, 20% dismissed, 20% open), measures, and drops the database again.
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

import django  # noqa: E402


def timed(label: str, function, runs: int = 5) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    seconds = []
    for _run in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            function()
            seconds.append(time.perf_counter() - started)
    print(
        f"{label:<58} median {1000 * statistics.median(seconds):8.1f} ms "
        f"(min {1000 * min(seconds):.1f}); {len(queries)} queries"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officials", type=int, default=20_000)
    parser.add_argument("--records", type=int, default=100_000)
    args = parser.parse_args()

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from civility.conduct.actions import load_catalogue_seed
    from civility.conduct.figures import conduct_figures
    from civility.conduct.models import ViolationRecord, ViolationType, confirmed_records
    from civility.orgs.admin_units import import_admin_units
    from civility.orgs.models import Official, OrgUnit, UnitKind

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        rng = random.Random(6)
        import_admin_units(provinces=["01"])
        city = OrgUnit.objects.get(kind=UnitKind.PROVINCE, code="01")
        load_catalogue_seed(actor=None, unit=city)
        communes = list(OrgUnit.objects.filter(kind__in=(UnitKind.WARD, UnitKind.COMMUNE)))
        Official.objects.bulk_create(
            Official(
                unit=rng.choice(communes),
                full_name=f"Cán bộ {i}",
                staff_category="civil_servant",
            )
            for i in range(args.officials)
        )
        officials = list(Official.objects.select_related("unit"))
        types = list(ViolationType.objects.usable())
        today = timezone.localdate()
        now = timezone.now()
        rows = []
        for _i in range(args.records):
            official = rng.choice(officials)
            day = today - datetime.timedelta(days=rng.randrange(730))
            reported = datetime.datetime.combine(day, datetime.time(9), tzinfo=datetime.UTC)
            roll = rng.random()
            decided = min(now, reported + datetime.timedelta(days=rng.randrange(1, 40)))
            fields = {
                "unit": official.unit,
                "official": official,
                "type": rng.choice(types),
                "occurred_on": day,
                "source": "inspection",
                "description": "bench",
                "severity": "less_serious",
                "reported_at": reported,
            }
            if roll < 0.6:
                fields.update(
                    status="confirmed",
                    outcome="confirmed",
                    handling="reminder",
                    rule_set="decree-172-2025",
                    decided_at=decided,
                )
            elif roll < 0.8:
                fields.update(
                    status="dismissed",
                    outcome="dismissed",
                    dismissal_reason="x",
                    decided_at=decided,
                )
            rows.append(ViolationRecord(**fields))
        ViolationRecord.objects.bulk_create(rows, batch_size=5000)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(
            f"PostgreSQL {connection.cursor().connection.info.server_version}, "
            f"{os.cpu_count()} CPU(s); {len(officials):,} officials in {len(communes)} communes, "
            f"{ViolationRecord.objects.count():,} records over two years"
        )
        year_start = today - datetime.timedelta(days=365)
        ward = communes[0]
        official = officials[0]
        timed(
            "figures, whole city, last 12 months",
            lambda: conduct_figures(unit=city, start=year_start, end=today),
        )
        if os.environ.get("BENCH_EXPLAIN"):
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as queries:
                conduct_figures(unit=city, start=year_start, end=today)
            for query in queries.captured_queries:
                print(query["time"], query["sql"][:150])
        timed(
            "figures, one commune, last 12 months",
            lambda: conduct_figures(unit=ward, start=year_start, end=today),
        )
        timed(
            "selector: one official's confirmed records in a month",
            lambda: list(
                confirmed_records(
                    official=official, start=today - datetime.timedelta(days=30), end=today
                )
            ),
            runs=20,
        )
        timed(
            "selector: one commune's confirmed records in a month",
            lambda: list(
                confirmed_records(unit=ward, start=today - datetime.timedelta(days=30), end=today)
            ),
            runs=20,
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
