"""The page of the evaluation rule sets: where and to whom each applies, and each rule with
its legal source or the setting that decides it, as in force for the reader's unit."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from civility.core.http import AuthenticatedRequest
from civility.evaluations.explain import rule_lines
from civility.evaluations.models import READER_ROLES
from civility.evaluations.rules import (
    ANNUAL_RULE_SETS,
    MONTHLY_RULE_SETS,
    AnnualRuleSet,
    MonthlyRuleSet,
)
from civility.orgs.access import open_to
from civility.orgs.context_processors import focus_unit
from civility.orgs.models import Official, OrgUnit, StaffCategory, UnitKind
from civility.orgs.scopes import scope_of


def reads_rules(user: User) -> bool:
    """Readers of evaluations, and every official: the rules that score them."""
    return scope_of(user).holds(*READER_ROLES) or Official.objects.filter(user=user).exists()


def _reader_unit(request: AuthenticatedRequest) -> OrgUnit | None:
    unit = focus_unit(request, READER_ROLES)
    if unit is not None:
        return unit
    official = Official.objects.filter(user=request.user).select_related("unit").first()
    return official.unit if official else None


@login_required
@require_GET
@open_to(reads_rules)
def rule_set_list(request: AuthenticatedRequest) -> HttpResponse:
    unit = _reader_unit(request)
    if unit is None:
        raise Http404
    today = timezone.localdate()
    provinces = dict(OrgUnit.objects.filter(kind=UnitKind.PROVINCE).values_list("code", "name"))
    categories = dict(StaffCategory.choices)

    def describe(rules: MonthlyRuleSet | AnnualRuleSet) -> dict[str, Any]:
        return {
            "rules": rules,
            "provinces": [provinces.get(code, code) for code in rules.provinces]
            if rules.provinces is not None
            else None,
            "categories": [categories[value] for value in rules.staff_categories],
            "lines": rule_lines(rules, unit=unit, on=today),
        }

    return render(
        request,
        "evaluations/rule_set_list.html",
        {
            "unit": unit,
            "monthly": [describe(rules) for rules in MONTHLY_RULE_SETS],
            "annual": [describe(rules) for rules in ANNUAL_RULE_SETS],
        },
    )
