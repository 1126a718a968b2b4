"""Legal rule sets for emulation and commendation, by date.

Each nomination stores the rule set its title version was written under, and each decision
the rule set in force on its date, so a title awarded under Decree 98/2023 stays readable after
Decree 152/2025 replaced it on 1 July 2025 (framework §4.1, "Modelling implications" A).
The conditions themselves (classification, shares, consecutive years, quotas) live on each
title version (AwardTitle), editable by administrators; this module only names the texts.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from civility.core import rules


@dataclass(frozen=True)
class RuleSet(rules.DatedRuleSet):
    note: str | Promise = ""


LAW_2003 = RuleSet(
    key="law-2003",
    name=_(
        "Law on Emulation and Commendation 2003 (amended 2005, 2013) and Decree 91/2017/NĐ-CP, "
        "before 2024"
    ),
    legal_basis="Luật Thi đua, khen thưởng 2003 (sửa đổi, bổ sung 2005, 2013); "
    "Nghị định 91/2017/NĐ-CP",
    valid_from=None,
    valid_to=datetime.date(2023, 12, 31),
    note=_(
        "For recording decisions taken before 2024, so that titles awarded then count as "
        "earlier titles held. The conditions of its titles were not checked against these "
        "texts: they are settings, to be confirmed."
    ),
)
DECREE_98_2023 = RuleSet(
    key="decree-98-2023",
    name=_("Law 06/2022/QH15 and Decree 98/2023/NĐ-CP"),
    legal_basis="Luật 06/2022/QH15; Nghị định 98/2023/NĐ-CP",
    valid_from=datetime.date(2024, 1, 1),
    valid_to=datetime.date(2025, 6, 30),
)
DECREE_152_2025 = RuleSet(
    key="decree-152-2025",
    name=_("Law 06/2022/QH15 and Decree 152/2025/NĐ-CP (from 1 July 2025)"),
    legal_basis="Luật 06/2022/QH15; Nghị định 152/2025/NĐ-CP",
    valid_from=datetime.date(2025, 7, 1),
    valid_to=None,
    note=_(
        "Decree 152/2025 carries over Decree 98/2023's principles and bonus multipliers. "
        "A draft law amending Law 06/2022 was reported in 2025; its adoption was not confirmed."
    ),
)

# The texts cited by the rules (domain audit of December 2026, "Awards" and "Base salary").
LAW_06_2022 = "Luật Thi đua, khen thưởng số 06/2022/QH15"
DECREE_91_2017_ART_68 = "Nghị định 91/2017/NĐ-CP, Điều 68"
DECREE_98_2023_ART_53 = "Nghị định 98/2023/NĐ-CP, Điều 53 khoản 1–2"
DECREE_98_2023_ART_54 = "Nghị định 98/2023/NĐ-CP, Điều 54"

# Title keys the law attaches rules to beyond the catalogue's conditions.
ADVANCED_WORKER = "advanced-worker"

RULE_SETS: tuple[RuleSet, ...] = (LAW_2003, DECREE_98_2023, DECREE_152_2025)
RULE_SET_CHOICES = rules.choices(RULE_SETS)


def rule_set_on(day: datetime.date) -> RuleSet:
    return rules.in_force_on(RULE_SETS, day, law="emulation")


def rule_set_by_key(key: str) -> RuleSet | None:
    return rules.by_key(RULE_SETS, key)


class Classification(models.TextChoices):
    """The four legal levels of the annual classification (framework §3.1)."""

    EXCELLENT = "excellent", _("Excellently completed tasks")
    GOOD = "good", _("Well completed tasks")
    COMPLETED = "completed", _("Completed tasks")
    NOT_COMPLETED = "not_completed", _("Did not complete tasks")


CLASSIFICATION_RANK: dict[str, int] = {
    Classification.NOT_COMPLETED: 1,
    Classification.COMPLETED: 2,
    Classification.GOOD: 3,
    Classification.EXCELLENT: 4,
}


def at_least(level: str, required: str) -> bool:
    return CLASSIFICATION_RANK.get(level, 0) >= CLASSIFICATION_RANK[required]


# Disciplinary forms from the mildest up, as civility.conduct stores them. A threshold
# "warning" disqualifies a warning and anything heavier.
DISCIPLINE_ORDER = (
    "reprimand",
    "warning",
    "salary_step_reduction",
    "demotion",
    "dismissal_from_post",
    "forced_termination",
    "removal_from_office",
)


def discipline_at_least(form: str, threshold: str) -> bool:
    if form not in DISCIPLINE_ORDER or threshold not in DISCIPLINE_ORDER:
        return bool(form)  # an unknown form counts, rather than being overlooked
    return DISCIPLINE_ORDER.index(form) >= DISCIPLINE_ORDER.index(threshold)
