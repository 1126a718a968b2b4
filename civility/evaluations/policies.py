"""Settings of the evaluation rules: choices the texts leave to the province or the agency,
and rules whose source was not found (civility/orgs/policies.py explains the mechanism).

Each is read for the unit that decides (the official's unit for the choice of rule set, the
agency for quotas and approvals) on the day that matters (the month evaluated, the end of
the year classified), and each verdict that used one shows `PolicyValue.explain()`. A
default without a source is Civility's own choice and shows "to be confirmed".
Imported from `EvaluationsConfig.ready()` so the settings page lists them.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from civility.orgs.policies import PolicySpec, PolicyValue, declare, spec_for

NATIONAL = "national"
PROVINCIAL = "provincial"

DOWN = "down"
NEAREST = "nearest"
UP = "up"

SCORE_THEN_HEAD = "score_then_head"
HEAD_DECIDES = "head_decides"

BY_PROVINCE = "province"
BY_OPENER = "period_opener"

BY_AGENCY = "agency"
BY_POST = "post"

OWN_AGENCY_HEAD = "own_agency_head"
LEVEL_ABOVE = "level_above"

MONTHLY_RULE_SET_OVERLAP = declare(
    PolicySpec(
        key="evaluations.monthly_rule_set_overlap",
        label=_("Monthly rule set where a national and a provincial one both apply"),
        help_text=_(
            "Where the province has its own monthly rule set for all its staff, its civil "
            "servants also fall under Decree 335/2025 from 2026 (civil servants nationwide)."
        ),
        default=NATIONAL,
        default_source="335/2025/NĐ-CP Art. 1",
        choices=(
            (NATIONAL, _("The national rule set")),
            (PROVINCIAL, _("The province's own rule set")),
        ),
    )
)
QUOTA_ROUNDING = declare(
    PolicySpec(
        key="evaluations.quota_rounding",
        label=_("Rounding of a quota of the top level"),
        help_text=_(
            "How a share such as 30 per cent of those rated is turned into a number of "
            "people: 30 per cent of 4 is 1.2 (down: 1, nearest: 1, up: 2)."
        ),
        default=DOWN,
        choices=(
            (DOWN, _("Round down")),
            (NEAREST, _("Round to the nearest (halves up)")),
            (UP, _("Round up")),
        ),
    )
)
QUOTA_ORDER = declare(
    PolicySpec(
        key="evaluations.quota_order",
        label=_("Who keeps the top level when candidates exceed the quota"),
        help_text=_("The texts set the share, not who keeps the top level within it."),
        default=SCORE_THEN_HEAD,
        choices=(
            (SCORE_THEN_HEAD, _("Higher score first; at equal scores the head decides")),
            (HEAD_DECIDES, _("The head decides among all candidates")),
        ),
    )
)
OUTSTANDING_UNITS_NAMED_BY = declare(
    PolicySpec(
        key="evaluations.outstanding_units_named_by",
        label=_("Who names the agencies with outstanding results (higher share of grade A)"),
        help_text=_(
            "Decision 3814-QĐ/TU lets agencies with outstanding results give grade A to up to "
            "40 per cent; who names them was not found in the sources."
        ),
        default=BY_PROVINCE,
        choices=(
            (BY_PROVINCE, _("The province's coordinators")),
            (BY_OPENER, _("Whoever opens the evaluation period")),
        ),
    )
)
EXCELLENT_QUOTA_GROUP = declare(
    PolicySpec(
        key="evaluations.excellent_quota_group",
        label=_("Where the share of “excellent” is counted (Decree 335/2025)"),
        help_text=_(
            "Decree 335/2025 Art. 20 cl. 5 counts it within the agency and within each group "
            "of civil servants with similar tasks; Civility knows groups only by post."
        ),
        default=BY_AGENCY,
        choices=(
            (BY_AGENCY, _("The whole agency")),
            (BY_POST, _("Each post within the agency")),
        ),
    )
)
EXCELLENT_SHARE_OUTSTANDING = declare(
    PolicySpec(
        key="evaluations.excellent_share_outstanding",
        label=_("Share of “excellent” for an outstanding agency (Decree 335/2025)"),
        help_text=_(
            "At most this share of those rated “well completed”; 20 per cent is the general "
            "rule. A higher share for outstanding agencies exists, but its wording and who "
            "grants it were not found. Record it on the agencies that have it."
        ),
        default=20,
        minimum=20,
        maximum=100,
        unit="%",
    )
)
MONTHLY_DEPUTY_APPROVER = declare(
    PolicySpec(
        key="evaluations.monthly_deputy_approver",
        label=_("Who approves a deputy head's monthly evaluation"),
        help_text=_(
            "Not found for the monthly evaluation; for the annual one the head of the agency "
            "evaluates the deputies (Decree 90/2020 Art. 16)."
        ),
        default=OWN_AGENCY_HEAD,
        choices=(
            (OWN_AGENCY_HEAD, _("The head of their own agency")),
            (LEVEL_ABOVE, _("The level above the agency")),
        ),
    )
)
LEADER_UNIT_RESULTS_WEIGHT = declare(
    PolicySpec(
        key="evaluations.leader_unit_results_weight",
        label=_("Weight of the unit's results in a leader's task points (Decree 335/2025)"),
        help_text=_(
            "Leaders are also scored on their unit's results (100 per cent when every "
            "subordinate completes their tasks, 50 per cent when any does not); how that enters "
            "the score was not found. 0 leaves it out of the score."
        ),
        default=50,
        minimum=0,
        maximum=100,
        unit="%",
    )
)


def snapshot(value: PolicyValue) -> dict[str, Any]:
    """A setting as applied, stored with a verdict so it is explained as it was."""
    return {
        "key": value.spec.key,
        "value": value.value,
        "source": value.source,
        "set_by": value.chosen_by if value.set_by is not None else "",
        "valid_from": value.valid_from.isoformat() if value.valid_from else "",
    }


def from_snapshot(data: dict[str, Any]) -> PolicyValue:
    """The stored setting, explained as it was applied (the unit that chose it by name)."""
    return PolicyValue(
        spec=spec_for(data["key"]),
        value=data["value"],
        source=data.get("source", ""),
        set_by=data.get("set_by") or None,
        valid_from=datetime.date.fromisoformat(data["valid_from"])
        if data.get("valid_from")
        else None,
    )


# Decree 48/2023 took effect on 15/09/2023 but its rule set governs the whole year 2023; no
# text found says whether a 2023 rating counts an off-duty decision taken before that day.
# Not counting it is the default: no "did not complete tasks" rests on an unconfirmed choice.
OFF_DUTY_DISCIPLINE_BEFORE_DECREE_48 = declare(
    PolicySpec(
        key="evaluations.off_duty_discipline_before_decree_48",
        label=_("2023 rating counts discipline for off-duty conduct decided before 15/09/2023"),
        help_text=_(
            "Decree 48/2023 (in force from 15/09/2023) counts any discipline in the year; "
            "before it, Decree 90/2020 counted only discipline for violations committed in "
            "performing duties. No text was found on a 2023 rating and an off-duty decision "
            "taken before 15/09/2023."
        ),
        default=False,
    )
)
