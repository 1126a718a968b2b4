"""manage.py load_demo_data: the Hanoi demo data set (idempotent)."""

import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from civility.orgs.demo import load_demo_data

PASSWORD_VARIABLE = "DEMO_PASSWORD"


class Command(BaseCommand):
    help = (
        "Load a small Hanoi demo data set (units, posts, officials, places, demo users); "
        "imports Hanoi first when it is missing. Set DEMO_PASSWORD to choose the demo "
        "users' password; otherwise new users get a random one, printed once."
    )

    def handle(self, *args, **options) -> None:
        password = os.environ.get(PASSWORD_VARIABLE) or None
        try:
            report = load_demo_data(password=password)
        except ValidationError as error:
            raise CommandError(
                _("%(variable)s: %(problems)s")
                % {"variable": PASSWORD_VARIABLE, "problems": " ".join(error.messages)}
            ) from None
        if report.total_created:
            details = ", ".join(
                f"{count} {model._meta.verbose_name_plural}"
                for model, count in report.created.items()
                if count
            )
            self.stdout.write(_("Demo data created: %(details)s.") % {"details": details})
        else:
            self.stdout.write(_("Demo data already loaded; nothing created."))
        self.stdout.write(_("Demo logins:"))
        for login in report.logins:
            if login.password is None:
                secret = _("password unchanged (set %(variable)s to choose one)") % {
                    "variable": PASSWORD_VARIABLE
                }
            else:
                secret = _("password: %(password)s") % {"password": login.password}
            self.stdout.write(f"  {login.username:<18} {secret}  [{login.label}]")
