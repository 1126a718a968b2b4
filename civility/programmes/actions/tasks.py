"""Workflows for programmes and tasks: create, delegate, report, verify, extend, cancel,
and the daily task reminders."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civility.core.attachments import OFFICE_AND_TEXT, clean_attachment
from civility.core.audit import acting_as
from civility.core.files import display_name
from civility.core.i18n import format_number
from civility.core.validators import web_link
from civility.orgs.models import Official, OrgUnit
from civility.orgs.scopes import MANAGER_ROLES, Role, scope_of
from civility.programmes.actions.common import ensure_manages, language_for, validate
from civility.programmes.models import (
    VIETNAM,
    Programme,
    Task,
    TaskReminder,
    TaskState,
    TaskUpdate,
    UpdateKind,
    vietnam_today,
)

logger = logging.getLogger(__name__)


# Days before a deadline on which the daily job reminds (settings.TASK_REMINDER_DAYS).
DEFAULT_REMINDER_DAYS = (7, 3, 1)
# An overdue task is reminded the day after its deadline, then every this many days.
OVERDUE_REMINDER_EVERY = 7


@transaction.atomic
def create_programme(
    *,
    actor: User,
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
    validate(programme)
    with acting_as(actor):
        programme.save()
    return programme


def assigning_unit(task: Task) -> OrgUnit:
    """The unit that gave the task: the parent's assignee, or the programme's issuer."""
    return task.parent.assignee_unit if task.parent is not None else task.programme.unit


def can_assign(user: User, task: Task) -> bool:
    """May change the deadline, cancel, or re-open: whoever manages the assigning unit."""
    return scope_of(user).covers(assigning_unit(task), roles=MANAGER_ROLES)


def can_report(user: User, task: Task) -> bool:
    """May report progress and delegate: managers of the assignee unit, or the official."""
    if scope_of(user).covers(task.assignee_unit, roles=MANAGER_ROLES):
        return True
    official = task.assignee_official
    return official is not None and official.user_id is not None and official.user_id == user.pk


@transaction.atomic
def create_task(
    *,
    actor: User,
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
    validate(task)
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
    actor: User,
    task: Task,
    progress: int,
    state: str = "",
    text: str = "",
    evidence: UploadedFile[bytes] | None = None,
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
    stored = None
    if evidence:
        stored = clean_attachment(evidence, field="evidence", accept=OFFICE_AND_TEXT)
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
            evidence=stored or "",
            evidence_name=display_name(stored.name) if stored else "",
            evidence_link=web_link(evidence_link, field="evidence_link"),
        )
    return task


def can_verify_progress(user: User, update: TaskUpdate) -> bool:
    """The assigning unit's managers verify a progress report, never its author."""
    return (
        update.kind == UpdateKind.PROGRESS
        and update.author_id != user.pk
        and can_assign(user, update.task)
    )


@transaction.atomic
def verify_progress(
    *,
    actor: User,
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
def comment_task(*, actor: User, task: Task, text: str) -> TaskUpdate:
    if not Task.objects.visible_to(actor).filter(pk=task.pk).exists():
        raise PermissionDenied
    if not text.strip():
        raise ValidationError({"text": _("Write a comment.")})
    with acting_as(actor):
        return TaskUpdate.objects.create(
            task=task, kind=UpdateKind.COMMENT, author=actor, text=text.strip()
        )


@transaction.atomic
def extend_deadline(*, actor: User, task: Task, deadline: datetime.date, reason: str) -> Task:
    """Give a task more time (it then shows as prolonged); only the assigning unit may."""
    if not can_assign(actor, task):
        raise PermissionDenied
    if not task.is_open():
        raise ValidationError(_("Only an open task can be given more time."))
    if deadline <= task.deadline:
        raise ValidationError({"deadline": _("The new deadline must be after the current one.")})
    parent = task.parent
    if parent is not None and deadline > parent.deadline:
        raise ValidationError(
            {
                "deadline": _("The deadline cannot be after the parent task's (%(date)s).")
                % {"date": parent.deadline.strftime("%d/%m/%Y")}
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
def cancel_task(*, actor: User, task: Task, reason: str) -> Task:
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


def reminder_days() -> tuple[int, ...]:
    return tuple(getattr(settings, "TASK_REMINDER_DAYS", DEFAULT_REMINDER_DAYS))


def _managers_of(unit: OrgUnit) -> QuerySet[User]:
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
        address = official.email or (official.user.email if official.user is not None else "")
        if address:
            return [address]
    return sorted({user.email for user in _managers_of(task.assignee_unit) if user.email})


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
    with translation.override(language_for(address)):
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
