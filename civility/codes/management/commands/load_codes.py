"""Load the codes of conduct Civility ships for a province (summaries) under it:
`manage.py load_codes --unit-code 01` (Hanoi's two codes)."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from civility.codes.actions import SEEDS, load_code_seed
from civility.orgs.models import OrgUnit, UnitKind
from civility.orgs.provinces import shipped_for


class Command(BaseCommand):
    help = "Load the codes of conduct shipped for a province (summaries) as published codes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit-code", default="01", help="Official code of the province.")

    def handle(self, *args: str, unit_code: str, **options: object) -> None:
        unit = OrgUnit.objects.filter(kind=UnitKind.PROVINCE, code=unit_code).first()
        if unit is None:
            raise CommandError(f"No province with code {unit_code!r}: import the units first.")
        slugs = shipped_for(unit, SEEDS)
        if not slugs:
            raise CommandError(f"No code of conduct is shipped for {unit.name}.")
        for slug in slugs:
            code = load_code_seed(actor=None, unit=unit, slug=slug)
            self.stdout.write(f"{code.slug}: {code.title}")
