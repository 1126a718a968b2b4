"""Annual classification: proposals with their reasons, inputs, confirmation."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from civility.core.audit import acting_as
from civility.evaluations import facts as facts_module
from civility.evaluations.actions.common import (
    _require,
    can_approve_for,
    can_manage,
)
from civility.evaluations.models import (
    AnnualClassification,
    Evaluation,
)
from civility.evaluations.policies import OFF_DUTY_DISCIPLINE_BEFORE_DECREE_48
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
    annual_rule_set_for,
    at_most,
    cite,
    criteria_level,
    decree_90_article,
    excellent_cap_per_good,
    level_rank,
    q2,
)
from civility.orgs.models import Official, OrgUnit
from civility.orgs.policies import PolicyValue, policy

# --- Annual classification ---------------------------------------------------------------


# The proposed level when the records allow no legal verdict: no level is proposed and the
# evaluator assesses it (the reasons say why). Never stored as a final level.
TO_ASSESS = ""


def _reason(code: str, *, sources: list[dict] | None = None, **params) -> dict:
    """A reason line: a code, its parameters and the sources of the rule it applies
    (`rules.cite`), rendered in the reader's language by `explain`."""
    reason = {"code": code, "params": {key: str(value) for key, value in params.items()}}
    if sources:
        reason["sources"] = sources
    return reason


def _criteria_outcome(
    result: CriteriaResult,
    *,
    staff_category: str,
    is_leader: bool,
    average: Decimal | None,
) -> tuple[str, dict]:
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
        return TO_ASSESS, _reason("criteria_between", sources=sources, **counts)
    if result.ground == "short_over_half":
        if not not_completed:
            return TO_ASSESS, _reason("criteria_unconfirmed", sources=[cite(DECREE_90)], **counts)
        sources = [cite(DECREE_90, not_completed, point="b")]
        if average is not None and average >= MONTHLY_COMPLETED_FLOOR:
            return TO_ASSESS, _reason(
                "criteria_disagree", sources=sources, average=average, **counts
            )
        return Level.NOT_COMPLETED, _reason("criteria_over_half", sources=sources, **counts)
    article = completed if result.level == Level.COMPLETED else ""
    return result.level, _reason(
        "criteria", sources=[cite(DECREE_90, article)], level=result.level, **result.counts
    )


def _duty_sources(rules: AnnualRuleSet, official: Official) -> list[dict]:
    """The ground counting discipline for a violation related to duties."""
    if rules.method == AnnualMethod.AVERAGE_SCORE:
        return [cite(DECREE_335, "20", clause="1–4")]
    article = decree_90_article(
        "not_completed", official.staff_category, is_leader=official.is_leader
    )
    return [cite(DECREE_90, article, point="c" if article else "")]


def _setting(value: PolicyValue) -> dict:
    """A setting used by a reason line, stored with it so `explain` shows who chose it."""
    return {
        "key": value.spec.key,
        "value": value.value,
        "source": value.source,
        "by": str(value.set_by) if value.set_by is not None else "",
        "from": value.valid_from.isoformat() if value.valid_from else "",
    }


def _discipline_reason(
    decision: dict,
    rules: AnnualRuleSet,
    official: Official,
    year: int,
    *,
    rated_on: datetime.date,
    earlier_fails: set[int],
) -> dict:
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
            OFF_DUTY_DISCIPLINE_BEFORE_DECREE_48.key,
            unit=official.unit,
            on=datetime.date(year, 12, 31),
        )
        code = "discipline" if setting.value else "discipline_before_decree_48"
        reason = _reason(code, sources=ground_c, ground="any", **params)
        reason["setting"] = _setting(setting)
        return reason
    return _reason("discipline", sources=ground_c, ground="any", **params)


def _approved_in_year(official: Official, year: int):
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
    evaluations: list[tuple[Decimal, list]] | None = None,
    discipline: list[dict] | None = None,
    earlier_fails: set[int] | None = None,
    rated_on: datetime.date | None = None,
) -> tuple[str, list[dict], Decimal | None, int]:
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
        evaluations = list(_approved_in_year(official, year).values_list("total", "work_items"))
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


def _apply_agency_quota(
    rows: list[AnnualClassification], locked: list[AnnualClassification], rules: AnnualRuleSet
) -> None:
    """Decree 335: excellent at most 20% of those rated good in the agency. Confirmed rows
    keep their level; among the others the best average scores keep excellent and the rest
    are proposed good, with the reason."""
    percent = rules.excellent_per_good_percent
    if percent is None:
        return
    candidates = [row for row in rows if row.proposed_level == AnnualLevel.EXCELLENT]
    good = sum(1 for row in rows if row.proposed_level == AnnualLevel.GOOD)
    good += sum(1 for row in locked if row.final_level == AnnualLevel.GOOD)
    fixed = sum(1 for row in locked if row.final_level == AnnualLevel.EXCELLENT)
    keep = excellent_cap_per_good(len(candidates), good, percent, fixed=fixed)
    candidates.sort(key=lambda row: (-(row.average_score or 0), row.official.full_name))
    for row in candidates[keep:]:
        row.proposed_level = AnnualLevel.GOOD
        row.reasons = [
            *row.reasons,
            _reason(
                "quota_excellent",
                sources=[cite(DECREE_335, "20", clause="5")],
                percent=percent,
                cap=keep + fixed,
                candidates=len(candidates),
            ),
        ]


@transaction.atomic
def propose_classifications(*, actor, unit: OrgUnit, year: int) -> list[AnnualClassification]:
    """Compute (or recompute) the proposal for every official of the subtree for the year.
    Confirmed classifications are locked and left as they are."""
    _require(can_manage(actor, unit))
    start = datetime.date(year, 1, 1)
    officials = (
        Official.objects.under(unit)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=start))
        .select_related("unit")
    )
    existing = {
        row.official_id: row
        for row in AnnualClassification.objects.select_for_update().filter(
            official__in=officials, year=year
        )
    }
    scores: dict[int, list] = defaultdict(list)
    for official_id, total, items in (
        Evaluation.objects.approved()
        .filter(official__in=officials, period__month__year=year)
        .values_list("official_id", "total", "work_items")
    ):
        scores[official_id].append((total, items))
    discipline = facts_module.discipline_in_year_for(officials, year)
    fails: dict[int, set[int]] = defaultdict(set)
    for official_id, failed_year in (
        AnnualClassification.objects.confirmed()
        .filter(official__in=officials, year__lt=year, final_level=AnnualLevel.NOT_COMPLETED)
        .values_list("official_id", "year")
    ):
        fails[official_id].add(failed_year)
    by_agency: dict[tuple[int, str], list[AnnualClassification]] = {}
    results = []
    for official in officials:
        row = existing.get(official.pk)
        if row is not None and row.is_locked():
            continue
        if row is None:
            row = AnnualClassification(
                official=official,
                year=year,
                months_worked=_default_months_worked(official, year),
            )
        rules = annual_rule_set_for(year, official.staff_category)
        row.unit = official.unit
        row.staff_category = official.staff_category
        row.is_leader = official.is_leader
        row.rule_set = rules.key if rules else ""
        level, reasons, average, count = compute_proposal(
            official,
            year,
            rules,
            months_worked=row.months_worked,
            months_absent=row.months_absent,
            maternity_leave=row.maternity_leave,
            evaluations=scores.get(official.pk, []),
            discipline=discipline.get(official.pk, []),
            earlier_fails=fails.get(official.pk, set()),
        )
        row.proposed_level, row.reasons, row.average_score, row.period_count = (
            level,
            reasons,
            average,
            count,
        )
        if rules is not None:
            by_agency.setdefault((official.unit_id, rules.key), []).append(row)
        results.append(row)
    for (unit_id, key), rows in by_agency.items():
        rules = rows[0].rules
        if rules.excellent_per_good_percent is not None:
            locked = list(
                AnnualClassification.objects.confirmed().filter(
                    unit_id=unit_id, year=year, rule_set=key
                )
            )
            _apply_agency_quota(rows, locked, rules)
    # Proposals are Civility's own arithmetic, recomputed at will: written in bulk and not
    # audited row by row; the head's confirmation (the decision) is audited.
    now = timezone.now()
    for row in results:
        row.computed_at = now
    AnnualClassification.objects.bulk_create(
        [row for row in results if row.pk is None], batch_size=2000
    )
    _update_proposals([row for row in results if row.pk is not None])
    return results


def _update_proposals(rows: list[AnnualClassification]) -> None:
    """One parameterised UPDATE per row, pipelined by psycopg: Django's bulk_update builds a
    CASE per field and row in Python, which took minutes for a whole city."""
    if not rows:
        return
    from django.db import connection
    from psycopg.types.json import Jsonb

    table = AnnualClassification._meta.db_table
    sql = (
        f"UPDATE {table} SET unit_id = %s, staff_category = %s, is_leader = %s, "
        "rule_set = %s, months_worked = %s, period_count = %s, average_score = %s, "
        "proposed_level = %s, reasons = %s, computed_at = %s "
        "WHERE id = %s AND confirmed_at IS NULL"
    )
    with connection.cursor() as cursor:
        cursor.executemany(
            sql,
            [
                (
                    row.unit_id,
                    row.staff_category,
                    row.is_leader,
                    row.rule_set,
                    row.months_worked,
                    row.period_count,
                    row.average_score,
                    row.proposed_level,
                    Jsonb(row.reasons),
                    row.computed_at,
                    row.pk,
                )
                for row in rows
            ],
        )


@transaction.atomic
def update_classification_inputs(
    *,
    actor,
    classification: AnnualClassification,
    months_worked: int,
    months_absent: int,
    maternity_leave: bool,
) -> AnnualClassification:
    """The head records time worked and absence; the proposal is computed again."""
    _require(can_manage(actor, classification.unit))
    if classification.is_locked():
        raise ValidationError(_("This classification is confirmed and locked."))
    if not 0 <= months_worked <= 12:
        raise ValidationError({"months_worked": _("Months worked are from 0 to 12.")})
    if not 0 <= months_absent <= 12 or months_absent + months_worked > 12:
        raise ValidationError(
            {
                "months_absent": _(
                    "Months absent are from 0 to 12, and with months worked at most 12."
                )
            }
        )
    classification.months_worked = months_worked
    classification.months_absent = months_absent
    classification.maternity_leave = maternity_leave
    classification.save(update_fields=["months_worked", "months_absent", "maternity_leave"])
    propose_classifications(
        actor=actor, unit=classification.official.unit, year=classification.year
    )
    classification.refresh_from_db()
    return classification


HARD_RULES = ("too_few_months", "discipline", "absence_cap")


def _hard_limit(classification: AnnualClassification) -> tuple[str, dict] | None:
    """The highest level the law allows here, and the rule's reason, if a rule fixed it."""
    for reason in classification.reasons:
        if reason["code"] in HARD_RULES:
            return reason["code"], reason["params"]
    return None


def can_confirm(user, classification: AnnualClassification) -> bool:
    return can_approve_for(
        user,
        classification.unit,
        is_leader=classification.is_leader,
        official=classification.official,
    )


@transaction.atomic
def confirm_classification(
    *,
    actor,
    classification: AnnualClassification,
    level: str | None = None,
    change_reason: str = "",
    late_reason: str = "",
    today: datetime.date | None = None,
) -> AnnualClassification:
    """The head confirms the proposal or changes it with a reason; the result is locked."""
    _require(can_confirm(actor, classification))
    classification = AnnualClassification.objects.select_for_update().get(pk=classification.pk)
    if classification.is_locked():
        raise ValidationError(_("This classification is confirmed and locked."))
    today = today or timezone.localdate()
    level = level or classification.proposed_level
    if level not in AnnualLevel.values:
        raise ValidationError({"level": _("Choose one of the levels.")})
    rules = classification.rules if classification.rule_set else None
    if classification.proposed_level == TO_ASSESS and not change_reason.strip():
        raise ValidationError(
            {
                "change_reason": _(
                    "No level was proposed: the records allow no verdict under the rules. Give "
                    "the grounds for the level you choose."
                )
            }
        )
    if level != classification.proposed_level and not change_reason.strip():
        raise ValidationError({"change_reason": _("Give the reason for changing the proposal.")})
    hard = _hard_limit(classification)
    if hard is not None and level != classification.proposed_level:
        code, params = hard
        legal_basis = rules.legal_basis if rules else ""
        if code == "too_few_months":
            raise ValidationError(
                {
                    "level": _(
                        "Refused under %(rule)s: fewer than %(minimum)s months worked in the "
                        "year, so the official is not classified (maternity leave excepted)."
                    )
                    % {"rule": legal_basis, "minimum": params.get("minimum", "6")}
                }
            )
        if code == "discipline" and level != AnnualLevel.NOT_COMPLETED:
            raise ValidationError(
                {
                    "level": _(
                        "Refused under %(rule)s: the official was disciplined in the year "
                        "(decision %(number)s), so the level is “did not complete tasks”."
                    )
                    % {"rule": legal_basis, "number": params.get("number", "")}
                }
            )
        if code == "absence_cap" and level_rank(level) > level_rank(params["cap"]):
            raise ValidationError(
                {
                    "level": _(
                        "Refused under %(rule)s: absent %(months)s months in the year, so at "
                        "most “%(cap)s”."
                    )
                    % {
                        "rule": legal_basis,
                        "months": params["months"],
                        "cap": Level(params["cap"]).label,
                    }
                }
            )
    if (
        rules is not None
        and today >= rules.deadline(classification.year)
        and not late_reason.strip()
    ):
        raise ValidationError(
            {
                "late_reason": _(
                    "Under %(rule)s the classification is done before %(deadline)s; give the "
                    "reason for confirming it late."
                )
                % {
                    "rule": rules.legal_basis,
                    "deadline": rules.deadline(classification.year).strftime("%d/%m/%Y"),
                }
            }
        )
    if (
        rules is not None
        and rules.excellent_per_good_percent is not None
        and level == AnnualLevel.EXCELLENT
    ):
        # Every peer is locked (concurrent confirmations wait for each other), but only
        # confirmed ones count as rated: a proposal is not a rating, so heads confirm "well
        # completed" before the excellent it allows.
        peers = [
            peer
            for peer in AnnualClassification.objects.select_for_update()
            .filter(unit_id=classification.unit_id, year=classification.year, rule_set=rules.key)
            .exclude(pk=classification.pk)
            if peer.is_locked()
        ]
        excellent = 1 + sum(1 for peer in peers if peer.final_level == AnnualLevel.EXCELLENT)
        good = sum(1 for peer in peers if peer.final_level == AnnualLevel.GOOD)
        if excellent * 100 > good * rules.excellent_per_good_percent:
            raise ValidationError(
                {
                    "level": _(
                        "Refused under %(rule)s: excellent may be at most %(percent)d%% of the "
                        "number rated well completed in %(unit)s (%(good)d rated well completed, "
                        "so at most %(cap)d excellent); this would make %(excellent)d."
                    )
                    % {
                        "rule": rules.legal_basis,
                        "percent": rules.excellent_per_good_percent,
                        "unit": classification.unit,
                        "good": good,
                        "cap": good * rules.excellent_per_good_percent // 100,
                        "excellent": excellent,
                    }
                }
            )
    classification.final_level = level
    classification.change_reason = (
        change_reason.strip() if level != classification.proposed_level else ""
    )
    classification.late_reason = late_reason.strip()
    classification.confirmed_by = actor
    classification.confirmed_at = timezone.now()
    with acting_as(actor):
        classification.save()
    return classification
