"""manage.py load_demo: the whole demo, in the order `make run` needs, then what to open.

One list of the loading steps, used by `make run` and by the test that runs it at the
moments of the day and year that matter (tests/core/test_demo_at_any_hour.py).
"""

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

# Each step is idempotent: a second `make run` on the same data creates nothing twice.
STEPS: tuple[tuple[str, ...], ...] = (
    ("import_admin_units", "--province", "01"),
    ("load_demo_data",),
    ("load_codes", "--unit-code", "01"),
    ("load_codes_demo",),
    ("load_inspections_demo",),
    ("load_conduct_demo",),
    ("load_feedback_demo",),
    ("load_evaluations_demo",),
    ("load_awards_demo",),
    ("load_programmes_demo",),
    ("load_insights_demo",),
    ("load_sonla_demo",),
)
# Steps that hand back what the summary shows (their command's stealth option "summary").
SUMMARISED = ("load_demo_data", "load_feedback_demo", "load_sonla_demo")


class Command(BaseCommand):
    help = (
        "Load Hanoi's units and the whole demo data set, with Son La beside it (idempotent), "
        "then print the logins."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--address", default="127.0.0.1:8000", help="Where the server will answer."
        )

    def handle(self, *args: Any, address: str, **options: Any) -> None:
        # Filled by the steps: "logins" (lines), "kiosks" and "citizen" ((name, link) pairs).
        summary: dict[str, list[Any]] = {}
        for name, *arguments in STEPS:
            extra = {"summary": summary} if name in SUMMARISED else {}
            call_command(name, *arguments, stdout=self.stdout, stderr=self.stderr, **extra)
        site = f"http://{address}"
        write = self.stdout.write
        write("")
        write(self.style.SUCCESS(_("Civility is ready at %(site)s/") % {"site": site}))
        write(_("Demo logins (each sees what its role covers):"))
        for line in summary.get("logins", []):
            write(line)
        write(
            _(
                "Lost a password? Run `DEMO_PASSWORD='a-new-password' make run` to give every "
                "demo login that password, or `.venv/bin/python manage.py changepassword "
                "demo_head` for one login."
            )
        )
        for name, link in summary.get("kiosks", []):
            write(
                _("Kiosk of %(counter)s (a new link each run, the previous one revoked): %(link)s")
                % {"counter": name, "link": site + link}
            )
        for name, link in summary.get("citizen", []):
            write(
                _("A citizen rates %(counter)s without logging in at %(link)s")
                % {"counter": name, "link": site + link}
            )
