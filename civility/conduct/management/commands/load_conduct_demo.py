"""manage.py load_conduct_demo: Hanoi's violation catalogue and demo records (idempotent)."""

from django.core.management.base import BaseCommand, CommandError

from civility.conduct.demo import load_conduct_demo


class Command(BaseCommand):
    help = (
        "Load Hanoi's starting violation catalogue and a dozen demo violation records "
        "(run after import_admin_units --province 01, load_demo_data and load_codes)."
    )

    def handle(self, *args: str, **options: object) -> None:
        try:
            report = load_conduct_demo()
        except LookupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Catalogue types created: {report.types}")
        self.stdout.write(f"Violation records created: {report.records}")
        for code, secret in report.receipts:
            self.stdout.write(f"Anonymous report receipt: {code}  secret: {secret}")
