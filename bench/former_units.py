"""Time the import of Hanoi's 526 former wards and communes (667 links) on a fresh database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/civility \
    TEST_DATABASE_NAME=bench_civility SECRET_KEY=x \
    .venv/bin/python bench/former_units.py [--province 01]

Like import_admin_units.py, it works in a scratch database it creates and drops.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civility.settings")

import django  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--province", default="01")
    args = parser.parse_args()

    django.setup()
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from civility.orgs.actions import request_former_units_import
    from civility.orgs.admin_units import import_admin_units
    from civility.orgs.models import OrgUnit, UnitKind

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        import_admin_units(provinces=[args.province])
        province = OrgUnit.objects.get(kind=UnitKind.PROVINCE, code=args.province)
        for label, dry_run in (("dry run", True), ("import", False), ("re-run", False)):
            reset_queries()  # the query log keeps 9,000 at most
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                job = request_former_units_import(
                    actor=None, province=province, dry_run=dry_run, inline=True
                )
                seconds = time.perf_counter() - started
            print(
                f"{label:<8} {seconds:6.2f} s  {len(queries)} queries; "
                f"{job.status}: {job.result.get('units_created')} units created, "
                f"{job.result.get('links')} links"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
