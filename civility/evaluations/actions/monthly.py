"""Monthly evaluation: opening periods, the three steps, reminders."""

from __future__ import annotations

import datetime
import logging
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from civility.core.audit import acting_as
from civility.evaluations import facts as facts_module
from civility.evaluations.actions.common import (
    _is_self,
    _require,
    _require_step,
    can_approve,
    can_manage,
    can_review,
    can_self_assess,
)
from civility.evaluations.models import (
    Evaluation,
    EvaluationPeriod,
    EvaluationReminder,
    Step,
    first_of_month,
)
from civility.evaluations.rules import (
    Level,
    MonthlyRuleSet,
    WorkItem,
    default_monthly_rule_set,
    monthly_rule_set,
    q2,
    score,
)
from civility.orgs.models import Official, OrgUnit, RoleAssignment
from civility.orgs.scopes import Role

logger = logging.getLogger(__name__)

# Days before a step's deadline on which the reminder job writes (and on the day itself);
# after the deadline it writes every day until the step is done.
DEFAULT_REMINDER_DAYS = (3, 1, 0)


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


@transaction.atomic
def open_period(
    *,
    actor,
    unit: OrgUnit,
    month: datetime.date,
    rule_set: str | None = None,
    self_deadline: datetime.date | None = None,
    review_deadline: datetime.date | None = None,
    approval_deadline: datetime.date | None = None,
    exceptional_units=(),
) -> EvaluationPeriod:
    """Open a month's evaluation for every official of the unit's subtree."""
    _require(can_manage(actor, unit))
    month = first_of_month(month)
    rules = monthly_rule_set(rule_set) if rule_set else default_monthly_rule_set(month)
    if not rules.is_in_force(month):
        raise ValidationError(
            {
                "rule_set": _("%(rule)s is not in force in %(month)s (in force from %(start)s).")
                % {
                    "rule": rules.name,
                    "month": month.strftime("%m/%Y"),
                    "start": rules.valid_from.strftime("%d/%m/%Y"),
                }
            }
        )
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
    for extra in exceptional_units:
        if not extra.path.startswith(unit.path):
            raise ValidationError(
                {
                    "exceptional_units": _("%(unit)s is not under %(root)s.")
                    % {"unit": extra, "root": unit}
                }
            )
    with acting_as(actor):
        period = EvaluationPeriod.objects.create(
            unit=unit,
            month=month,
            rule_set=rules.key,
            self_deadline=self_deadline,
            review_deadline=review_deadline,
            approval_deadline=approval_deadline,
            opened_by=actor,
        )
        period.exceptional_units.set(exceptional_units)
    already = Evaluation.objects.in_month(month).values("official")
    officials = (
        Official.objects.under(unit)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=month))
        .exclude(pk__in=already)
        .select_related("unit")
    )
    candidates = _supervisor_candidates(unit)
    Evaluation.objects.bulk_create(
        Evaluation(
            period=period,
            official=official,
            unit=official.unit,
            is_leader=official.is_leader,
            rule_set=rules.key,
            supervisor_id=pick_supervisor(official, candidates),
        )
        for official in officials
    )
    return period


@transaction.atomic
def set_supervisor(*, actor, evaluation: Evaluation, supervisor) -> Evaluation:
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
def close_period(*, actor, period: EvaluationPeriod) -> EvaluationPeriod:
    _require(can_manage(actor, period.unit))
    pending = period.evaluations.exclude(step=Step.DONE).count()
    if pending:
        raise ValidationError(
            _("%(count)d evaluations are not approved yet; the period stays open.")
            % {"count": pending}
        )
    period.closed_at = timezone.now()
    with acting_as(actor):
        period.save(update_fields=["closed_at"])
    return period


# --- The three steps ---------------------------------------------------------------------


def clean_work_items(raw: list[dict]) -> list[WorkItem]:
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


def _clean_points(rules: MonthlyRuleSet, points: dict, *, field: str) -> dict[str, str]:
    cleaned: dict[str, str] = {}
    for part in rules.parts:
        if part.key == "tasks" and rules.computed_tasks:
            continue
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


def preview_facts(evaluation: Evaluation) -> dict:
    """The facts as stored once approved; live (not stored) before."""
    if evaluation.step == Step.DONE and evaluation.facts:
        return evaluation.facts
    period = evaluation.period
    return facts_module.month_facts(evaluation.official, period.month, period.month_end)


@transaction.atomic
def save_self_assessment(
    *,
    actor,
    evaluation: Evaluation,
    work_items: list[dict],
    account: str,
    self_points: dict,
    self_level: str = "",
    submit: bool = False,
) -> Evaluation:
    _require(can_self_assess(actor, evaluation))
    evaluation = (
        Evaluation.objects.select_for_update().select_related("period").get(pk=evaluation.pk)
    )
    _require_step(evaluation, Step.SELF)
    items = clean_work_items(work_items)
    rules = evaluation.rules
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


def _check_quota(evaluation: Evaluation, level: str) -> None:
    """Refuse a level over the rule set's cap for the evaluation's unit in the period."""
    rules = evaluation.rules
    quota = rules.quota
    if quota is None or level != quota.level:
        return
    peers = Evaluation.objects.select_for_update().filter(
        period_id=evaluation.period_id, unit_id=evaluation.unit_id
    )
    population = peers.count()
    exceptional = evaluation.period.exceptional_units.filter(pk=evaluation.unit_id).exists()
    cap = quota.cap(population, exceptional=exceptional)
    holders = (
        peers.filter(step__in=(Step.APPROVAL, Step.DONE), level=quota.level)
        .exclude(pk=evaluation.pk)
        .count()
    )
    if holders + 1 > cap:
        share = quota.exceptional_percent if exceptional else quota.percent
        raise ValidationError(
            _(
                "Refused under rule %(rule)s: at most %(share)d%% of those rated in %(unit)s "
                "may get grade %(grade)s, that is %(cap)d of %(population)d; %(holders)d "
                "already have it."
            )
            % {
                "rule": rules.legal_basis,
                "share": share,
                "unit": evaluation.unit,
                "grade": rules.grade_for(quota.level) or Level(quota.level).label,
                "cap": cap,
                "population": population,
                "holders": holders,
            }
        )


@transaction.atomic
def rate_evaluation(
    *,
    actor,
    evaluation: Evaluation,
    points: dict,
    comment: str = "",
    work_items: list[dict] | None = None,
) -> Evaluation:
    """The direct supervisor's rating: points per part (tasks computed under Decree 335)."""
    _require(can_review(actor, evaluation))
    evaluation = (
        Evaluation.objects.select_for_update()
        .select_related("period", "unit")
        .get(pk=evaluation.pk)
    )
    _require_step(evaluation, Step.REVIEW)
    rules = evaluation.rules
    items = clean_work_items(work_items) if work_items is not None else evaluation.items()
    cleaned = _clean_points(rules, points, field="points")
    result = score(rules, points=cleaned, items=items)
    _check_quota(evaluation, result.level)
    evaluation.work_items = [item.as_dict() for item in items]
    evaluation.points = {key: str(value) for key, value in result.points.items()}
    evaluation.total = result.total
    evaluation.level = result.level
    evaluation.grade = result.grade
    evaluation.review_comment = comment.strip()
    evaluation.reviewed_by = actor
    evaluation.reviewed_at = timezone.now()
    evaluation.step = Step.APPROVAL
    evaluation.returned_note = ""
    take_snapshot(evaluation)
    with acting_as(actor):
        evaluation.save()
    return evaluation


@transaction.atomic
def approve_evaluation(
    *, actor, evaluation: Evaluation, points: dict | None = None, note: str = ""
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
    rules = evaluation.rules
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
            result = score(rules, points=cleaned, items=evaluation.items())
            _check_quota(evaluation, result.level)
            evaluation.points = {key: str(value) for key, value in result.points.items()}
            evaluation.total = result.total
            evaluation.level = result.level
            evaluation.grade = result.grade
    # The rule may have been broken by others since the rating: check again.
    _check_quota(evaluation, evaluation.level)
    evaluation.approval_note = note.strip()
    evaluation.approved_by = actor
    evaluation.approved_at = timezone.now()
    evaluation.step = Step.DONE
    take_snapshot(evaluation)
    with acting_as(actor):
        evaluation.save()
    return evaluation


@transaction.atomic
def return_evaluation(*, actor, evaluation: Evaluation, reason: str) -> Evaluation:
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


# --- Reminders ---------------------------------------------------------------------------


def reminder_days() -> tuple[int, ...]:
    return tuple(getattr(settings, "EVALUATION_REMINDER_DAYS", DEFAULT_REMINDER_DAYS))


def _approvers(evaluation: Evaluation, heads: list[tuple[str, int]]) -> list[int]:
    path = evaluation.unit.path
    return sorted(
        {
            user_id
            for grant_path, user_id in heads
            if path.startswith(grant_path)
            and not (evaluation.is_leader and grant_path == path)
            and user_id != evaluation.official.user_id
        }
    )


def send_evaluation_reminders(*, today: datetime.date) -> int:
    """Write a reminder to whoever must act on each step due soon or late; e-mail those with
    an address. Idempotent per day."""
    from django.contrib.auth import get_user_model

    days = reminder_days()
    heads = list(
        RoleAssignment.objects.filter(role=Role.UNIT_HEAD).values_list("unit__path", "user_id")
    )
    pending = (
        Evaluation.objects.filter(period__closed_at__isnull=True)
        .exclude(step=Step.DONE)
        .select_related("period", "unit", "official")
    )
    created = 0
    to_mail: list[EvaluationReminder] = []
    for evaluation in pending.iterator(chunk_size=500):
        deadline = evaluation.deadline()
        remaining = (deadline - today).days
        if remaining not in days and remaining >= 0:
            continue
        if evaluation.step == Step.SELF:
            recipients = [evaluation.official.user_id] if evaluation.official.user_id else []
        elif evaluation.step == Step.REVIEW:
            recipients = (
                [evaluation.supervisor_id]
                if evaluation.supervisor_id
                else _approvers(evaluation, heads)
            )
        else:
            recipients = _approvers(evaluation, heads)
        for user_id in recipients:
            reminder, made = EvaluationReminder.objects.get_or_create(
                evaluation=evaluation, step=evaluation.step, recipient_id=user_id, sent_on=today
            )
            if made:
                created += 1
                to_mail.append(reminder)
    users = get_user_model().objects.in_bulk({r.recipient_id for r in to_mail})
    for reminder in to_mail:
        user = users.get(reminder.recipient_id)
        if user is None or not user.email:
            continue
        try:
            _mail_reminder(reminder, user)
        except Exception:
            logger.exception("evaluation reminder %s: e-mail failed", reminder.pk)
            continue
        EvaluationReminder.objects.filter(pk=reminder.pk).update(emailed=True)
    return created


def _mail_reminder(reminder: EvaluationReminder, user) -> None:
    evaluation = reminder.evaluation
    language = getattr(getattr(user, "profile", None), "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        subject = _("Evaluation of %(official)s for %(month)s: %(step)s due %(deadline)s") % {
            "official": evaluation.official.full_name,
            "month": evaluation.period.month.strftime("%m/%Y"),
            "step": Step(reminder.step).label,
            "deadline": evaluation.deadline().strftime("%d/%m/%Y"),
        }
        link = settings.SITE_URL + reverse("evaluations:evaluation_detail", args=[evaluation.pk])
        body = _("Open the evaluation: %(link)s") % {"link": link}
    send_mail(subject, body, None, [user.email])
