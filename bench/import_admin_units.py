"""Time the import of all 34 provinces (3,321 communes) on a fresh database, then re-runs.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/civility \
    TEST_DATABASE_NAME=bench_civility SECRET_KEY=x \
    .venv/bin/python bench/import_admin_units.py [--runs 3]

The script creates a scratch database the way the test runner does (TEST_DATABASE_NAME, or
"test_<name>"), migrates it, measures, and drops it again; the database named in
DATABASE_URL is never written to.
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


def timed(label: str, function, runs: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    seconds = []
    for _run in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            reports = function()
            seconds.append(time.perf_counter() - started)
    created = sum(r.commune_tally.created + r.service_tally.created for r in reports)
    updated = sum(r.commune_tally.updated + r.service_tally.updated for r in reports)
    print(
        f"{label:<44} median {statistics.median(seconds):6.2f} s  "
        f"(min {min(seconds):.2f}, max {max(seconds):.2f}, {runs} run(s)); "
        f"{len(queries)} queries; {created} created, {updated} updated"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each re-import")
    args = parser.parse_args()

    django.setup()
    from django.db import connection

    from civility.orgs.admin_units import COMMUNE_LEVEL_KINDS, import_admin_units
    from civility.orgs.models import OrgUnit

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        print(
            f"PostgreSQL {connection.cursor().connection.info.server_version}, "
            f"{os.cpu_count()} CPU(s), database {connection.settings_dict['NAME']}"
        )
        timed("first import, 34 provinces (fresh database)", import_admin_units, 1)
        print(f"  units in the database: {OrgUnit.objects.count()}")
        timed("re-run, nothing changed", import_admin_units, args.runs)

        def rename_and_import():
            OrgUnit.objects.filter(kind__in=COMMUNE_LEVEL_KINDS).update(name="x")
            return import_admin_units()

        timed("re-run after all 3,321 commune names changed", rename_and_import, args.runs)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
