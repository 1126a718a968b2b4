from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from civility.insights import actions
from civility.insights.periods import Period, PeriodError


class Command(BaseCommand):
    help = "Recount the rollups and the culture index (default: the periods the job keeps)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("periods", nargs="*", help="e.g. 2026 2026-H1 2026-Q1 2026-03")

    def handle(self, *args: str, periods: list[str], **options: object) -> None:
        try:
            chosen = [Period.parse(text) for text in periods]
        except PeriodError as error:
            raise CommandError(str(error)) from error
        today = timezone.localdate()
        chosen = chosen or actions.current_periods(today)
        actions.refresh(periods=chosen, today=today)
        self.stdout.write(", ".join(p.slug for p in chosen))
