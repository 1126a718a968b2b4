"""Time the import of earlier commendation decisions (civility.awards.history) from one file.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/civility \
    TEST_DATABASE_NAME=bench_civility_history SECRET_KEY=x \
    .venv/bin/python bench/past_decisions.py [--rows 2000]

Creates a scratch database the way the test runner does, imports Hanoi (with its former
districts), loads the title catalogue, gives a former district `--rows` officials with staff
codes, writes an .xlsx of 2022 decisions of that district (50 recipients each, one in ten
found by name only), then times the dry run and the import as the job runs them (one
transaction), and drops the database again.
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civility.settings")

import django  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000)
    args = parser.parse_args()

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from openpyxl import Workbook

    from civility.awards import history
    from civility.awards.actions import load_award_catalogue
    from civility.orgs.admin_units import import_admin_units
    from civility.orgs.imports import read_table
    from civility.orgs.models import Official, OrgUnit, UnitKind

    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        import_admin_units(provinces=["01"])
        city = OrgUnit.objects.get(kind=UnitKind.PROVINCE, code="01")
        district = OrgUnit.objects.filter(kind=UnitKind.FORMER_DISTRICT).order_by("pk").first()
        district.code = district.code or "BENCH-DISTRICT"
        district.save()
        load_award_catalogue(actor=None, unit=city)
        admin = get_user_model().objects.create_superuser("bench", password="x")
        Official.objects.bulk_create(
            Official(
                unit=district,
                full_name=f"Cán bộ số {i}",
                staff_code=f"B{i:06d}",
                staff_category="civil_servant",
            )
            for i in range(args.rows)
        )
        workbook = Workbook()
        sheet = workbook.active
        sheet.append([column.title for column in history.COLUMNS])
        for i in range(args.rows):
            by_name = i % 10 == 0
            sheet.append(
                [
                    f"{i // 50 + 1}/QĐ-UBND",
                    datetime.date(2022, 12, 20),
                    district.code,
                    "Chủ tịch UBND",
                    "",
                    2022,
                    "Lao động tiên tiến",
                    "" if by_name else f"B{i:06d}",
                    f"can bo so {i}" if by_name else "",
                    "",
                ]
            )
        buffer = io.BytesIO()
        workbook.save(buffer)
        buffer.seek(0)
        started = time.perf_counter()
        table = read_table(buffer, "bench.xlsx")
        print(f"read {args.rows} rows: {time.perf_counter() - started:.2f} s")
        for dry_run in (True, False):
            with CaptureQueriesContext(connection) as queries, transaction.atomic():
                started = time.perf_counter()
                planned, result = history.import_past_decisions(
                    actor=admin, root=city, table=table, dry_run=dry_run
                )
                seconds = time.perf_counter() - started
            assert not result.errors, result.errors[:3]
            label = "dry run" if dry_run else "import"
            print(
                f"{label}: {len(planned)} decisions, {result.created} awards in "
                f"{seconds:.2f} s; {len(queries)} queries"
            )
    finally:
        connection.creation.destroy_test_db(
            connection.settings_dict["NAME"], verbosity=0, keepdb=False
        )


if __name__ == "__main__":
    main()
