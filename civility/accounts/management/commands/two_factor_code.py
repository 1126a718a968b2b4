"""manage.py two_factor_code USERNAME: the current sign-in code of a user's authenticator.

For development only (refused unless DEBUG): a newcomer signs in to the demo as its
administrator or coordinator without installing an authenticator app. Reading the key from
the database gives the same power, so this opens nothing that database access does not.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django_otp.oath import TOTP

from civility.accounts.two_factor import confirmed_device


class Command(BaseCommand):
    help = "Print the current two-step sign-in code of a user (development only, DEBUG=true)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(_("This command only works in development (DEBUG=true)."))
        user = get_user_model().objects.filter(username=options["username"]).first()
        device = confirmed_device(user) if user is not None else None
        if device is None:
            raise CommandError(
                _("%(username)s has no two-step sign-in device.")
                % {"username": options["username"]}
            )
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():0{device.digits}d}")
