"""The proposed annual classification of one official: the grounds under the rule set for
the year, each with its reason and legal source."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, cast

from django.utils import timezone

from civility.evaluations import facts as facts_module
from civility.evaluations import policies
from civility.evaluations.models import (
    AnnualClassification,
    Evaluation,
    EvaluationQuerySet,
)
from civility.evaluations.rules import (
    DECREE_48,
    DECREE_90,
    DECREE_335,
    MONTHLY_COMPLETED_FLOOR,
    AnnualLevel,
    AnnualMethod,
    AnnualRuleSet,
    CriteriaResult,
    Level,
    WorkItem,
    at_most,
    cite,
    criteria_level,
    decree_90_article,
    level_rank,
    q2,
)
from civility.orgs.models import Official
from civility.orgs.policies import policy

# The proposed level when the records allow no legal verdict: no level is proposed and the
# evaluator assesses it (the reasons say why). Never stored as a final level.
TO_ASSESS = ""


def _reason(
    code: str,
    counts: Mapping[str, object] | None = None,
    /,
    *,
    sources: list[dict[str, str]] | None = None,
    used: list[dict[str, Any]] | None = None,
    **params: object,
) -> dict[str, Any]:
    """A reason line: a code, its parameters, the sources of the rule it applies
    (`rules.cite`) and the settings it used (`policies.snapshot`), rendered in the reader's
    language by `explain`. `counts` are parameters gathered beforehand (criteria counts)."""
    reason: dict[str, Any] = {
        "code": code,
        "params": {key: str(value) for key, value in {**params, **(counts or {})}.items()},
    }
    if sources:
        reason["sources"] = sources
    if used:
        reason["policies"] = used
    return reason


def _criteria_outcome(
    result: CriteriaResult,
    *,
    staff_category: str,
    is_leader: bool,
    average: Decimal | None,
) -> tuple[str, dict[str, Any]]:
    """The proposed level from Decree 90's task criteria, and its reason with sources.

    "Did not complete" on ground (b) is proposed only for civil servants and public
    employees not in a leadership post (the grounds confirmed in the legal notes), and only
    when the approved monthly scores agree (average under 50); otherwise, like the band from
    20% to 50% short and a year without work items, the evaluator assesses it."""
    completed = decree_90_article("completed", staff_category, is_leader=is_leader)
    not_completed = decree_90_article("not_completed", staff_category, is_leader=is_leader)
    counts = {**result.counts, "percent": result.short_percent}
    if result.ground == "no_items":
        return TO_ASSESS, _reason("no_items", sources=[cite(DECREE_90, not_completed)])
    if result.ground == "short_between":
        sources = [cite(DECREE_90, completed), cite(DECREE_90, not_completed, point="b")]
        if not completed:
            sources = [cite(DECREE_90)]
        return TO_ASSESS, _reason("criteria_between", counts, sources=sources)
    if result.ground == "short_over_half":
        if not not_completed:
            return TO_ASSESS, _reason("criteria_unconfirmed", counts, sources=[cite(DECREE_90)])
        sources = [cite(DECREE_90, not_completed, point="b")]
        if average is not None and average >= MONTHLY_COMPLETED_FLOOR:
            return TO_ASSESS, _reason("criteria_disagree", counts, sources=sources, average=average)
        return Level.NOT_COMPLETED, _reason("criteria_over_half", counts, sources=sources)
    article = completed if result.level == Level.COMPLETED else ""
    # The level is None only on the grounds answered above.
    return result.level or TO_ASSESS, _reason(
        "criteria", result.counts, sources=[cite(DECREE_90, article)], level=result.level
    )


def _duty_sources(rules: AnnualRuleSet, official: Official) -> list[dict[str, str]]:
    """The ground counting discipline for a violation related to duties."""
    if rules.method == AnnualMethod.AVERAGE_SCORE:
        return [cite(DECREE_335, "20", clause="1–4")]
    article = decree_90_article(
        "not_completed", official.staff_category, is_leader=official.is_leader
    )
    return [cite(DECREE_90, article, point="c" if article else "")]


def _discipline_reason(
    decision: dict[str, Any],
    rules: AnnualRuleSet,
    official: Official,
    year: int,
    *,
    rated_on: datetime.date,
    earlier_fails: set[int],
) -> dict[str, Any]:
    """The reason line for one disciplinary decision of the year: code "discipline" when it
    makes the official "did not complete tasks", another code when it does not."""
    params = {
        "number": decision["number"],
        "form": decision["form"],
        "date": decision["decision_date"],
    }
    counts_any = rules.counts_any_discipline(rated_on)
    ground_c = _duty_sources(rules, official)
    if counts_any:
        ground_c.append(cite(DECREE_48, "1", clause="4"))
    occurred_year = int(decision["occurred_on"][:4])
    # Decree 48 exception (i): the violation's own year was already "did not complete tasks".
    counted_before = occurred_year in earlier_fails and occurred_year < year
    if counts_any and rules.same_violation_once and counted_before:
        return _reason(
            "discipline_counted_before",
            sources=[cite(DECREE_90, "2", clause="5"), cite(DECREE_48, "1", clause="4")],
            number=decision["number"],
            year=occurred_year,
        )
    if decision["related_to_duties"] and rules.duty_discipline_fails:
        return _reason("discipline", sources=ground_c, ground="duty", **params)
    if not counts_any:
        return _reason("discipline_not_duty", sources=ground_c, **params)
    decided_on = datetime.date.fromisoformat(decision["decision_date"])
    if rules.any_discipline_from is not None and decided_on < rules.any_discipline_from:
        # Decided before Decree 48 took effect, counted in a rating made after: the texts
        # found do not settle it, so the province's setting does.
        setting = policy(
            policies.OFF_DUTY_DISCIPLINE_BEFORE_DECREE_48.key,
            unit=official.unit,
            on=datetime.date(year, 12, 31),
        )
        code = "discipline" if setting.value else "discipline_before_decree_48"
        used = [policies.snapshot(setting)]
        return _reason(code, sources=ground_c, used=used, ground="any", **params)
    return _reason("discipline", sources=ground_c, ground="any", **params)


def _approved_in_year(official: Official, year: int) -> EvaluationQuerySet:
    return Evaluation.objects.approved().filter(official=official, period__month__year=year)


def _earlier_fail_years(official: Official, year: int) -> set[int]:
    return set(
        AnnualClassification.objects.filter(
            official=official, year__lt=year, final_level=AnnualLevel.NOT_COMPLETED
        )
        .exclude(confirmed_at__isnull=True)
        .values_list("year", flat=True)
    )


def compute_proposal(
    official: Official,
    year: int,
    rules: AnnualRuleSet | None,
    *,
    months_worked: int,
    months_absent: int,
    maternity_leave: bool,
    evaluations: list[tuple[Decimal, list[dict[str, Any]]]] | None = None,
    discipline: list[dict[str, Any]] | None = None,
    earlier_fails: set[int] | None = None,
    rated_on: datetime.date | None = None,
) -> tuple[str, list[dict[str, Any]], Decimal | None, int]:
    """(proposed level, reasons, average score, periods counted) for one official, before
    the agency's quota; the level is `TO_ASSESS` ("") when the records allow no legal
    verdict. Pure reading; nothing is written. The year's approved evaluations
    (total, work items), discipline decisions and earlier failed years are read unless given
    (`propose_classifications` loads them for a whole subtree at once). `rated_on` is the
    day of the rating (today by default): Decree 48/2023 counts any discipline only in
    ratings made from 15/09/2023."""
    if rules is None:
        return AnnualLevel.NOT_CLASSIFIED, [_reason("no_rule_set", year=year)], None, 0
    reasons = [_reason("rule_set", key=rules.key)]
    if evaluations is None:
        # An approved evaluation has its total (evaluation_done_is_approved).
        evaluations = cast(
            list[tuple[Decimal, list[dict[str, Any]]]],
            list(_approved_in_year(official, year).values_list("total", "work_items")),
        )
    average = None
    if evaluations:
        average = q2(sum((total for total, _items in evaluations), Decimal(0)) / len(evaluations))
    # Eligibility
    if rules.min_months_worked is not None and months_worked < rules.min_months_worked:
        if maternity_leave:
            reasons.append(
                _reason("maternity_exception", sources=[cite(DECREE_90)], months=months_worked)
            )
        else:
            reasons.append(
                _reason(
                    "too_few_months",
                    sources=[cite(DECREE_90)],
                    months=months_worked,
                    minimum=rules.min_months_worked,
                )
            )
            return AnnualLevel.NOT_CLASSIFIED, reasons, average, len(evaluations)
    # The level from the year's record
    if rules.method == AnnualMethod.AVERAGE_SCORE:
        if average is None:
            reasons.append(_reason("no_scores", sources=[cite(DECREE_335)]))
            return AnnualLevel.NOT_CLASSIFIED, reasons, None, 0
        level = rules.level_for_average(average)
        reasons.append(
            _reason(
                "average",
                sources=[cite(DECREE_335, "20", clause="1–4")],
                average=average,
                count=len(evaluations),
                level=level,
            )
        )
    else:
        items = [WorkItem.from_dict(item) for _total, rows in evaluations for item in rows]
        level, reason = _criteria_outcome(
            criteria_level(items),
            staff_category=official.staff_category,
            is_leader=official.is_leader,
            average=average,
        )
        reasons.append(reason)
    # Caps and overrides. A level left to the evaluator keeps the cap as a limit on their
    # choice (`_hard_limit`).
    if rules.absence_cap is not None:
        low, high, cap = rules.absence_cap
        above_cap = level == TO_ASSESS or level_rank(level) > level_rank(cap)
        if low <= months_absent < high and above_cap:
            level = TO_ASSESS if level == TO_ASSESS else at_most(level, cap)
            reasons.append(
                _reason("absence_cap", sources=[cite(DECREE_90)], months=months_absent, cap=cap)
            )
    if discipline is None:
        discipline = facts_module.discipline_in_year(official, year)
    if earlier_fails is None:
        earlier_fails = _earlier_fail_years(official, year) if rules.same_violation_once else set()
    for decision in discipline:
        reason = _discipline_reason(
            decision,
            rules,
            official,
            year,
            rated_on=rated_on or timezone.localdate(),
            earlier_fails=earlier_fails,
        )
        if reason["code"] == "discipline":
            level = Level.NOT_COMPLETED
        reasons.append(reason)
    return level, reasons, average, len(evaluations)


def _default_months_worked(official: Official, year: int) -> int:
    """A full year unless the official left during it; the head corrects it on the page
    (time in another agency, long leave)."""
    if official.left_on is not None and official.left_on.year == year:
        return official.left_on.month
    return 12
