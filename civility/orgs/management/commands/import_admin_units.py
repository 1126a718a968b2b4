"""manage.py import_admin_units --province 01 [--province 79 ...] | --all"""

import argparse
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civility.orgs.admin_units import import_admin_units, normalize_province_code


class Command(BaseCommand):
    help = (
        "Create or update the provinces and their 2025 communes and wards from the "
        "vietnam-provinces package (idempotent)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument(
            "--province",
            action="append",
            metavar="CODE",
            help="Two-digit province code, e.g. 01 for Hanoi; may be repeated.",
        )
        which.add_argument("--all", action="store_true", help="All 34 provinces.")
        parser.add_argument(
            "--service-points",
            action=argparse.BooleanOptionalAction,
            default=True,
            help="Also create each province's Public Administration Service Center and one "
            "service point per commune (default: on).",
        )

    def handle(self, *args: str, **options: Any) -> None:
        provinces = None
        if not options["all"]:
            try:
                provinces = [normalize_province_code(code) for code in options["province"]]
            except ValueError as error:
                raise CommandError(_("--province: %(error)s") % {"error": error}) from None
        started = time.perf_counter()
        reports = import_admin_units(provinces=provinces, service_points=options["service_points"])
        for report in reports:
            self.stdout.write(report.summary())
        self.stdout.write(
            self.style.SUCCESS(
                ngettext(
                    "Imported %(count)d province in %(seconds).1f s.",
                    "Imported %(count)d provinces in %(seconds).1f s.",
                    len(reports),
                )
                % {"count": len(reports), "seconds": time.perf_counter() - started}
            )
        )
