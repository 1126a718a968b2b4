"""A province's profile: the words that differ from one province to the next, recorded as
settings (civility.orgs.policies) at the province unit, with the document they come from.

Settings rather than a model of their own: each value is chosen by the province from a date,
applies to its subtree, is audited, listed on the unit's settings page and explained with its
ground, which is what a profile needs. Names and places that follow from the unit tree itself
(the province's name, "thành phố" or "tỉnh") are not settings: civility.orgs.provinces derives
them.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from civility.orgs.policies import PolicySpec, declare

AUTHORITY_NAME = declare(
    PolicySpec(
        key="province.authority_name",
        label=_("Authority printed in letterheads"),
        help_text=_(
            "The authority printed above the name of a body directly under the province on "
            "its documents (Decree 30/2020/NĐ-CP), e.g. “ỦY BAN NHÂN DÂN TỈNH …”. Empty: the "
            "province's own name."
        ),
        default="",
    )
)
REVIEW_DIRECTIVE = declare(
    PolicySpec(
        key="province.review_directive",
        label=_("Directive on discipline and responsibility"),
        help_text=_(
            "The province's own directive, cited on the follow-up list and next to delayed "
            "tasks, that asks to review delayed tasks and to replace or transfer officials "
            "who repeatedly fail (its number, e.g. “24-CT/TU”). Empty: none is cited."
        ),
        default="",
    )
)
