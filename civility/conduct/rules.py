"""Disciplinary rule sets: which forms and severities a decision may use, by decision date.

A confirmed record stores the key of the rule set in force on its decision date, so a record
decided under Decree 112/2020 stays readable (and valid) after Decree 172/2025 replaced it on
1 July 2025. Facts come from the shared domain notes (framework §3.6); where they were not
found the rule set says so in `notes` and the page shows it, rather than guessing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from civility.core import rules
from civility.orgs.models import StaffCategory


class Severity(models.TextChoices):
    LESS_SERIOUS = "less_serious", _("Less serious")
    SERIOUS = "serious", _("Serious")
    VERY_SERIOUS = "very_serious", _("Very serious")


class DisciplineForm(models.TextChoices):
    REPRIMAND = "reprimand", _("Reprimand")
    WARNING = "warning", _("Warning")
    SALARY_STEP_REDUCTION = "salary_step_reduction", _("Salary-step reduction (before 1 Jul 2025)")
    DEMOTION = "demotion", _("Demotion (before 1 Jul 2025)")
    DISMISSAL_FROM_POST = "dismissal_from_post", _("Dismissal from post")
    FORCED_TERMINATION = "forced_termination", _("Forced termination")
    REMOVAL_FROM_OFFICE = "removal_from_office", _("Removal from elected office")


@dataclass(frozen=True)
class RuleSet(rules.DatedRuleSet):
    forms: dict[str, tuple[str, ...]]  # by staff category
    leader_only: frozenset[str]
    severities: tuple[str, ...] = tuple(Severity.values)
    non_leader_only: frozenset[str] = frozenset()
    notes: dict[str, str | Promise] = field(default_factory=dict)  # by staff category

    def forms_for(self, staff_category: str, *, is_leader: bool) -> tuple[str, ...]:
        forms = self.forms.get(staff_category, ())
        excluded = self.non_leader_only if is_leader else self.leader_only
        return tuple(form for form in forms if form not in excluded)

    def note_for(self, staff_category: str) -> str | Promise:
        return self.notes.get(staff_category, "")


F = DisciplineForm
_CADRE = (F.REPRIMAND, F.WARNING, F.DISMISSAL_FROM_POST, F.REMOVAL_FROM_OFFICE)
_EMPLOYEE = (F.REPRIMAND, F.WARNING, F.DISMISSAL_FROM_POST, F.FORCED_TERMINATION)

DECREE_112_2020 = RuleSet(
    key="decree-112-2020",
    name=_("Decree 112/2020/NĐ-CP (decisions before 1 July 2025)"),
    legal_basis="112/2020/NĐ-CP",
    valid_from=None,
    valid_to=datetime.date(2025, 6, 30),
    forms={
        StaffCategory.CADRE: _CADRE,
        StaffCategory.CIVIL_SERVANT: (
            F.REPRIMAND,
            F.WARNING,
            F.SALARY_STEP_REDUCTION,
            F.DEMOTION,
            F.DISMISSAL_FROM_POST,
            F.FORCED_TERMINATION,
        ),
        StaffCategory.PUBLIC_EMPLOYEE: _EMPLOYEE,
        StaffCategory.WORKER: _EMPLOYEE,
    },
    # Decree 112/2020 Art. 7: leaders are demoted (giáng chức) or removed (cách chức); a
    # salary-step reduction (hạ bậc lương) is for civil servants who are not leaders.
    leader_only=frozenset({F.DEMOTION, F.DISMISSAL_FROM_POST}),
    non_leader_only=frozenset({F.SALARY_STEP_REDUCTION}),
)

DECREE_172_2025 = RuleSet(
    key="decree-172-2025",
    name=_("Decree 172/2025/NĐ-CP (from 1 July 2025)"),
    legal_basis="172/2025/NĐ-CP",
    valid_from=datetime.date(2025, 7, 1),
    valid_to=None,
    forms={
        StaffCategory.CADRE: _CADRE,
        StaffCategory.CIVIL_SERVANT: (
            F.REPRIMAND,
            F.WARNING,
            F.DISMISSAL_FROM_POST,
            F.FORCED_TERMINATION,
        ),
        StaffCategory.PUBLIC_EMPLOYEE: _EMPLOYEE,
        StaffCategory.WORKER: _EMPLOYEE,
    },
    leader_only=frozenset({F.DISMISSAL_FROM_POST}),
    notes={
        StaffCategory.PUBLIC_EMPLOYEE: _(
            "Decree 172/2025 covers cadres and civil servants; the forms for public employees "
            "after 1 July 2025 were not confirmed. Check the text that applies."
        ),
        StaffCategory.WORKER: _(
            "Decree 172/2025 covers cadres and civil servants; check the rules that apply to "
            "workers under their contracts."
        ),
    },
)

RULE_SETS: tuple[RuleSet, ...] = (DECREE_112_2020, DECREE_172_2025)
RULE_SET_CHOICES = rules.choices(RULE_SETS)


def rule_set_on(day: datetime.date) -> RuleSet:
    """The rule set in force on `day` (the decision date)."""
    return rules.in_force_on(RULE_SETS, day, law="disciplinary")


def rule_set_by_key(key: str) -> RuleSet | None:
    return rules.by_key(RULE_SETS, key)
