"""manage.py load_sonla_demo: Son La beside Hanoi (idempotent; after load_demo_data)."""

import os
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from civility.core.i18n import format_number
from civility.orgs.management.commands.load_demo_data import PASSWORD_VARIABLE, login_line
from civility.orgs.sonla_demo import load_sonla_demo


class Command(BaseCommand):
    # load_demo passes a dict to collect the logins for the summary it prints at the end.
    stealth_options = ("summary",)
    help = (
        "Load a small Son La demo beside Hanoi's: its units (imported when missing), a "
        "coordinator login, officials of Phường Tô Hiệu, its settings and its workplace-culture "
        "movement. Run load_demo_data first. DEMO_PASSWORD sets the login's password."
    )

    def handle(self, *args: str, **options: Any) -> None:
        password = os.environ.get(PASSWORD_VARIABLE) or None
        try:
            report = load_sonla_demo(password=password)
        except ValidationError as error:
            raise CommandError(
                _("%(variable)s: %(problems)s")
                % {"variable": PASSWORD_VARIABLE, "problems": " ".join(error.messages)}
            ) from None
        except LookupError as error:
            raise CommandError(str(error)) from None
        if report.total_created:
            self.stdout.write(
                _("Son La demo created: rows %(count)s.")
                % {"count": format_number(report.total_created)}
            )
        else:
            self.stdout.write(_("Son La demo already loaded; nothing created."))
        lines = [login_line(login) for login in report.logins]
        for line in lines:
            self.stdout.write(line)
        if options.get("summary") is not None:
            options["summary"].setdefault("logins", []).extend(lines)
