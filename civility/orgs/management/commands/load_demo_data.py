"""manage.py load_demo_data: the Hanoi demo data set (idempotent)."""

import os
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from civility.orgs.demo import DemoLogin, load_demo_data

PASSWORD_VARIABLE = "DEMO_PASSWORD"


class Command(BaseCommand):
    # load_demo passes a dict to collect the logins for the summary it prints at the end.
    stealth_options = ("summary",)
    help = (
        "Load a small Hanoi demo data set (units, posts, officials, places, demo users); "
        "imports Hanoi first when it is missing. Set DEMO_PASSWORD to choose the demo "
        "users' password; otherwise new users get a random one, printed once."
    )

    def handle(self, *args: str, **options: Any) -> None:
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
        lines = [login_line(login) for login in report.logins]
        self.stdout.write(_("Demo logins:"))
        for line in lines:
            self.stdout.write(line)
        if options.get("summary") is not None:
            options["summary"].setdefault("logins", []).extend(lines)


def login_line(login: DemoLogin) -> str:
    if login.password is None:
        secret = _("password unchanged (set %(variable)s to choose one)") % {
            "variable": PASSWORD_VARIABLE
        }
    else:
        secret = _("password: %(password)s") % {"password": login.password}
    line = f"  {login.username:<18} {secret}  [{login.label}]"
    if login.two_factor_key:
        line += (
            "\n"
            + " " * 21
            + _(
                "two-step sign-in key: %(key)s (add it to an authenticator app, or print the "
                "current code with: manage.py two_factor_code %(username)s)"
            )
            % {"key": login.two_factor_key, "username": login.username}
        )
    return line
