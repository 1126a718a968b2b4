"""manage.py import_former_units --province 01 [--dry-run] [--file PATH] [--background]"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from civility.core.models import JobStatus
from civility.orgs.actions import request_former_units_import
from civility.orgs.admin_units import normalize_province_code
from civility.orgs.models import OrgUnit, UnitKind


class Command(BaseCommand):
    help = (
        "Import a province's wards and communes of before 1 July 2025 and the shares that "
        "went into today's units, from civility/orgs/data/former_units/<code>.json "
        "(all or nothing; run import_admin_units for the province first)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--province", required=True, metavar="CODE", help="e.g. 01, 14")
        parser.add_argument("--dry-run", action="store_true", help="Check and count only.")
        parser.add_argument("--file", type=Path, help="Another data file of the same form.")
        parser.add_argument("--background", action="store_true", help="Leave the job to a worker.")

    def handle(self, *args: str, **options: Any) -> None:
        try:
            code = normalize_province_code(options["province"])
        except ValueError as error:
            raise CommandError(str(error)) from None
        province = OrgUnit.objects.filter(kind=UnitKind.PROVINCE, code=code).first()
        if province is None:
            raise CommandError(f"Province {code} is not in the tree: run import_admin_units.")
        job = request_former_units_import(
            actor=None,
            province=province,
            dry_run=options["dry_run"],
            path=options["file"],
            inline=not options["background"],
        )
        if options["background"]:
            self.stdout.write(f"Job {job.pk} queued.")
            return
        if job.status != JobStatus.DONE:
            for line in job.result.get("errors", []):
                self.stderr.write(line)
            raise CommandError(job.error)
        self.stdout.write(self.style.SUCCESS(f"{job.message} {job.result}"))
