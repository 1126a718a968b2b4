"""manage.py load_programmes_demo: Programme 06-CTr/TU, Plan 176/KH-UBND, indicators and
cultural titles for the Hanoi demo (idempotent)."""

from django.core.management.base import BaseCommand, CommandError

from civility.programmes.demo import load_programmes_demo


class Command(BaseCommand):
    help = "Load demo programmes, tasks, indicators and cultural titles for Hanoi."

    def handle(self, *args: str, **options: object) -> None:
        try:
            created = load_programmes_demo()
        except LookupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(", ".join(f"{count} {name}" for name, count in created.items()))
