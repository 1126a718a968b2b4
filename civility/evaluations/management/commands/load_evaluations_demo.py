"""manage.py load_evaluations_demo: monthly evaluations, classifications and a rotation plan
for Tây Hồ ward (idempotent)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from civility.evaluations.demo import load_evaluations_demo


class Command(BaseCommand):
    help = (
        "Load demo monthly evaluations (three months), this year's proposed classifications "
        "and a rotation plan for Tây Hồ ward (run after import_admin_units --province 01, "
        "load_demo_data and load_codes)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = load_evaluations_demo()
        except LookupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Evaluation periods opened: {report.periods}")
        self.stdout.write(f"Evaluations filled: {report.evaluations}")
        self.stdout.write(f"Classifications proposed: {report.classifications}")
        self.stdout.write(f"Rotations planned: {report.rotations}")
