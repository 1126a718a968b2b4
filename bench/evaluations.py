"""Time evaluation periods, figures, follow-up, rotation lists and annual proposals on a
city-sized data set.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/civility \
    TEST_DATABASE_NAME=bench_civility_evaluations SECRET_KEY=x \
    .venv/bin/python bench/evaluations.py [--officials 20000]

Creates a scratch database the way the test runner does, imports Hanoi (126 communes), spreads
the officials over the communes (a third in sensitive posts), writes eleven approved months of
evaluations for everyone, measures, and drops the database again.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civility.settings")

import django  # noqa: E402


def timed(label: str, function, runs: int = 3) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    seconds = []
    for _run in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            function()
            seconds.append(time.perf_counter() - started)
    print(
        f"{label:<58} median {1000 * statistics.median(seconds):9.1f} ms "
        f"(min {1000 * min(seconds):.1f}); {len(queries)} queries"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officials", type=int, default=20_000)
    args = parser.parse_args()

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from civility.evaluations import actions
    from civility.evaluations.figures import follow_up, month_figures_by_child, rotation_rows
    from civility.evaluations.models import Evaluation, EvaluationPeriod, Step
    from civility.orgs.admin_units import import_admin_units
    from civility.orgs.models import Official, OrgUnit, Post, UnitKind

    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        rng = random.Random(13)
        import_admin_units(provinces=["01"])
        city = OrgUnit.objects.get(kind=UnitKind.PROVINCE, code="01")
        admin = get_user_model().objects.create_superuser("bench", password="x")
        sensitive = Post.objects.create(
            unit=city, name="Một cửa", is_sensitive=True, rotation_period_months=36
        )
        communes = list(OrgUnit.objects.filter(kind__in=(UnitKind.WARD, UnitKind.COMMUNE)))
        today = timezone.localdate()
        Official.objects.bulk_create(
            Official(
                unit=rng.choice(communes),
                full_name=f"Cán bộ {i}",
                staff_category="civil_servant",
                post=sensitive if i % 3 == 0 else None,
                post_start_date=today - datetime.timedelta(days=rng.randrange(2000))
                if i % 3 == 0
                else None,
            )
            for i in range(args.officials)
        )
        officials = list(Official.objects.all())
        year = today.year
        months = [datetime.date(year, m, 1) for m in range(1, today.month)]
        now = timezone.now()
        for month in months:
            period = EvaluationPeriod.objects.create(
                unit=city,
                month=month,
                self_deadline=month.replace(day=25),
                review_deadline=month.replace(day=26),
                approval_deadline=month.replace(day=27),
            )
            rows = []
            for official in officials:
                total = Decimal(rng.randrange(40, 100))
                level = (
                    "excellent"
                    if total >= 90
                    else "good"
                    if total >= 70
                    else "completed"
                    if total >= 50
                    else "not_completed"
                )
                rows.append(
                    Evaluation(
                        period=period,
                        official=official,
                        unit_id=official.unit_id,
                        agency_id=official.unit_id,  # communes are agencies
                        rule_set="hanoi-3814-2018",
                        step=Step.DONE,
                        total=total,
                        level=level,
                        approved_at=now,
                        self_submitted_at=now,
                        work_items=[{"title": "x", "weight": "1", "done": True}],
                    )
                )
            Evaluation.objects.bulk_create(rows, batch_size=5000)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(
            f"PostgreSQL {connection.cursor().connection.info.server_version}, "
            f"{os.cpu_count()} CPU(s); {len(officials):,} officials in {len(communes)} "
            f"communes; {Evaluation.objects.count():,} approved evaluations ({len(months)} months)"
        )
        started = time.perf_counter()
        actions.open_period(actor=admin, unit=city, month=today.replace(day=1))
        print(
            f"{'open a period for the whole city (one run)':<58} "
            f"{1000 * (time.perf_counter() - started):9.1f} ms"
        )
        last = months[-1]
        ward = communes[0]
        timed(
            "figures by commune, whole city, one month", lambda: month_figures_by_child(city, last)
        )
        timed("follow-up list, whole city", lambda: follow_up(city, today=today))
        timed("rotation due list, whole city", lambda: rotation_rows(city, today=today))
        timed(
            "annual proposals, one commune",
            lambda: actions.propose_classifications(actor=admin, unit=ward, year=year),
        )
        timed(
            "annual proposals, whole city (one run)",
            lambda: actions.propose_classifications(actor=admin, unit=city, year=year),
            runs=1,
        )
    finally:
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


if __name__ == "__main__":
    main()
