"""manage.py load_codes_demo: an open commitment campaign for the demo (idempotent)."""

from django.core.management.base import BaseCommand, CommandError

from civility.codes.demo import load_codes_demo


class Command(BaseCommand):
    help = (
        "Start this year's commitment campaign on the officials' code when none is open "
        "(run after import_admin_units --province 01, load_demo_data and load_codes)."
    )

    def handle(self, *args: str, **options: object) -> None:
        try:
            campaign = load_codes_demo()
        except LookupError as error:
            raise CommandError(str(error)) from None
        if campaign is None:
            self.stdout.write("A commitment campaign is open; nothing to do.")
        else:
            self.stdout.write(f"Commitment campaign started: {campaign.title}")
