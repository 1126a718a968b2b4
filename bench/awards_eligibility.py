"""Time the whole city's eligibility list of every award title, each as the background job runs it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/civility \
    TEST_DATABASE_NAME=bench_civility_awards SECRET_KEY=x \
    .venv/bin/python bench/awards_eligibility.py [--officials 150000] [--titles KEY ...] \
        [--keepdb] [--profile KEY] [--format xlsx|json]

Creates a scratch database the way the test runner does and fills it with bench/city_data.py
(no ratings: eligibility reads none), computes and confirms the year's annual
classifications, gives one official in twenty a recognised initiative, loads the city's title
catalogue, then runs the `awards.eligibility` job (`civility.core.jobs.run`: the .xlsx of one
title for the whole city) for each title and prints its job time, the Python CPU time and the
number of queries. `--keepdb` keeps the filled database for the next run (and reuses it);
`--profile KEY` prints the functions taking most time for that title.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import os
import pstats
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civility.settings")

import django  # noqa: E402


def fill(officials: int) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import F
    from django.utils import timezone

    from bench.city_data import build
    from civility.awards.actions import load_award_catalogue
    from civility.awards.models import GoodModel
    from civility.evaluations.actions import propose_classifications
    from civility.evaluations.models import AnnualClassification
    from civility.orgs.models import Official

    data = build(
        today=timezone.localdate(),
        officials=officials,
        ratings=0,
        rating_days=31,
        inspections=2_000,
        violations=20_000,
    )
    admin = get_user_model().objects.create_superuser("bench", password="x")
    load_award_catalogue(actor=None, unit=data.city)
    year = data.evaluation_months[-1].year
    started = time.perf_counter()
    propose_classifications(actor=admin, unit=data.city, year=year)
    # The heads confirm the proposals: eligibility reads confirmed levels.
    AnnualClassification.objects.filter(year=year).exclude(proposed_level="").update(
        final_level=F("proposed_level"), confirmed_at=timezone.now()
    )
    rng = random.Random(8)
    authors = rng.sample(list(Official.objects.values_list("pk", "unit_id")), officials // 20)
    initiatives = GoodModel.objects.bulk_create(
        GoodModel(
            kind="initiative",
            category="digital",
            unit_id=unit_id,
            name=f"Sáng kiến {pk}",
            started_on=datetime.date(year, 1, 1),
            status="recognised",
            recognised_on=datetime.date(year, 10, 1),
        )
        for pk, unit_id in authors
    )
    GoodModel.authors.through.objects.bulk_create(
        GoodModel.authors.through(goodmodel_id=model.pk, official_id=pk)
        for model, (pk, _unit) in zip(initiatives, authors, strict=True)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"  set-up: classifications and initiatives: {time.perf_counter() - started:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officials", type=int, default=150_000)
    parser.add_argument("--titles", nargs="*", help="title keys (default: every title)")
    parser.add_argument("--keepdb", action="store_true")
    parser.add_argument("--profile", help="print a profile of this title's job")
    parser.add_argument(
        "--format", choices=("xlsx", "json"), default="xlsx", help="the page's or the API's"
    )
    args = parser.parse_args()

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection

    from bench.jobs import run_job
    from civility.awards.models import AwardTitle
    from civility.evaluations.models import AnnualClassification
    from civility.orgs.models import Official, OrgUnit, UnitKind

    # serialize=False: the test runner's copy of every row (for TransactionTestCase) would read
    # a kept city-scale database for many minutes.
    connection.creation.create_test_db(
        verbosity=0, autoclobber=True, keepdb=args.keepdb, serialize=False
    )
    try:
        if not Official.objects.exists():
            fill(args.officials)
        admin = get_user_model().objects.get(username="bench")
        city = OrgUnit.objects.get(kind=UnitKind.PROVINCE, code="01")
        year = AnnualClassification.objects.order_by("-year").values_list("year", flat=True)[0]
        print(
            f"{os.cpu_count()} CPU(s), load average "
            f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}; "
            f"{Official.objects.count():,} officials; year {year}",
            flush=True,
        )
        titles = AwardTitle.objects.for_unit(city).current()
        if args.titles:
            titles = titles.filter(key__in=args.titles)
        for title in sorted(titles, key=lambda t: (t.recipient != "collective", t.key)):
            profile = cProfile.Profile() if title.key == args.profile else None
            if profile:
                profile.enable()
            run_job(
                actor=admin,
                kind="awards.eligibility",
                unit=city,
                params={"year": year, "title": title.pk, "format": args.format},
                label=f"{title.key} ({title.recipient}, .{args.format})",
            )
            if profile:
                profile.disable()
                pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
    finally:
        if not args.keepdb:
            connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


if __name__ == "__main__":
    main()
