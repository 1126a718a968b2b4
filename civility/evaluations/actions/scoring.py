"""The arithmetic behind the monthly steps: cleaning work items and points, the facts
snapshot, a leader's unit results and the quota applied at approval."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from civility.evaluations import facts as facts_module
from civility.evaluations import policies
from civility.evaluations.models import (
    Evaluation,
    Step,
)
from civility.evaluations.rules import (
    LEVEL_ORDER,
    Level,
    MonthlyRuleSet,
    Score,
    WorkItem,
    level_rank,
    q2,
    score,
    unit_results_rate,
)
from civility.orgs.models import (
    AgencyRole,
)
from civility.orgs.policies import policy


def clean_work_items(raw: list[dict[str, Any]]) -> list[WorkItem]:
    """Work items from a form or the API; errors name the row."""
    items: list[WorkItem] = []
    for number, row in enumerate(raw, start=1):
        title = str(row.get("title", "")).strip()
        if not title:
            raise ValidationError(
                {"work_items": _("Work item %(row)d: give it a title.") % {"row": number}}
            )
        try:
            item = WorkItem.from_dict({**row, "title": title})
        except (InvalidOperation, TypeError, ValueError) as error:
            raise ValidationError(
                {"work_items": _("Work item %(row)d: a number is not valid.") % {"row": number}}
            ) from error
        if item.weight <= 0 or item.weight > 100:
            raise ValidationError(
                {
                    "work_items": _(
                        "Work item %(row)d: the weight must be above 0 and at most 100."
                    )
                    % {"row": number}
                }
            )
        if item.delays < 0 or item.quality_failures < 0 or item.delays > 20:
            raise ValidationError(
                {
                    "work_items": _(
                        "Work item %(row)d: delays and failed reviews are counts from 0 to 20."
                    )
                    % {"row": number}
                }
            )
        if not item.done and (item.delays or item.quality_failures or item.exceeded):
            raise ValidationError(
                {
                    "work_items": _(
                        "Work item %(row)d: an item not done has no delays, reviews or excess."
                    )
                    % {"row": number}
                }
            )
        items.append(item)
    return items


def _clean_points(
    rules: MonthlyRuleSet, points: Mapping[str, object], *, field: str
) -> dict[str, str]:
    cleaned: dict[str, str] = {}
    for part in rules.rated_parts():
        raw = points.get(part.key)
        if raw in (None, ""):
            raise ValidationError(
                {f"{field}_{part.key}": _("Give the points for %(part)s.") % {"part": part.label}}
            )
        try:
            value = Decimal(str(raw))
        except InvalidOperation as error:
            raise ValidationError({f"{field}_{part.key}": _("Points must be a number.")}) from error
        if value < 0 or value > part.maximum:
            raise ValidationError(
                {
                    f"{field}_{part.key}": _(
                        "%(part)s must be between 0 and %(maximum)s points (rule %(rule)s)."
                    )
                    % {"part": part.label, "maximum": part.maximum, "rule": rules.legal_basis}
                }
            )
        cleaned[part.key] = str(q2(value))
    return cleaned


def take_snapshot(evaluation: Evaluation) -> None:
    period = evaluation.period
    evaluation.facts = facts_module.month_facts(evaluation.official, period.month, period.month_end)
    evaluation.facts_taken_at = timezone.now()


def preview_facts(evaluation: Evaluation) -> dict[str, Any]:
    """The facts as stored once approved; live (not stored) before."""
    stored: dict[str, Any] = evaluation.facts
    if evaluation.step == Step.DONE and stored:
        return stored
    period = evaluation.period
    return facts_module.month_facts(evaluation.official, period.month, period.month_end)


def unit_results(
    evaluation: Evaluation, rules: MonthlyRuleSet, items: list[WorkItem]
) -> tuple[Decimal | None, int, dict[str, Any]]:
    """Decree 335/2025 (article to be confirmed): a leader's unit results (100 or 50), the
    weight they have in the task points (policies.LEADER_UNIT_RESULTS_WEIGHT) and the record
    kept on the evaluation. The head's and deputies' unit is their agency (deputies' fields
    are not recorded, so the whole agency but its head and deputies counts), another
    leader's their own unit; subordinates count once rated. No subordinate rated: no rate."""
    if not (rules.scores_leaders_on_unit and evaluation.is_leader):
        return None, 0, {}
    scope = evaluation.agency if evaluation.agency_role else evaluation.unit
    subordinates = (
        Evaluation.objects.scored()
        .filter(period__month=evaluation.period.month, unit__path__startswith=scope.path)
        .exclude(pk=evaluation.pk)
    )
    if evaluation.agency_role == AgencyRole.DEPUTY:
        subordinates = subordinates.exclude(
            agency_id=evaluation.agency_id, agency_role__in=AgencyRole.values
        )
    levels = list(
        subordinates.filter(step__in=(Step.APPROVAL, Step.DONE)).values_list("level", flat=True)
    )
    rate = unit_results_rate(levels)
    record: dict[str, Any] = {
        "scope": scope.name,
        "subordinates": subordinates.count(),
        "rated": len(levels),
        "not_completed": sum(1 for level in levels if level == Level.NOT_COMPLETED),
        "rate": str(rate) if rate is not None else "",
        "own_tasks": str(rules.task_points(items)),
    }
    if rate is None:
        return None, 0, record
    weight = policy(
        policies.LEADER_UNIT_RESULTS_WEIGHT.key,
        unit=evaluation.agency,
        on=evaluation.period.month,
    )
    record["weight"] = weight.value
    record["policies"] = [policies.snapshot(weight)]
    return rate, int(weight.value), record


def _score(
    evaluation: Evaluation,
    rules: MonthlyRuleSet,
    points: Mapping[str, object],
    items: list[WorkItem],
) -> Score:
    rate, weight, record = unit_results(evaluation, rules, items)
    evaluation.unit_results = record
    return score(rules, points=points, items=items, unit_rate=rate, unit_weight=weight)


def quota_outcome(evaluation: Evaluation, *, lock: bool = False) -> dict[str, Any]:
    """What the rule set's quota does to the evaluation approved now: {} when it keeps its
    level, else the quota line (kept as `Evaluation.quota`) with the settings used.

    The quota counts everyone evaluated under the same rule set in the agency that month
    (Decision 3814-QĐ/TU: "of the agency or unit"). The places go to those approved with the
    level first; under the default order, candidates awaiting approval with a higher score
    keep their claim, and at equal scores the head decides by approving (policies.QUOTA_ORDER).
    """
    rules = evaluation.rules
    quota = rules.quota if rules else None
    if rules is None or quota is None or evaluation.level != quota.level:
        return {}
    month = evaluation.period.month
    peers = Evaluation.objects.filter(
        period__month=month, agency_id=evaluation.agency_id, rule_set=rules.key
    ).exclude(pk=evaluation.pk)
    if lock:
        peers = peers.select_for_update()
    population = len(peers) + 1
    exceptional = evaluation.period.exceptional_units.filter(pk=evaluation.agency_id).exists()
    rounding = policy(policies.QUOTA_ROUNDING.key, unit=evaluation.agency, on=month)
    order = policy(policies.QUOTA_ORDER.key, unit=evaluation.agency, on=month)
    cap = quota.cap(population, exceptional=exceptional, rounding=str(rounding.value))
    held = peers.filter(step=Step.DONE, level=quota.level).count()
    ahead = 0
    if order.value == policies.SCORE_THEN_HEAD:
        ahead = peers.filter(
            step=Step.APPROVAL, level=quota.level, total__gt=evaluation.total
        ).count()
    if held + ahead < cap:
        return {}
    lowered = LEVEL_ORDER[level_rank(quota.level) - 1]
    used = [policies.snapshot(rounding), policies.snapshot(order)]
    if exceptional:
        named_by = policy(
            policies.OUTSTANDING_UNITS_NAMED_BY.key, unit=evaluation.period.unit, on=month
        )
        used.append(policies.snapshot(named_by))
    return {
        "code": "quota_monthly",
        "params": {
            "rule": rules.legal_basis,
            "percent": str(quota.exceptional_percent if exceptional else quota.percent),
            "agency": evaluation.agency.name,
            "population": str(population),
            "cap": str(cap),
            "held": str(held),
            "ahead": str(ahead),
            "level": quota.level,
            "grade": rules.grade_for(quota.level),
            "to": lowered,
            "to_grade": rules.grade_for(lowered),
            "outstanding": "1" if exceptional else "",
        },
        "sources": [quota.source],
        "policies": used,
    }


def _apply_quota(evaluation: Evaluation) -> None:
    evaluation.quota = quota_outcome(evaluation, lock=True)
    if evaluation.quota:
        evaluation.level = evaluation.quota["params"]["to"]
        evaluation.grade = evaluation.quota["params"]["to_grade"]
