from django.core.management.base import BaseCommand

from civility.insights.demo import load_demo


class Command(BaseCommand):
    help = "Compute the culture index of the demo data for the last twelve months."

    def handle(self, *args: str, **options: object) -> None:
        count = load_demo()
        self.stdout.write(f"Culture index computed for {count} periods.")
