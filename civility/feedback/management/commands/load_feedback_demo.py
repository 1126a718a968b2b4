"""manage.py load_feedback_demo: ratings, calls, reports and dossier figures for the demo
(run after import_admin_units --province 01, load_demo_data and load_codes; idempotent)."""

from typing import Any

from django.core.management.base import BaseCommand
from django.urls import reverse
from django.utils.translation import gettext as _

from civility.core.i18n import format_number
from civility.feedback.demo import load_feedback_demo


class Command(BaseCommand):
    # load_demo passes a dict to collect the kiosk link for the summary it prints at the end.
    stealth_options = ("summary",)
    help = (
        "Load demo ratings, assistance calls, public-place reports and dossier figures; issue "
        "a new link for the demo official's kiosk (the previous one is revoked)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = load_feedback_demo()
        self.stdout.write(
            _(
                "Citizens' voice demo: counters %(counters)s, new ratings %(ratings)s, "
                "calls %(calls)s, reports %(reports)s, dossier figures %(stats)s."
            )
            % {
                "counters": format_number(report.counters),
                "ratings": format_number(report.ratings),
                "calls": format_number(report.calls),
                "reports": format_number(report.reports),
                "stats": format_number(report.dossier_stats),
            }
        )
        self.stdout.write(_("Follow-up cases: %(cases)s new.") % {"cases": report.cases})
        links = [
            (counter.name, f"{reverse('feedback:kiosk')}#key={secret}")
            for counter, secret in report.kiosk_links or []
        ]
        for name, link in links:
            self.stdout.write(
                _("  Kiosk of %(counter)s: %(link)s") % {"counter": name, "link": link}
            )
        if options.get("summary") is not None:
            options["summary"]["kiosks"] = links
            options["summary"]["citizen"] = [
                (counter.name, reverse("feedback:counter_feedback", args=[counter.pk]))
                for counter, _secret in report.kiosk_links or []
            ]
