"""Monthly evaluation: opening and closing periods and the three steps."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civility.core import jobs
from civility.core.audit import acting_as
from civility.core.db import copy_values
from civility.core.i18n import format_number
from civility.core.jobs import NO_PROGRESS, Progress
from civility.core.models import Job
from civility.evaluations import policies
from civility.evaluations.actions.common import (
    _is_self,
    _require,
    _require_step,
    can_approve,
    can_manage,
    can_review,
    can_self_assess,
)
from civility.evaluations.actions.scoring import (
    _apply_quota,
    _clean_points,
    _score,
    clean_work_items,
    take_snapshot,
)
from civility.evaluations.models import (
    Evaluation,
    EvaluationPeriod,
    Step,
    first_of_month,
)
from civility.evaluations.rules import (
    Level,
    MonthlyRuleSet,
    monthly_rule_sets_for,
    preferred_monthly_rule_set,
    score,
)
from civility.orgs.models import (
    AGENCY_KINDS,
    Official,
    OrgUnit,
    RoleAssignment,
    UnitKind,
    nearest_of_kinds,
)
from civility.orgs.policies import PolicyValue, policy, policy_for_units
from civility.orgs.scopes import Role, scope_of

# --- Periods -----------------------------------------------------------------------------


def default_deadlines(month: datetime.date) -> tuple[datetime.date, datetime.date, datetime.date]:
    """Self-assessment by the 3rd of the next month, rating by the 6th, approval by the 10th."""
    next_month = (month + datetime.timedelta(days=32)).replace(day=1)
    return (
        next_month.replace(day=3),
        next_month.replace(day=6),
        next_month.replace(day=10),
    )


def _supervisor_candidates(unit: OrgUnit) -> list[tuple[str, str, int]]:
    """(role, unit path, user id) of evaluators and heads on the unit, above it or below it."""
    prefixes = [
        "/".join(unit.path.strip("/").split("/")[:i]) + "/"
        for i in range(1, unit.path.count("/") + 1)
    ]
    return list(
        RoleAssignment.objects.filter(
            Q(unit__path__in=prefixes) | Q(unit__path__startswith=unit.path),
            role__in=(Role.EVALUATOR, Role.UNIT_HEAD),
        ).values_list("role", "unit__path", "user_id")
    )


def pick_supervisor(official: Official, candidates: list[tuple[str, str, int]]) -> int | None:
    """The nearest evaluator above or on the official's unit, else the nearest head; a leader
    is supervised from the level above."""
    path = official.unit.path
    best: tuple[int, int, int] | None = None
    for role, grant_path, user_id in candidates:
        if user_id == official.user_id or not path.startswith(grant_path):
            continue
        if official.is_leader and grant_path == path:
            continue
        key = (0 if role == Role.EVALUATOR else 1, -len(grant_path), user_id)
        if best is None or key < best:
            best = key
    return best[2] if best else None


def choose_monthly_rule_set(
    official: Official,
    *,
    unit: OrgUnit,
    province: OrgUnit | None,
    month: datetime.date,
    settings_seen: dict[int, PolicyValue] | None = None,
) -> tuple[MonthlyRuleSet | None, dict[str, Any]]:
    """The monthly rule set for the official's staff category and province in the month, and
    why (a reason for `explain`): the only one that applies; where a national and a
    provincial one both apply, the one the setting names; none: not scored.
    `settings_seen` keeps the setting read per unit across the officials of a period."""
    code = province.code if province is not None else None
    candidates = monthly_rule_sets_for(month, official.staff_category, code)
    params = {
        "category": official.staff_category,
        "province": province.name if province is not None else "",
        "month": month.strftime("%m/%Y"),
    }
    if not candidates:
        return None, _reason("monthly_rule_none", **params)
    if len(candidates) == 1:
        return candidates[0], _reason("monthly_rule_one", key=candidates[0].key, **params)
    seen = settings_seen if settings_seen is not None else {}
    if unit.pk not in seen:
        seen[unit.pk] = policy(policies.MONTHLY_RULE_SET_OVERLAP.key, unit=unit, on=month)
    overlap = seen[unit.pk]
    chosen = preferred_monthly_rule_set(candidates, str(overlap.value))
    reason = _reason(
        "monthly_rule_overlap",
        key=chosen.key,
        others=",".join(rule.key for rule in candidates if rule is not chosen),
        **params,
    )
    reason["policies"] = [policies.snapshot(overlap)]
    return chosen, reason


def _reason(code: str, **params: object) -> dict[str, Any]:
    return {"code": code, "params": {key: str(value) for key, value in params.items()}}


def _check_outstanding_agencies(
    *, actor: User, unit: OrgUnit, month: datetime.date, agencies: list[OrgUnit]
) -> None:
    """Agencies named as having outstanding results must be agencies under the period's unit,
    named by whom the setting says (policies.OUTSTANDING_UNITS_NAMED_BY)."""
    for agency in agencies:
        if not agency.path.startswith(unit.path):
            raise ValidationError(
                {
                    "exceptional_units": _("%(unit)s is not under %(root)s.")
                    % {"unit": agency, "root": unit}
                }
            )
        if agency.kind not in AGENCY_KINDS:
            raise ValidationError(
                {
                    "exceptional_units": _(
                        "%(unit)s is not an agency: quotas are counted per agency, so name the "
                        "agency."
                    )
                    % {"unit": agency}
                }
            )
    if not agencies:
        return
    named_by = policy(policies.OUTSTANDING_UNITS_NAMED_BY.key, unit=unit, on=month)
    province = unit.province
    if named_by.value == policies.BY_PROVINCE and not (
        province is not None
        and scope_of(actor).covers(province, roles=(Role.SYSTEM_ADMIN, Role.COORDINATOR))
    ):
        raise ValidationError({"exceptional_units": named_by.explain()})


def check_open_period(
    *,
    actor: User,
    unit: OrgUnit,
    month: datetime.date,
    self_deadline: datetime.date | None = None,
    review_deadline: datetime.date | None = None,
    approval_deadline: datetime.date | None = None,
    exceptional_units: Iterable[OrgUnit] = (),
) -> tuple[datetime.date, datetime.date, datetime.date, datetime.date]:
    """What `open_period` refuses, checked in the request before a job is asked for (the
    errors name the form's fields). Returns the month and the three deadlines."""
    _require(can_manage(actor, unit))
    month = first_of_month(month)
    if EvaluationPeriod.objects.filter(unit=unit, month=month).exists():
        raise ValidationError(
            {"month": _("An evaluation period for this unit and month is already open.")}
        )
    defaults = default_deadlines(month)
    self_deadline = self_deadline or defaults[0]
    review_deadline = review_deadline or defaults[1]
    approval_deadline = approval_deadline or defaults[2]
    if not (self_deadline <= review_deadline <= approval_deadline):
        raise ValidationError(
            {
                "review_deadline": _(
                    "Deadlines must follow the steps: self-assessment, then rating, then approval."
                )
            }
        )
    _check_outstanding_agencies(
        actor=actor, unit=unit, month=month, agencies=list(exceptional_units)
    )
    return month, self_deadline, review_deadline, approval_deadline


# A subtree with at most this many officials opens its period within the request (by the
# same job); a larger one in the background.
INLINE_OFFICIALS = 2000


def request_open_period(*, actor: User, unit: OrgUnit, month: datetime.date, **options: Any) -> Job:
    """Check the period can be opened, then open it in a background job (`open_period`);
    returns the core Job, already finished for a small subtree."""
    exceptional = list(options.pop("exceptional_units", ()))
    month, *deadlines = check_open_period(
        actor=actor, unit=unit, month=month, exceptional_units=exceptional, **options
    )
    return jobs.enqueue(
        actor=actor,
        kind="evaluations.open_period",
        title=_("Open the evaluation period of %(month)s") % {"month": f"{month:%m/%Y}"},
        unit=unit,
        params={
            "month": month.isoformat(),
            "deadlines": [day.isoformat() for day in deadlines],
            "exceptional_units": [agency.pk for agency in exceptional],
        },
        inline=Official.objects.under(unit).count() <= INLINE_OFFICIALS,
    )


@transaction.atomic
def open_period(
    *,
    actor: User,
    unit: OrgUnit,
    month: datetime.date,
    self_deadline: datetime.date | None = None,
    review_deadline: datetime.date | None = None,
    approval_deadline: datetime.date | None = None,
    exceptional_units: Iterable[OrgUnit] = (),
    progress: Progress | None = None,
) -> EvaluationPeriod:
    """Open a month's evaluation for every official of the unit's subtree, each under the
    rule set for their staff category and province that month (or not scored)."""
    progress = progress or NO_PROGRESS
    exceptional_units = list(exceptional_units)
    month, self_deadline, review_deadline, approval_deadline = check_open_period(
        actor=actor,
        unit=unit,
        month=month,
        self_deadline=self_deadline,
        review_deadline=review_deadline,
        approval_deadline=approval_deadline,
        exceptional_units=exceptional_units,
    )
    with acting_as(actor):
        period = EvaluationPeriod.objects.create(
            unit=unit,
            month=month,
            self_deadline=self_deadline,
            review_deadline=review_deadline,
            approval_deadline=approval_deadline,
            opened_by=actor,
            exceptional_units_named_by=actor if exceptional_units else None,
        )
        period.exceptional_units.set(exceptional_units)
    already = Evaluation.objects.in_month(month).values("official")
    # A whole city is 150,000 officials: they are read without their units (a few hundred,
    # read once), and what depends only on the unit, the staff category or the leader flag
    # is worked out once per combination, not per official.
    officials = list(
        Official.objects.under(unit)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=month))
        .exclude(pk__in=already)
        .only("pk", "unit_id", "staff_category", "is_leader", "agency_role", "user_id")
        .order_by()
    )
    units = {u.pk: u for u in OrgUnit.objects.filter(pk__in={o.unit_id for o in officials})}
    agencies = nearest_of_kinds(units.values(), AGENCY_KINDS)
    provinces = nearest_of_kinds(units.values(), (UnitKind.PROVINCE,))
    candidates = _supervisor_candidates(unit)
    candidate_users = {user_id for _role, _path, user_id in candidates}
    settings_seen = policy_for_units(
        policies.MONTHLY_RULE_SET_OVERLAP.key, units=units.values(), on=month
    )
    choices: dict[tuple[int, str], tuple[MonthlyRuleSet | None, str]] = {}
    supervisors: dict[tuple[int, bool, int | None], int | None] = {}
    rows: list[tuple[object, ...]] = []
    progress.start(len(officials), _("Choosing each official's rule set"))
    for index, official in enumerate(officials, start=1):
        if index % 5000 == 0:
            progress.update(done=index // 2)
        official_unit = units[official.unit_id]
        official.unit = official_unit
        key = (official.unit_id, official.staff_category)
        if key not in choices:
            rules, reason = choose_monthly_rule_set(
                official,
                unit=official_unit,
                province=provinces[official.unit_id],
                month=month,
                settings_seen=settings_seen,
            )
            choices[key] = (rules, json.dumps(reason, ensure_ascii=False))
        rules, reason_json = choices[key]
        supervisor = None
        if rules:
            own = official.user_id if official.user_id in candidate_users else None
            who = (official.unit_id, official.is_leader, own)
            if who not in supervisors:
                supervisors[who] = pick_supervisor(official, candidates)
            supervisor = supervisors[who]
        agency = agencies[official.unit_id] or official_unit
        rows.append(
            (
                period.pk,
                official.pk,
                official.unit_id,
                agency.pk,
                official.is_leader,
                official.agency_role,
                rules.key if rules else "",
                reason_json,
                Step.SELF if rules else Step.NOT_SCORED,
                supervisor,
            )
        )
    progress.update(done=len(officials) // 2, message=_("Writing the evaluations"))
    columns = [
        "period_id",
        "official_id",
        "unit_id",
        "agency_id",
        "is_leader",
        "agency_role",
        "rule_set",
        "rule_choice",
        "step",
        "supervisor_id",
    ]
    for start in range(0, len(rows), 20_000):
        copy_values(Evaluation, columns, rows[start : start + 20_000])
        progress.update(done=(len(officials) + start + 20_000) // 2)
    return period


@transaction.atomic
def set_supervisor(*, actor: User, evaluation: Evaluation, supervisor: User | None) -> Evaluation:
    _require(can_manage(actor, evaluation.unit))
    if supervisor is not None and _is_self(supervisor, evaluation.official):
        raise ValidationError({"supervisor": _("An official cannot supervise themself.")})
    if evaluation.step == Step.DONE:
        raise ValidationError(_("This evaluation is approved and locked."))
    evaluation.supervisor = supervisor
    with acting_as(actor):
        evaluation.save(update_fields=["supervisor"])
    return evaluation


@transaction.atomic
def close_period(*, actor: User, period: EvaluationPeriod) -> EvaluationPeriod:
    _require(can_manage(actor, period.unit))
    pending = period.evaluations.scored().exclude(step=Step.DONE).count()
    if pending:
        raise ValidationError(
            ngettext(
                "%(count)s evaluation is not approved yet; the period stays open.",
                "%(count)s evaluations are not approved yet; the period stays open.",
                pending,
            )
            % {"count": format_number(pending)}
        )
    period.closed_at = timezone.now()
    with acting_as(actor):
        period.save(update_fields=["closed_at"])
    return period


# --- The three steps ---------------------------------------------------------------------


@transaction.atomic
def save_self_assessment(
    *,
    actor: User,
    evaluation: Evaluation,
    work_items: list[dict[str, Any]],
    account: str,
    self_points: Mapping[str, object],
    self_level: str = "",
    submit: bool = False,
) -> Evaluation:
    _require(can_self_assess(actor, evaluation))
    evaluation = (
        Evaluation.objects.select_for_update().select_related("period").get(pk=evaluation.pk)
    )
    _require_step(evaluation, Step.SELF)
    items = clean_work_items(work_items)
    rules = evaluation.scored_rules()
    cleaned_points = (
        _clean_points(rules, self_points, field="self")
        if submit
        else {key: str(value) for key, value in self_points.items() if value not in (None, "")}
    )
    if self_level and self_level not in Level.values:
        raise ValidationError({"self_level": _("Choose one of the four levels.")})
    if submit:
        if not items:
            raise ValidationError({"work_items": _("List the work items assigned this month.")})
        if not account.strip():
            raise ValidationError({"account": _("Write a short account of the month.")})
        if not self_level:
            raise ValidationError({"self_level": _("Choose the level you rate yourself at.")})
    evaluation.work_items = [item.as_dict() for item in items]
    evaluation.account = account.strip()
    evaluation.self_points = cleaned_points
    evaluation.self_level = self_level
    fields = ["work_items", "account", "self_points", "self_level"]
    if submit:
        evaluation.self_submitted_at = timezone.now()
        evaluation.step = Step.REVIEW
        evaluation.returned_note = ""
        evaluation.self_work_items = evaluation.work_items
        evaluation.self_total = score(rules, points=cleaned_points, items=items).total
        take_snapshot(evaluation)
        fields += [
            "self_submitted_at",
            "step",
            "returned_note",
            "self_work_items",
            "self_total",
            "facts",
            "facts_taken_at",
        ]
    with acting_as(actor):
        evaluation.save(update_fields=fields)
    return evaluation


@transaction.atomic
def rate_evaluation(
    *,
    actor: User,
    evaluation: Evaluation,
    points: Mapping[str, object],
    comment: str = "",
    work_items: list[dict[str, Any]] | None = None,
) -> Evaluation:
    """The direct supervisor's rating: points per part (tasks computed under Decree 335)."""
    _require(can_review(actor, evaluation))
    evaluation = (
        Evaluation.objects.select_for_update()
        .select_related("period", "unit")
        .get(pk=evaluation.pk)
    )
    _require_step(evaluation, Step.REVIEW)
    rules = evaluation.scored_rules()
    items = clean_work_items(work_items) if work_items is not None else evaluation.items()
    cleaned = _clean_points(rules, points, field="points")
    result = _score(evaluation, rules, cleaned, items)
    evaluation.work_items = [item.as_dict() for item in items]
    evaluation.points = {key: str(value) for key, value in result.points.items()}
    evaluation.total = result.total
    evaluation.level = result.level
    evaluation.grade = result.grade
    evaluation.review_comment = comment.strip()
    evaluation.reviewed_by = actor
    evaluation.reviewed_at = timezone.now()
    evaluation.quota = {}
    evaluation.step = Step.APPROVAL
    evaluation.returned_note = ""
    take_snapshot(evaluation)
    with acting_as(actor):
        evaluation.save()
    return evaluation


@transaction.atomic
def approve_evaluation(
    *,
    actor: User,
    evaluation: Evaluation,
    points: Mapping[str, object] | None = None,
    note: str = "",
) -> Evaluation:
    """The head approves the rating, or changes the points with a reason. Locks the
    evaluation and its facts."""
    _require(can_approve(actor, evaluation))
    evaluation = (
        Evaluation.objects.select_for_update()
        .select_related("period", "unit")
        .get(pk=evaluation.pk)
    )
    _require_step(evaluation, Step.APPROVAL)
    rules = evaluation.scored_rules()
    current = {key: value for key, value in evaluation.points.items() if key != "tasks"}
    rescore = rules.scores_leaders_on_unit and evaluation.is_leader
    if points is not None:
        cleaned = _clean_points(rules, points, field="points")
        changed = any(
            Decimal(cleaned[key]) != Decimal(evaluation.points.get(key, "0")) for key in cleaned
        )
        if changed:
            if not note.strip():
                raise ValidationError(
                    {"note": _("Give the reason for changing the supervisor's points.")}
                )
            current, rescore = cleaned, True
    if rescore:
        # Under Decree 335 a leader's unit results are counted again: subordinates rated
        # since the supervisor's rating count too.
        result = _score(evaluation, rules, current, evaluation.items())
        evaluation.points = {key: str(value) for key, value in result.points.items()}
        evaluation.total = result.total
        evaluation.level = result.level
        evaluation.grade = result.grade
    _apply_quota(evaluation)
    evaluation.approval_note = note.strip()
    evaluation.approved_by = actor
    evaluation.approved_at = timezone.now()
    evaluation.step = Step.DONE
    take_snapshot(evaluation)
    with acting_as(actor):
        evaluation.save()
    return evaluation


@transaction.atomic
def return_evaluation(*, actor: User, evaluation: Evaluation, reason: str) -> Evaluation:
    """The head sends a rating back to the supervisor, or the supervisor a self-assessment
    back to the official, with a reason."""
    evaluation = (
        Evaluation.objects.select_for_update()
        .select_related("period", "unit")
        .get(pk=evaluation.pk)
    )
    if evaluation.step == Step.APPROVAL:
        _require(can_approve(actor, evaluation))
        target = Step.REVIEW
    elif evaluation.step == Step.REVIEW:
        _require(can_review(actor, evaluation))
        target = Step.SELF
    else:
        raise ValidationError(_("Only a submitted or rated evaluation can be sent back."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why it is sent back.")})
    evaluation.step = target
    evaluation.returned_note = reason.strip()
    with acting_as(actor):
        evaluation.save(update_fields=["step", "returned_note"])
    return evaluation
