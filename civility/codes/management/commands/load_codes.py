"""Load the shipped Hanoi codes (summaries) under a unit: `manage.py load_codes --unit-code 01`."""

from django.core.management.base import BaseCommand, CommandError

from civility.codes.actions import SEEDS, load_code_seed
from civility.orgs.models import OrgUnit, UnitKind


class Command(BaseCommand):
    help = "Load Hanoi's two codes of conduct (summaries in our own words) as published codes."

    def add_arguments(self, parser):
        parser.add_argument("--unit-code", default="01", help="Official code of the province.")

    def handle(self, *args, unit_code: str, **options):
        unit = OrgUnit.objects.filter(kind=UnitKind.PROVINCE, code=unit_code).first()
        if unit is None:
            raise CommandError(f"No province with code {unit_code!r}: import the units first.")
        for slug in SEEDS:
            code = load_code_seed(actor=None, unit=unit, slug=slug)
            self.stdout.write(f"{code.slug}: {code.title}")
