"""Workflows for programmes, tasks, indicators, targets, actuals and cultural titles.

Views, the API, imports and jobs call these; each checks permission, validates, writes in
one transaction and is audited (acting_as).
"""

from __future__ import annotations

import datetime
import logging
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civility.core.attachments import OFFICE_AND_TEXT, clean_attachment
from civility.core.audit import acting_as
from civility.core.files import display_name
from civility.core.i18n import format_number
from civility.core.validators import web_link
from civility.orgs.imports import ImportResult, Table
from civility.orgs.models import Official, OrgUnit
from civility.orgs.scopes import MANAGER_ROLES, Role, scope_of
from civility.programmes import figures
from civility.programmes.imports import plan_actuals, plan_recognitions
from civility.programmes.models import (
    COORDINATOR_ROLES,
    VIETNAM,
    Actual,
    ActualSource,
    Aggregation,
    Criterion,
    CulturalTitle,
    CycleReminder,
    CycleStage,
    Frequency,
    Indicator,
    Programme,
    Recognition,
    Target,
    Task,
    TaskReminder,
    TaskState,
    TaskUpdate,
    TitleCount,
    TitleCycle,
    TitleRule,
    UpdateKind,
    vietnam_today,
)

logger = logging.getLogger(__name__)

# Days before a deadline on which the daily job reminds (settings.TASK_REMINDER_DAYS).
DEFAULT_REMINDER_DAYS = (7, 3, 1)
# An overdue task is reminded the day after its deadline, then every this many days.
OVERDUE_REMINDER_EVERY = 7


def ensure_manages(actor, unit: OrgUnit, roles=MANAGER_ROLES) -> None:
    if not scope_of(actor).covers(unit, roles=roles):
        raise PermissionDenied


def _validate(obj) -> None:
    obj.full_clean()


# --- Programmes and tasks ---------------------------------------------------------------


@transaction.atomic
def create_programme(
    *,
    actor,
    unit: OrgUnit,
    kind: str,
    number: str,
    title: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    title_en: str = "",
    implements: Programme | None = None,
    issued_on: datetime.date | None = None,
    description: str = "",
) -> Programme:
    ensure_manages(actor, unit)
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The programme cannot end before it starts.")})
    if Programme.objects.filter(unit=unit, number__iexact=number.strip()).exists():
        raise ValidationError({"number": _("This unit already has a programme with this number.")})
    programme = Programme(
        unit=unit,
        kind=kind,
        number=number.strip(),
        title=title.strip(),
        title_en=title_en.strip(),
        implements=implements,
        issued_on=issued_on,
        starts_on=starts_on,
        ends_on=ends_on,
        description=description.strip(),
    )
    _validate(programme)
    with acting_as(actor):
        programme.save()
    return programme


def assigning_unit(task: Task) -> OrgUnit:
    """The unit that gave the task: the parent's assignee, or the programme's issuer."""
    return task.parent.assignee_unit if task.parent_id else task.programme.unit


def can_assign(user, task: Task) -> bool:
    """May change the deadline, cancel, or re-open: whoever manages the assigning unit."""
    return scope_of(user).covers(assigning_unit(task), roles=MANAGER_ROLES)


def can_report(user, task: Task) -> bool:
    """May report progress and delegate: managers of the assignee unit, or the official."""
    if scope_of(user).covers(task.assignee_unit, roles=MANAGER_ROLES):
        return True
    official = task.assignee_official
    return official is not None and official.user_id is not None and official.user_id == user.pk


@transaction.atomic
def create_task(
    *,
    actor,
    programme: Programme,
    title: str,
    assignee_unit: OrgUnit,
    deadline: datetime.date,
    parent: Task | None = None,
    assignee_official: Official | None = None,
    number: str = "",
    description: str = "",
) -> Task:
    """A task of the programme, or, with `parent`, a sub-task (same unit) or a task delegated
    to a unit below the parent's."""
    if parent is None:
        ensure_manages(actor, programme.unit)
        if not assignee_unit.path.startswith(programme.unit.path):
            raise ValidationError(
                {"assignee_unit": _("The unit must be the programme's unit or one under it.")}
            )
    else:
        if parent.programme_id != programme.pk:
            raise ValidationError({"parent": _("The parent task is in another programme.")})
        if not can_report(actor, parent):
            raise PermissionDenied
        if not parent.is_open():
            raise ValidationError({"parent": _("The parent task is closed.")})
        if not assignee_unit.path.startswith(parent.assignee_unit.path):
            raise ValidationError(
                {
                    "assignee_unit": _(
                        "A task can only be delegated to the parent task's unit or a unit under it."
                    )
                }
            )
        if deadline > parent.deadline:
            raise ValidationError(
                {
                    "deadline": _("The deadline cannot be after the parent task's (%(date)s).")
                    % {"date": parent.deadline.strftime("%d/%m/%Y")}
                }
            )
    if assignee_official is not None and not assignee_official.unit.path.startswith(
        assignee_unit.path
    ):
        raise ValidationError(
            {"assignee_official": _("The official must work in the unit or a unit under it.")}
        )
    task = Task(
        programme=programme,
        parent=parent,
        number=number.strip(),
        title=title.strip(),
        description=description.strip(),
        assignee_unit=assignee_unit,
        assignee_official=assignee_official,
        deadline=deadline,
        original_deadline=deadline,
        created_by=actor,
    )
    _validate(task)
    with acting_as(actor):
        task.save()
        if parent is not None:
            TaskUpdate.objects.create(
                task=parent,
                kind=UpdateKind.DELEGATION,
                author=actor,
                text=_("%(title)s → %(unit)s, due %(date)s")
                % {
                    "title": task.title,
                    "unit": assignee_unit.name,
                    "date": deadline.strftime("%d/%m/%Y"),
                },
            )
    return task


def _completion_day(
    task: Task, completed_on: datetime.date | None, now: datetime.datetime
) -> datetime.date:
    today = vietnam_today(now)
    if completed_on is None:
        return today
    if completed_on > today:
        raise ValidationError({"completed_on": _("The completion date cannot be in the future.")})
    if completed_on < task.programme.starts_on:
        raise ValidationError(
            {
                "completed_on": _(
                    "The completion date is before the task started (the programme starts "
                    "on %(date)s)."
                )
                % {"date": task.programme.starts_on.strftime("%d/%m/%Y")}
            }
        )
    return completed_on


@transaction.atomic
def report_progress(
    *,
    actor,
    task: Task,
    progress: int,
    state: str = "",
    text: str = "",
    evidence=None,
    evidence_link: str = "",
    completed_on: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> Task:
    """Record progress (with evidence); `state` done completes the task on `completed_on`
    (default: the day in Vietnam now; a past day for work finished before it was entered,
    never a future one nor one before the programme started), and that day decides whether
    the task was done late."""
    if not can_report(actor, task):
        raise PermissionDenied
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.state == TaskState.CANCELLED:
        raise ValidationError(_("A cancelled task takes no more reports."))
    if not 0 <= progress <= 100:
        raise ValidationError({"progress": _("Progress is a percentage from 0 to 100.")})
    state = state or (TaskState.IN_PROGRESS if progress else task.state)
    if state not in (TaskState.NOT_STARTED, TaskState.IN_PROGRESS, TaskState.DONE):
        raise ValidationError({"state": _("Choose not started, in progress or done.")})
    now = now or timezone.now()
    if evidence:
        evidence = clean_attachment(evidence, field="evidence", accept=OFFICE_AND_TEXT)
    if state == TaskState.DONE:
        open_children = task.children.open().count()
        if open_children:
            raise ValidationError(
                {
                    "state": ngettext(
                        "%(count)s sub-task or delegated task is still open; it must be done "
                        "or cancelled first.",
                        "%(count)s sub-tasks or delegated tasks are still open; they must be "
                        "done or cancelled first.",
                        open_children,
                    )
                    % {"count": format_number(open_children)}
                }
            )
        if task.state != TaskState.DONE:
            task.completed_on = _completion_day(task, completed_on, now)
            task.completed_at = (
                now
                if task.completed_on == vietnam_today(now)
                else datetime.datetime.combine(task.completed_on, datetime.time(12), VIETNAM)
            )
        completed_on = task.completed_on
        progress = 100
    else:
        task.completed_at = task.completed_on = completed_on = None
    task.state, task.progress = state, progress
    with acting_as(actor):
        task.save()
        TaskUpdate.objects.create(
            task=task,
            kind=UpdateKind.PROGRESS,
            author=actor,
            text=text.strip(),
            progress=progress,
            state=state,
            completed_on=completed_on,
            evidence=evidence or "",
            evidence_name=display_name(evidence.name) if evidence else "",
            evidence_link=web_link(evidence_link, field="evidence_link"),
        )
    return task


def can_verify_progress(user, update: TaskUpdate) -> bool:
    """The assigning unit's managers verify a progress report, never its author."""
    return (
        update.kind == UpdateKind.PROGRESS
        and update.author_id != user.pk
        and can_assign(user, update.task)
    )


@transaction.atomic
def verify_progress(
    *,
    actor,
    update: TaskUpdate,
    progress: int,
    note: str = "",
    now: datetime.datetime | None = None,
) -> TaskUpdate:
    """Record the progress the assigning unit found against a report's evidence, next to
    the progress reported (which stays as it was). Done once; a differing figure needs a
    note saying why."""
    update = TaskUpdate.objects.select_for_update().select_related("task").get(pk=update.pk)
    if not can_verify_progress(actor, update):
        raise PermissionDenied
    if update.is_verified():
        raise ValidationError(_("This progress report is already verified."))
    if not 0 <= progress <= 100:
        raise ValidationError({"progress": _("Progress is a percentage from 0 to 100.")})
    if progress != update.progress and not note.strip():
        raise ValidationError(
            {"note": _("Say why the verified progress differs from the one reported.")}
        )
    with acting_as(actor):
        update.verify(by=actor, note=note, now=now, verified_progress=progress)
    return update


@transaction.atomic
def comment_task(*, actor, task: Task, text: str) -> TaskUpdate:
    if not Task.objects.visible_to(actor).filter(pk=task.pk).exists():
        raise PermissionDenied
    if not text.strip():
        raise ValidationError({"text": _("Write a comment.")})
    with acting_as(actor):
        return TaskUpdate.objects.create(
            task=task, kind=UpdateKind.COMMENT, author=actor, text=text.strip()
        )


@transaction.atomic
def extend_deadline(*, actor, task: Task, deadline: datetime.date, reason: str) -> Task:
    """Give a task more time (it then shows as prolonged); only the assigning unit may."""
    if not can_assign(actor, task):
        raise PermissionDenied
    if not task.is_open():
        raise ValidationError(_("Only an open task can be given more time."))
    if deadline <= task.deadline:
        raise ValidationError({"deadline": _("The new deadline must be after the current one.")})
    if task.parent_id and deadline > task.parent.deadline:
        raise ValidationError(
            {
                "deadline": _("The deadline cannot be after the parent task's (%(date)s).")
                % {"date": task.parent.deadline.strftime("%d/%m/%Y")}
            }
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the task needs more time.")})
    old = task.deadline
    task.deadline = deadline
    with acting_as(actor):
        task.save(update_fields=["deadline", "updated_at"])
        TaskUpdate.objects.create(
            task=task,
            kind=UpdateKind.EXTENSION,
            author=actor,
            text=reason.strip(),
            old_deadline=old,
            new_deadline=deadline,
        )
    return task


@transaction.atomic
def cancel_task(*, actor, task: Task, reason: str) -> Task:
    if not can_assign(actor, task):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the task is cancelled.")})
    with acting_as(actor):
        for child in Task.objects.filter(pk__in=_open_descendant_ids(task)):
            child.state = TaskState.CANCELLED
            child.save(update_fields=["state", "updated_at"])
        task.state = TaskState.CANCELLED
        task.completed_at = task.completed_on = None
        task.save(update_fields=["state", "completed_at", "completed_on", "updated_at"])
        TaskUpdate.objects.create(
            task=task,
            kind=UpdateKind.PROGRESS,
            author=actor,
            text=reason.strip(),
            state=TaskState.CANCELLED,
        )
    return task


def _open_descendant_ids(task: Task) -> list[int]:
    ids, level = [], [task.pk]
    while level:
        children = list(Task.objects.filter(parent_id__in=level).values_list("pk", "state"))
        ids += [
            pk for pk, state in children if state in (TaskState.NOT_STARTED, TaskState.IN_PROGRESS)
        ]
        level = [pk for pk, _state in children]
    return ids


# --- Reminders --------------------------------------------------------------------------


def reminder_days() -> tuple[int, ...]:
    return tuple(getattr(settings, "TASK_REMINDER_DAYS", DEFAULT_REMINDER_DAYS))


def _managers_of(unit: OrgUnit):
    """Users holding a head or coordinator role on exactly this unit."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            role_assignments__unit=unit,
            role_assignments__role__in=[Role.UNIT_HEAD, Role.COORDINATOR],
        )
        .distinct()
    )


def _addresses_for(task: Task) -> list[str]:
    official = task.assignee_official
    if official is not None:
        address = official.email or (official.user.email if official.user_id else "")
        if address:
            return [address]
    return sorted({user.email for user in _managers_of(task.assignee_unit) if user.email})


def _language_for(address: str) -> str:
    user = get_user_model().objects.filter(email=address).select_related("profile").first()
    profile = getattr(user, "profile", None) if user else None
    return getattr(profile, "language", None) or settings.LANGUAGE_CODE


@transaction.atomic
def send_task_reminders(*, today: datetime.date) -> int:
    """Write one reminder per task and day for open tasks due in 7, 3 or 1 days, and for
    overdue ones on the day after the deadline and every week after; e-mail the official in
    charge, else the heads and coordinators of the assignee unit. Safe to run twice a day."""
    due = [today + datetime.timedelta(days=days) for days in reminder_days()]
    candidates = (
        Task.objects.open()
        .filter(deadline__lt=max(due, default=today) + datetime.timedelta(days=1))
        .exclude(reminders__sent_on=today)
        .select_related("programme", "assignee_unit", "assignee_official__user")
    )
    sent = 0
    for task in candidates:
        if task.deadline >= today:
            if task.deadline not in due:
                continue
            kind = TaskReminder.Kind.DUE_SOON
        else:
            late_days = (today - task.deadline).days
            if (late_days - 1) % OVERDUE_REMINDER_EVERY:
                continue
            kind = TaskReminder.Kind.OVERDUE
        addresses = _addresses_for(task)
        emailed = sum(_email_task(task, address, kind, today) for address in addresses)
        TaskReminder.objects.create(task=task, kind=kind, sent_on=today, recipients=emailed)
        sent += 1
    return sent


def _email_task(task: Task, address: str, kind: str, today: datetime.date) -> bool:
    days = abs((task.deadline - today).days)
    with translation.override(_language_for(address)):
        values = {
            "task": task.title,
            "programme": task.programme.number,
            "unit": task.assignee_unit.name,
            "date": task.deadline.strftime("%d/%m/%Y"),
            "days": format_number(days),
            "link": settings.SITE_URL + reverse("programmes:task_detail", args=[task.pk]),
        }
        if kind == TaskReminder.Kind.OVERDUE:
            subject = _("Overdue task: %(task)s") % values
            body = (
                ngettext(
                    'The task "%(task)s" (%(programme)s) assigned to %(unit)s was due on %(date)s '
                    "and is %(days)s day overdue. Report its progress or ask for more time: "
                    "%(link)s\n",
                    'The task "%(task)s" (%(programme)s) assigned to %(unit)s was due on %(date)s '
                    "and is %(days)s days overdue. Report its progress or ask for more time: "
                    "%(link)s\n",
                    days,
                )
                % values
            )
        else:
            subject = _("Task due on %(date)s: %(task)s") % values
            body = (
                ngettext(
                    'The task "%(task)s" (%(programme)s) assigned to %(unit)s is due on %(date)s, '
                    "in %(days)s day. Report its progress here: %(link)s\n",
                    'The task "%(task)s" (%(programme)s) assigned to %(unit)s is due on %(date)s, '
                    "in %(days)s days. Report its progress here: %(link)s\n",
                    days,
                )
                % values
            )
    try:
        send_mail(subject, body, None, [address])
    except Exception:  # an SMTP failure must not stop the other reminders  # noqa: BLE001
        logger.exception("Could not e-mail a task reminder for task %s", task.pk)
        return False
    return True


# --- Indicators, targets, actuals -------------------------------------------------------


@transaction.atomic
def create_indicator(
    *,
    actor,
    unit: OrgUnit,
    code: str,
    name: str,
    measure: str,
    aggregation: str,
    frequency: str = Frequency.YEAR,
    name_en: str = "",
    numerator: Indicator | None = None,
    denominator: Indicator | None = None,
    scale: Decimal = Decimal(100),
    higher_is_better: bool = True,
    programme: Programme | None = None,
) -> Indicator:
    ensure_manages(actor, unit, COORDINATOR_ROLES)
    if aggregation == Aggregation.RATIO:
        errors = {}
        for name_, term in (("numerator", numerator), ("denominator", denominator)):
            if term is None:
                errors[name_] = _("A ratio needs this indicator.")
            elif term.aggregation == Aggregation.RATIO:
                errors[name_] = _("A ratio is made of two indicators that are not ratios.")
            elif not unit.path.startswith(term.unit.path):
                errors[name_] = _("Use an indicator of this unit or of a unit above it.")
        if not errors and numerator.frequency != denominator.frequency:
            errors["denominator"] = _("Both indicators must be reported as often.")
        if not errors and numerator.pk == denominator.pk:
            errors["denominator"] = _("The two indicators must differ.")
        if errors:
            raise ValidationError(errors)
        frequency = numerator.frequency
    else:
        numerator = denominator = None
    if Indicator.objects.filter(unit=unit, code=code).exists():
        raise ValidationError({"code": _("This unit already has an indicator with this code.")})
    indicator = Indicator(
        unit=unit,
        code=code,
        name=name.strip(),
        name_en=name_en.strip(),
        measure=measure.strip(),
        aggregation=aggregation,
        frequency=frequency,
        numerator=numerator,
        denominator=denominator,
        scale=scale,
        higher_is_better=higher_is_better,
        programme=programme,
    )
    _validate(indicator)
    with acting_as(actor):
        indicator.save()
    return indicator


def _check_period(indicator: Indicator, period: int, *, target: bool = False) -> None:
    most = indicator.periods()
    allowed = period == 0 if most == 0 else (1 <= period <= most or (target and period == 0))
    if not allowed:
        raise ValidationError(
            {
                "period": _("This indicator is %(frequency)s: the period must be %(allowed)s.")
                % {
                    "frequency": indicator.get_frequency_display().lower(),
                    "allowed": "0" if most == 0 else f"1-{most}",
                }
            }
        )


def _check_unit(indicator: Indicator, unit: OrgUnit) -> None:
    if not unit.path.startswith(indicator.unit.path):
        raise ValidationError({"unit": _("The unit must be the indicator's unit or one under it.")})


def can_set_target(user, indicator: Indicator, unit: OrgUnit) -> bool:
    """The indicator's own unit's target is set by its coordinators; any other unit's is
    allocated by whoever manages the unit above it."""
    if unit.pk == indicator.unit_id or unit.parent is None:
        return scope_of(user).covers(unit, roles=COORDINATOR_ROLES)
    return scope_of(user).covers(unit.parent, roles=MANAGER_ROLES)


@transaction.atomic
def set_target(
    *, actor, indicator: Indicator, unit: OrgUnit, year: int, value: Decimal, period: int = 0
) -> Target:
    if not can_set_target(actor, indicator, unit):
        raise PermissionDenied
    _check_unit(indicator, unit)
    _check_period(indicator, period, target=True)
    with acting_as(actor):
        target, _created = Target.objects.update_or_create(
            indicator=indicator,
            unit=unit,
            year=year,
            period=period,
            defaults={"value": value, "set_by": actor},
        )
    return target


@transaction.atomic
def allocate_targets(
    *,
    actor,
    indicator: Indicator,
    parent: OrgUnit,
    year: int,
    values: dict[OrgUnit, Decimal],
    period: int = 0,
) -> figures.AllocationCheck:
    """Allocate the parent unit's target to its children. Refused (nothing written) when the
    allocation does not add up to the parent's target; going beyond it is allowed and said."""
    ensure_manages(actor, parent)
    parent_target = Target.objects.filter(
        indicator=indicator, unit=parent, year=year, period=period
    ).first()
    if parent_target is None:
        raise ValidationError(
            _("%(unit)s has no target for %(year)s yet: set it before allocating it.")
            % {"unit": parent.name, "year": year}
        )
    strangers = [unit.name for unit in values if unit.parent_id != parent.pk]
    if strangers:
        raise ValidationError(
            _("Targets are allocated to the units directly under %(unit)s, not to: %(names)s.")
            % {"unit": parent.name, "names": ", ".join(strangers)}
        )
    negative = [unit.name for unit, value in values.items() if value < 0]
    if negative:
        raise ValidationError(
            _("A target cannot be negative: %(names)s.") % {"names": ", ".join(negative)}
        )
    existing = dict(
        Target.objects.filter(
            indicator=indicator, year=year, period=period, unit__parent=parent
        ).values_list("unit_id", "value")
    )
    existing.update({unit.pk: value for unit, value in values.items()})
    check = figures.check_allocation(
        indicator, parent_target.value, existing, year=year, period=period
    )
    if not check.ok:
        raise ValidationError(check.message())
    with acting_as(actor):
        for unit, value in values.items():
            Target.objects.update_or_create(
                indicator=indicator,
                unit=unit,
                year=year,
                period=period,
                defaults={"value": value, "allocated_from": parent_target, "set_by": actor},
            )
    return check


@transaction.atomic
def record_actual(
    *,
    actor,
    indicator: Indicator,
    unit: OrgUnit,
    year: int,
    value: Decimal,
    period: int = 0,
    note: str = "",
    source: str = ActualSource.FORM,
) -> tuple[Actual, bool]:
    """Report (or correct) one actual; returns (actual, created)."""
    ensure_manages(actor, unit)
    if indicator.is_ratio():
        raise ValidationError(
            {"indicator": _("A ratio is computed from its two indicators; report those instead.")}
        )
    _check_unit(indicator, unit)
    _check_period(indicator, period)
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("The year must be between 2000 and 2100.")})
    with acting_as(actor):
        return Actual.objects.update_or_create(
            indicator=indicator,
            unit=unit,
            year=year,
            period=period,
            defaults={"value": value, "note": note.strip(), "source": source, "reported_by": actor},
        )


@transaction.atomic
def import_actuals(*, actor, root: OrgUnit, table: Table, dry_run: bool = False) -> ImportResult:
    """Actuals from a spreadsheet: every row is checked first; any error and nothing is
    written."""
    ensure_manages(actor, root)
    indicators = Indicator.objects.visible_to(actor).filter(
        unit__path__in=_self_and_ancestors(root)
    ) | Indicator.objects.filter(unit__path__startswith=root.path)
    plan = plan_actuals(table=table, root=root, indicators=indicators.distinct())
    result = ImportResult(errors=plan.errors, warnings=plan.warnings, dry_run=dry_run)
    if plan.errors:
        return result
    for row in plan.rows:
        if not row.unit.path.startswith(row.indicator.unit.path):
            result.errors.append(
                _problem(row.row, "unit_code", _("this unit does not report this indicator"))
            )
    if result.errors:
        return result
    existing = {
        (a.indicator_id, a.unit_id, a.year, a.period): a.value
        for a in Actual.objects.filter(
            indicator__in={row.indicator for row in plan.rows}, unit__path__startswith=root.path
        )
    }
    for row in plan.rows:
        old = existing.get((row.indicator.pk, row.unit.pk, row.year, row.period))
        if old is None:
            result.created += 1
        elif old == row.value:
            result.unchanged += 1
        else:
            result.updated += 1
    if dry_run:
        return result
    for row in plan.rows:
        record_actual(
            actor=actor,
            indicator=row.indicator,
            unit=row.unit,
            year=row.year,
            period=row.period,
            value=row.value,
            note=row.note,
            source=ActualSource.IMPORT,
        )
    return result


def _self_and_ancestors(unit: OrgUnit) -> list[str]:
    parts = unit.path.strip("/").split("/")
    return ["/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]


def _problem(row: int, column: str, message: str):
    from civility.orgs.imports import Problem

    return Problem(message, row=row, column=column)


# --- Cultural titles --------------------------------------------------------------------

# Decree 86/2023/NĐ-CP (effective 30 January 2024): the criteria groups in our own words,
# from the framework the decree sets; provinces detail them, so every item stays editable.
DECREE_86_FROM = datetime.date(2024, 1, 30)
DEFAULT_CRITERIA: dict[str, list[tuple[str, str, str, list[tuple[str, str]]]]] = {
    CulturalTitle.FAMILY: [
        (
            "I",
            "Gương mẫu chấp hành chủ trương, chính sách, pháp luật",
            "Exemplary compliance with policy and law",
            [
                (
                    "Thực hiện nếp sống văn minh trong việc cưới, việc tang và lễ hội",
                    "Civilised weddings, funerals and festivals",
                ),
                (
                    "Giữ gìn an ninh trật tự, phòng cháy chữa cháy; không gây tiếng ồn quá mức",
                    "Security, order and fire safety; no excessive noise",
                ),
            ],
        ),
        (
            "II",
            "Tích cực tham gia các phong trào thi đua",
            "Active part in emulation movements",
            [
                (
                    "Bảo vệ di tích, cảnh quan, môi trường; tham gia hoạt động cộng đồng",
                    "Protecting relics, landscape and environment; community activities",
                ),
                (
                    "Người trong độ tuổi lao động có việc làm, thu nhập hợp pháp; trẻ em trong "
                    "độ tuổi đi học được đến trường",
                    "Working-age members work with lawful income; school-age children attend "
                    "school",
                ),
            ],
        ),
        (
            "III",
            "Gia đình no ấm, tiến bộ, hạnh phúc, văn minh",
            "A prosperous, progressive, happy and civilised family",
            [
                (
                    "Thực hiện các tiêu chí ứng xử trong gia đình; bình đẳng giới",
                    "Family behaviour criteria; gender equality",
                ),
                (
                    "Thực hiện chính sách dân số, hôn nhân và gia đình",
                    "Population, marriage and family policy",
                ),
            ],
        ),
    ],
    CulturalTitle.VILLAGE: [
        (
            "I",
            "Đời sống kinh tế ổn định và phát triển",
            "A stable, developing economic life",
            [
                (
                    "Có việc làm, tỷ lệ hộ nghèo, cận nghèo thấp; phát triển nghề truyền thống",
                    "Employment, a low share of poor households, traditional trades",
                ),
            ],
        ),
        (
            "II",
            "Đời sống văn hóa, tinh thần lành mạnh, phong phú",
            "A healthy cultural life",
            [
                (
                    "Có nhà văn hóa, sân thể thao, điểm đọc sách; hoạt động văn hóa, thể thao",
                    "Cultural house, sports ground, reading point; cultural and sports activities",
                ),
                (
                    "Tỷ lệ hộ thực hiện nếp sống văn minh theo quy định của tỉnh",
                    "The share of households following civilised customs, as the province sets",
                ),
            ],
        ),
    ],
    CulturalTitle.EXEMPLARY_COMMUNE: [
        (
            "I",
            "Hoàn thành nhiệm vụ phát triển kinh tế - xã hội, quốc phòng, an ninh",
            "Socio-economic, defence and security tasks fulfilled",
            [],
        ),
        ("II", "Kinh tế ổn định và phát triển", "A stable, developing economy", []),
        ("III", "Đời sống văn hóa lành mạnh", "A healthy cultural life", []),
        (
            "IV",
            "Môi trường an toàn, thân thiện; cảnh quan sạch đẹp",
            "A safe, friendly environment and a clean landscape",
            [],
        ),
        (
            "V",
            "Chấp hành chủ trương của Đảng, chính sách, pháp luật của Nhà nước",
            "Compliance with Party and State policy and law",
            [],
        ),
    ],
}
DEFAULT_CRITERIA[CulturalTitle.RESIDENTIAL_GROUP] = DEFAULT_CRITERIA[CulturalTitle.VILLAGE]
DEFAULT_AUTHORITY = {
    CulturalTitle.FAMILY: ("commune_chairman", ""),
    CulturalTitle.VILLAGE: (
        "other",
        "Chưa xác định sau khi bỏ cấp huyện (1/7/2025); trước đó: Chủ tịch UBND cấp huyện.",
    ),
    CulturalTitle.RESIDENTIAL_GROUP: (
        "other",
        "Chưa xác định sau khi bỏ cấp huyện (1/7/2025); trước đó: Chủ tịch UBND cấp huyện.",
    ),
    CulturalTitle.EXEMPLARY_COMMUNE: ("province_chairman", ""),
}


@transaction.atomic
def load_title_rules(
    *, actor, unit: OrgUnit, valid_from: datetime.date = DECREE_86_FROM
) -> list[TitleRule]:
    """The four titles under Decree 86/2023 for a province, with editable checklists; once."""
    if actor is not None:
        ensure_manages(actor, unit, COORDINATOR_ROLES)
    rules = []
    with acting_as(actor):
        for title in CulturalTitle.values:
            authority, note = DEFAULT_AUTHORITY[title]
            rule, created = TitleRule.objects.get_or_create(
                unit=unit,
                title=title,
                valid_from=valid_from,
                defaults={"deciding_authority": authority, "authority_note": note},
            )
            if created:
                for group, group_title, _group_en, items in DEFAULT_CRITERIA[title]:
                    if not items:
                        Criterion.objects.create(
                            rule=rule,
                            group=group,
                            group_title=group_title,
                            position=1,
                            text=group_title,
                            text_en=_group_en,
                        )
                    for position, (text, text_en) in enumerate(items, start=1):
                        Criterion.objects.create(
                            rule=rule,
                            group=group,
                            group_title=group_title,
                            position=position,
                            text=text,
                            text_en=text_en,
                        )
            rules.append(rule)
    return rules


RULE_FIELDS = frozenset(
    {
        "deciding_authority",
        "authority_note",
        "legal_basis",
        "closes_month",
        "closes_day",
        "comment_days",
        "decision_days",
        "publication_days",
        "target_indicator",
    }
)


@transaction.atomic
def update_title_rule(*, actor, rule: TitleRule, **changes) -> TitleRule:
    unknown = set(changes) - RULE_FIELDS
    if unknown:
        raise TypeError(f"update_title_rule() got unknown fields: {sorted(unknown)}")
    ensure_manages(actor, rule.unit, COORDINATOR_ROLES)
    for name, value in changes.items():
        setattr(rule, name, value)
    try:
        datetime.date(2024, rule.closes_month, rule.closes_day)
    except ValueError:
        raise ValidationError({"closes_day": _("This day does not exist in that month.")}) from None
    _validate(rule)
    with acting_as(actor):
        rule.save()
    return rule


@transaction.atomic
def add_criterion(
    *, actor, rule: TitleRule, group: str, group_title: str, text: str, text_en: str = ""
) -> Criterion:
    ensure_manages(actor, rule.unit, COORDINATOR_ROLES)
    last = rule.criteria.filter(group=group.strip()).order_by("-position").first()
    criterion = Criterion(
        rule=rule,
        group=group.strip(),
        group_title=group_title.strip() or (last.group_title if last else ""),
        position=(last.position + 1) if last else 1,
        text=text.strip(),
        text_en=text_en.strip(),
        is_summary=False,
    )
    _validate(criterion)
    with acting_as(actor):
        criterion.save()
    return criterion


@transaction.atomic
def remove_criterion(*, actor, criterion: Criterion) -> None:
    ensure_manages(actor, criterion.rule.unit, COORDINATOR_ROLES)
    with acting_as(actor):
        criterion.delete()


def rule_for(unit: OrgUnit, title: str, year: int) -> TitleRule | None:
    """The rule set in force for the title in the province above (or at) `unit`."""
    return (
        TitleRule.objects.in_force(title, year)
        .filter(unit__path__in=_self_and_ancestors(unit))
        .order_by("-unit__depth", "-valid_from")
        .first()
    )


@transaction.atomic
def open_cycle(*, actor, rule: TitleRule, year: int) -> TitleCycle:
    ensure_manages(actor, rule.unit, COORDINATOR_ROLES)
    with acting_as(actor):
        cycle, _created = TitleCycle.objects.get_or_create(rule=rule, year=year)
    return cycle


CYCLE_STEPS = ("evaluation_closed_on", "list_posted_on", "decided_on", "published_on")


@transaction.atomic
def record_cycle_step(
    *, actor, cycle: TitleCycle, step: str, on: datetime.date, decision_no: str = ""
) -> TitleCycle:
    """Record the day a step of the yearly cycle happened, in order."""
    ensure_manages(actor, cycle.rule.unit, COORDINATOR_ROLES)
    if step not in CYCLE_STEPS:
        raise ValidationError({"step": _("Unknown step.")})
    position = CYCLE_STEPS.index(step)
    before = [getattr(cycle, name) for name in CYCLE_STEPS[:position]]
    if step != "evaluation_closed_on" and any(day is None for day in before[1:]):
        raise ValidationError({"step": _("Record the earlier steps first.")})
    if any(day is not None and on < day for day in before):
        raise ValidationError({"on": _("This step cannot come before an earlier one.")})
    if step == "list_posted_on" and on > cycle.evaluation_deadline + datetime.timedelta(days=1):
        # Still recorded: the list is late, which the cycle page shows.
        pass
    if step == "decided_on":
        if on < cycle.comment_ends:
            raise ValidationError(
                {
                    "on": _("The public comment period runs until %(date)s.")
                    % {"date": cycle.comment_ends.strftime("%d/%m/%Y")}
                }
            )
        cycle.decision_no = decision_no.strip()
    setattr(cycle, step, on)
    with acting_as(actor):
        cycle.save()
    return cycle


# Days before each due date on which the cycle reminder goes out.
CYCLE_REMINDER_DAYS = (14, 7, 3, 1)


def cycle_due_dates(cycle: TitleCycle) -> list[tuple[str, datetime.date]]:
    """The next steps still to do, with their due dates."""
    if cycle.published_on:
        return []
    if cycle.decided_on:
        return [(CycleStage.AWAITING_PUBLICATION, cycle.publication_due)]
    if cycle.list_posted_on:
        return [(CycleStage.AWAITING_DECISION, cycle.decision_due)]
    return [(CycleStage.EVALUATING, cycle.evaluation_deadline)]


@transaction.atomic
def send_cycle_reminders(*, today: datetime.date) -> int:
    """Remind the province's coordinators 14, 7, 3 and 1 days before the evaluation closes,
    the decision is due and publication is due, and on each day a step is late."""
    sent = 0
    cycles = TitleCycle.objects.filter(
        year__in=[today.year, today.year - 1], published_on__isnull=True
    ).select_related("rule__unit")
    for cycle in cycles:
        for step, due in cycle_due_dates(cycle):
            days = (due - today).days
            if days not in CYCLE_REMINDER_DAYS and days >= 0:
                continue
            if CycleReminder.objects.filter(cycle=cycle, step=step, sent_on=today).exists():
                continue
            users = (
                get_user_model()
                .objects.filter(
                    is_active=True,
                    role_assignments__unit=cycle.rule.unit,
                    role_assignments__role=Role.COORDINATOR,
                )
                .exclude(email="")
                .distinct()
            )
            emailed = sum(_email_cycle(cycle, step, due, user.email) for user in users)
            CycleReminder.objects.create(
                cycle=cycle, step=step, due_on=due, sent_on=today, recipients=emailed
            )
            sent += 1
    return sent


def _email_cycle(cycle: TitleCycle, step: str, due: datetime.date, address: str) -> bool:
    with translation.override(_language_for(address)):
        values = {
            "title": cycle.rule.get_title_display(),
            "year": cycle.year,
            "step": CycleStage(step).label,
            "date": due.strftime("%d/%m/%Y"),
            "link": settings.SITE_URL + reverse("programmes:cycle_detail", args=[cycle.pk]),
        }
        subject = _("%(title)s %(year)s: %(step)s due %(date)s") % values
        body = _('%(title)s, %(year)s: the step "%(step)s" is due on %(date)s. %(link)s\n') % (
            values
        )
    try:
        send_mail(subject, body, None, [address])
    except Exception:  # noqa: BLE001 - an SMTP failure must not stop the other reminders
        logger.exception("Could not e-mail a cycle reminder for cycle %s", cycle.pk)
        return False
    return True


@transaction.atomic
def set_title_count(
    *, actor, title: str, year: int, unit: OrgUnit, eligible: int, assessed: int
) -> TitleCount:
    ensure_manages(actor, unit)
    if assessed > eligible:
        raise ValidationError({"assessed": _("More assessed than eligible.")})
    with acting_as(actor):
        count, _created = TitleCount.objects.update_or_create(
            title=title,
            year=year,
            unit=unit,
            defaults={"eligible": eligible, "assessed": assessed, "recorded_by": actor},
        )
    return count


@transaction.atomic
def import_recognitions(
    *,
    actor,
    root: OrgUnit,
    title: str,
    year: int,
    table: Table,
    dry_run: bool = False,
    replace: bool = True,
) -> ImportResult:
    """A recognition list for one title and year under `root`. The list replaces the
    recognitions of that title and year under `root` (an imported list is the whole
    decision). Any error and nothing is written."""
    ensure_manages(actor, root)
    rule = rule_for(root, title, year)
    if rule is None:
        raise ValidationError(
            _("No rule set for %(title)s is in force in %(year)s here: load Decree 86 first.")
            % {"title": CulturalTitle(title).label, "year": year}
        )
    kinds = figures.TITLE_UNIT_KINDS.get(title)
    plan = plan_recognitions(table=table, root=root, title=title, kinds=kinds)
    result = ImportResult(errors=plan.errors, warnings=plan.warnings, dry_run=dry_run)
    if plan.errors:
        return result
    existing = {
        (r.unit_id, r.household_code): r
        for r in Recognition.objects.filter(
            title=title, year=year, unit__path__startswith=root.path
        )
    }
    keys = {(row.unit.pk, row.household_code) for row in plan.rows}
    for key in keys:
        if key in existing:
            result.unchanged += 1
        else:
            result.created += 1
    removed = [r for key, r in existing.items() if key not in keys] if replace else []
    if removed:
        result.warnings.append(
            _problem(
                None,
                "",
                ngettext(
                    "%(count)s recognition of this year not in the file is removed.",
                    "%(count)s recognitions of this year not in the file are removed.",
                    len(removed),
                )
                % {"count": format_number(len(removed))},
            )
        )
    if dry_run:
        return result
    with acting_as(actor):
        for recognition in removed:
            recognition.delete()
        for row in plan.rows:
            Recognition.objects.update_or_create(
                title=title,
                year=year,
                unit=row.unit,
                household_code=row.household_code,
                defaults={
                    "rule": rule,
                    "household_head": row.household_head,
                    "address": row.address,
                    "decision_no": row.decision_no,
                    "decided_on": row.decided_on,
                    "recorded_by": actor,
                },
            )
    return result
