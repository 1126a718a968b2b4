"""What a province publishes on its public scorecards (civility/orgs/policies.py explains
the mechanism).

No text found obliges or forbids publishing these figures: each is public by default, as
Civility's own choice, and shown as "to be confirmed" until the province records its
decision. Imported from `InsightsConfig.ready()` so the settings page lists them.
"""

from __future__ import annotations

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from civility.orgs.policies import Label, PolicySpec, declare

AT_PROVINCE = _("Read at the province, whichever unit records it.")


def _public(key: str, label: Label, help_text: Label) -> PolicySpec:
    return declare(
        PolicySpec(
            key=f"scorecards.public_{key}",
            label=label,
            help_text=format_lazy("{} {}", help_text, AT_PROVINCE),
            default=True,
        )
    )


PUBLIC_SATISFACTION = _public(
    "satisfaction",
    _("Public scorecards: citizens' satisfaction"),
    _("Satisfied ratings as a share of all ratings, with its 95 per cent band."),
)
PUBLIC_REPORTS = _public(
    "reports",
    _("Public scorecards: public-place reports closed on time"),
    _("Reports closed by their due date, as a share of the reports closed in the period."),
)
PUBLIC_ASSISTANCE = _public(
    "assistance",
    _("Public scorecards: assistance calls answered in time"),
    _("Calls for assistance acknowledged within 2 minutes, as a share of all calls."),
)
PUBLIC_INSPECTIONS = _public(
    "inspections",
    _("Public scorecards: inspection score"),
    _("The mean score of the inspections submitted in the period."),
)
PUBLIC_RANKING = _public(
    "ranking",
    _("Public scorecards: culture index and rank among sibling units"),
    _("The culture index with its 95 per cent band, and the rank among the sibling units."),
)
REPORTS_MIN_SAMPLE = declare(
    PolicySpec(
        key="scorecards.reports_min_sample",
        label=_("Public scorecards: fewest closed reports to show their rate"),
        help_text=format_lazy(
            "{} {}",
            _(
                "Below this number of reports closed in the period, the scorecard says “not "
                "enough data” instead of a rate."
            ),
            AT_PROVINCE,
        ),
        default=10,
        minimum=1,
        maximum=1000,
        unit=_("reports"),
    )
)
