"""Settings of the evaluation rules that the legal texts leave open (civility.orgs.policies)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from civility.orgs.policies import PolicySpec, declare

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
