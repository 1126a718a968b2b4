"""manage.py load_awards_demo: Hanoi's award catalogue, a movement, models and a decision."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from civility.awards.demo import load_awards_demo


class Command(BaseCommand):
    help = (
        "Load Hanoi's award title catalogue, the workplace-culture movement, good models with "
        "their replication, earlier titles and a decision (run after import_admin_units "
        "--province 01, load_demo_data and load_codes). Idempotent."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = load_awards_demo()
        except LookupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Title versions created: {report.titles}")
        self.stdout.write(f"Good models created: {report.models}")
        self.stdout.write(f"Replications recorded: {report.replications}")
        self.stdout.write(f"Nominations: {report.nominations}, decisions: {report.decisions}")
