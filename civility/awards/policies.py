"""Choices about awards that the texts found leave open (civility.orgs.policies).

None of them has a source yet: each is shown as "to be confirmed" until a unit records its
choice with the document that decides it (domain audit of December 2026, "Awards").
"""

from django.utils.translation import gettext_lazy as _

from civility.orgs.policies import PolicySpec, declare

ADVANCED_WORKER_RECRUITED_UNDER_10_MONTHS = declare(
    PolicySpec(
        key="awards.advanced_worker_recruited_under_10_months",
        label=_("Advanced Worker: officials recruited less than 10 months before are excluded"),
        help_text=_(
            "Decree 91/2017/NĐ-CP excluded them; whether Decrees 98/2023 and 152/2025 keep "
            "the exclusion was not found. Applied by default, as before, until confirmed."
        ),
        default=True,
    )
)
ADVANCED_WORKER_DISCIPLINED = declare(
    PolicySpec(
        key="awards.advanced_worker_disciplined",
        label=_("Advanced Worker: officials disciplined at reprimand or above are excluded"),
        help_text=_(
            "Decree 91/2017/NĐ-CP excluded officials disciplined at reprimand or above in the "
            "year; whether Decrees 98/2023 and 152/2025 keep the exclusion was not found. "
            "Applied by default, as before, until confirmed."
        ),
        default=True,
    )
)
BONUS_ROUNDING_DECREE_152 = declare(
    PolicySpec(
        key="awards.bonus_rounding_decree_152",
        label=_("Bonuses decided under Decree 152/2025: rounded up to the tens of thousands"),
        help_text=_(
            "Decree 98/2023/NĐ-CP Art. 53 cl. 1–2 rounds bonuses up to the tens of thousands of "
            "đồng; whether Decree 152/2025/NĐ-CP keeps the rule was not found. Applies to "
            "decisions from 1 July 2025; the rounding is kept by default until confirmed."
        ),
        default=True,
    )
)
