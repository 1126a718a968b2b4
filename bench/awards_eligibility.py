"""Time the eligibility computation on a ward-sized and a city-sized set of officials.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/civility \
    TEST_DATABASE_NAME=bench_civility_awards SECRET_KEY=x \
    .venv/bin/python bench/awards_eligibility.py [--officials 5000]

Creates a scratch database the way the test runner does, imports Hanoi, loads the title
catalogue, spreads the officials over the communes with a confirmed classification each (when
the evaluations app is installed) and a recognised initiative for one in twenty, measures the
Advanced Worker, Grassroots Emulation Fighter and Advanced Labour Collective lists, and drops
the database again.
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
        f"{label:<58} median {1000 * statistics.median(seconds):8.1f} ms "
        f"(min {1000 * min(seconds):.1f}); {len(queries)} queries"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officials", type=int, default=5_000)
    args = parser.parse_args()

    django.setup()
    from django.apps import apps
    from django.db import connection
    from django.utils import timezone

    from civility.awards.actions import load_award_catalogue
    from civility.awards.eligibility import Assessor, candidate_units, title_for
    from civility.awards.models import GoodModel
    from civility.orgs.admin_units import import_admin_units
    from civility.orgs.models import Official, OrgUnit, UnitKind

    year = 2025
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        rng = random.Random(8)
        import_admin_units(provinces=["01"])
        city = OrgUnit.objects.get(kind=UnitKind.PROVINCE, code="01")
        load_award_catalogue(actor=None, unit=city)
        communes = list(OrgUnit.objects.filter(kind__in=(UnitKind.WARD, UnitKind.COMMUNE)))
        Official.objects.bulk_create(
            Official(
                unit=rng.choice(communes), full_name=f"Cán bộ {i}", staff_category="civil_servant"
            )
            for i in range(args.officials)
        )
        officials = list(Official.objects.all())
        if apps.is_installed("civility.evaluations"):
            model = apps.get_model("evaluations", "AnnualClassification")
            levels = ["excellent", "good", "good", "good", "completed"]
            model.objects.bulk_create(
                model(
                    official=o,
                    year=year,
                    unit_id=o.unit_id,
                    staff_category="civil_servant",
                    rule_set="decree-48-2023",
                    proposed_level=(lv := rng.choice(levels)),
                    final_level=lv,
                    confirmed_at=timezone.now(),
                )
                for o in officials
            )
        for official in rng.sample(officials, len(officials) // 20):
            initiative = GoodModel.objects.create(
                kind="initiative",
                category="digital",
                unit_id=official.unit_id,
                name=f"Sáng kiến {official.pk}",
                started_on=datetime.date(year, 1, 1),
                status="recognised",
                recognised_on=datetime.date(year, 10, 1),
            )
            initiative.authors.add(official)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        ward = max(communes, key=lambda c: c.officials.count())
        print(
            f"{os.cpu_count()} CPU(s); {len(officials):,} officials in {len(communes)} "
            f"communes; largest ward {ward.officials.count()} officials"
        )

        def individuals(unit, key):
            assessor = Assessor.for_unit(unit, year=year)
            title = title_for(unit, key, year)
            return [assessor.assess(title, official=o) for o in assessor.officials.values()]

        def collectives(unit):
            assessor = Assessor.for_unit(unit, year=year)
            title = title_for(unit, "advanced-collective", year)
            return [assessor.assess(title, unit=u) for u in candidate_units(unit)]

        timed("Advanced Worker, one ward", lambda: individuals(ward, "advanced-worker"))
        timed(
            "Grassroots Emulation Fighter, one ward",
            lambda: individuals(ward, "grassroots-fighter"),
        )
        timed(
            f"Advanced Worker, whole city ({len(officials):,})",
            lambda: individuals(city, "advanced-worker"),
            runs=1,
        )
        timed(
            f"Grassroots Emulation Fighter, whole city ({len(officials):,})",
            lambda: individuals(city, "grassroots-fighter"),
            runs=1,
        )
        timed(
            f"Advanced Labour Collective, city's {len(communes)} communes",
            lambda: collectives(city),
            runs=1,
        )
    finally:
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


if __name__ == "__main__":
    main()
