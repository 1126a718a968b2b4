"""Time the long work that runs as background jobs (civility.core.jobs) on the city-scale data
set: importing a city's officials, opening a monthly period for the whole city, the whole
city's annual proposals, and the whole city's eligibility for every title.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/civility \
    TEST_DATABASE_NAME=bench_civility_jobs SECRET_KEY=x \
    .venv/bin/python bench/jobs.py [--officials 150000] [--import-rows 169000] [--only ...]

Creates a scratch database the way the test runner does, fills it with bench/city_data.py
(no ratings: none of these jobs reads them), runs each job the way the worker runs it
(`civility.core.jobs.run`, the runner inside one transaction, progress written through a
second connection), prints its job time, and drops the database again.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civility.settings")

import django  # noqa: E402

STEPS = ("open", "propose", "eligibility", "import", "reimport")


def run_job(*, actor, kind: str, unit, params: dict, label: str):
    """Enqueue and run the job as the worker does; print its time, status and outcome."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from civility.core import jobs

    with CaptureQueriesContext(connection) as queries:
        started, cpu = time.perf_counter(), time.process_time()
        job = jobs.enqueue(
            actor=actor, kind=kind, title=label, unit=unit, params=params, inline=True
        )
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    outcome = job.message if job.status == "done" else job.error
    print(
        f"{label:<58} {seconds:7.1f} s (Python CPU {cpu:6.1f} s, load "
        f"{os.getloadavg()[0]:4.1f}) {job.status:<6} {len(queries):>4} queries  {outcome}",
        flush=True,
    )
    return job


def officials_csv(units, rows: int, seed: int = 3) -> bytes:
    """A file as a city's personnel office would send it: a staff code, a name, a category,
    the unit's code, leader, start date, e-mail and phone."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "staff_code",
            "full_name",
            "staff_category",
            "unit_code",
            "is_leader",
            "post_start_date",
            "email",
            "phone",
        ]
    )
    families = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ"]
    given = ["Văn An", "Thị Bình", "Minh Châu", "Thu Hà", "Quốc Huy", "Thanh Lan", "Đức Nam"]
    categories = ["công chức"] * 6 + ["viên chức"] * 3 + ["cán bộ"]
    for i in range(rows):
        unit = units[i % len(units)]
        writer.writerow(
            [
                f"HN{i:06d}",
                f"{rng.choice(families)} {rng.choice(given)}",
                rng.choice(categories),
                unit.code,
                "có" if i % 25 == 0 else "",
                f"{1 + i % 28:02d}/{1 + i % 12:02d}/{2010 + i % 15}",
                f"cb{i}@hanoi.gov.vn" if i % 2 else "",
                f"09{i % 100_000_000:08d}" if i % 3 else "",
            ]
        )
    return out.getvalue().encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officials", type=int, default=150_000)
    parser.add_argument("--import-rows", type=int, default=169_000)
    parser.add_argument("--only", nargs="*", choices=STEPS, default=list(STEPS))
    parser.add_argument("--titles", nargs="*", help="title keys (default: every title)")
    args = parser.parse_args()

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.db import connection
    from django.utils import timezone

    from bench.city_data import build
    from civility.awards.actions import load_award_catalogue
    from civility.orgs.models import Official

    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        today = timezone.localdate()
        data = build(
            today=today,
            officials=args.officials,
            ratings=0,
            rating_days=31,
            inspections=2_000,
            violations=20_000,
        )
        admin = get_user_model().objects.create_superuser("bench", password="x")
        city = data.city
        load_award_catalogue(actor=None, unit=city)
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            version = cursor.fetchone()[0].split(" on ")[0]
        print(
            f"{version}; {os.cpu_count()} CPU(s), load average "
            f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}; "
            f"{Official.objects.count():,} officials",
            flush=True,
        )

        if "open" in args.only:
            month = today.replace(day=1)
            run_job(
                actor=admin,
                kind="evaluations.open_period",
                unit=city,
                params={
                    "month": month.isoformat(),
                    "deadlines": [
                        month.replace(day=25).isoformat(),
                        month.replace(day=26).isoformat(),
                        month.replace(day=27).isoformat(),
                    ],
                    "exceptional_units": [],
                },
                label="open this month's period for the whole city",
            )

        year = data.evaluation_months[-1].year
        if "propose" in args.only:
            run_job(
                actor=admin,
                kind="evaluations.propose_classifications",
                unit=city,
                params={"year": year, "next": "/"},
                label=f"annual proposals {year}, whole city",
            )
            run_job(
                actor=admin,
                kind="evaluations.propose_classifications",
                unit=city,
                params={"year": year, "next": "/"},
                label=f"annual proposals {year}, whole city, again",
            )

        if "eligibility" in args.only:
            from civility.evaluations.models import AnnualClassification

            # The heads confirm the proposals (not timed): eligibility reads confirmed levels.
            AnnualClassification.objects.filter(year=year).exclude(proposed_level="").update(
                final_level=django.db.models.F("proposed_level"), confirmed_at=timezone.now()
            )
            from civility.awards.models import AwardTitle

            titles = AwardTitle.objects.for_unit(city).current()
            if args.titles:
                titles = titles.filter(key__in=args.titles)
            for title in sorted(titles, key=lambda t: (t.recipient != "collective", t.key)):
                run_job(
                    actor=admin,
                    kind="awards.eligibility",
                    unit=city,
                    params={"year": year, "title": title.pk},
                    label=f"eligibility {year}, {title.key} ({title.recipient}), whole city",
                )
        if "import" in args.only or "reimport" in args.only:
            # The personnel file names the departments and divisions by code (communes and
            # their service points share theirs, so a file names neither).
            from civility.orgs.models import OrgUnit

            coded = data.divisions + data.city_departments
            for unit in coded:
                unit.code = f"PB{unit.pk}"
            OrgUnit.objects.bulk_update(coded, ["code"])
            content = officials_csv(coded, args.import_rows)
            print(f"officials file: {args.import_rows:,} rows, {len(content) / 1e6:.1f} MB")
            for step in ("import", "reimport"):
                if step not in args.only:
                    continue
                stored = default_storage.save("jobs/uploads/bench.csv", ContentFile(content))
                label = (
                    f"import {args.import_rows:,} officials"
                    if step == "import"
                    else "the same file again (all unchanged)"
                )
                run_job(
                    actor=admin,
                    kind="orgs.import_officials",
                    unit=city,
                    params={"file": stored, "file_name": "bench.csv"},
                    label=label,
                )
            print(f"  officials now: {Official.objects.count():,}", flush=True)
    finally:
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


if __name__ == "__main__":
    main()
