"""Programme tasks due or overdue and the steps of the cultural titles' yearly cycle, for the
to-do home (civility/core/todo.py). Two queries."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AnonymousUser, User
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civility.core.todo import COUNTED, TodoItem, beyond_count, listed
from civility.programmes.actions import CYCLE_REMINDER_DAYS, cycle_due_dates, reminder_days
from civility.programmes.models import CycleStage, Task, TitleCycle


def items_for(user: User | AnonymousUser, *, today: datetime.date) -> list[TodoItem]:
    if not user.is_authenticated:
        return []
    return [*_tasks(user, today), *_cycle_steps(user, today)]


def _tasks(user: User | AnonymousUser, today: datetime.date) -> list[TodoItem]:
    # Listed from the first reminder on, as the e-mail reminders are (actions.reminder_days).
    horizon = today + datetime.timedelta(days=max(reminder_days(), default=0))
    rows, count = listed(
        Task.objects.reported_by(user)
        .open()
        .filter(deadline__lte=horizon)
        .select_related("programme", "assignee_unit")
        .order_by("deadline", "pk")
    )
    items = [
        TodoItem(
            title=task.title,
            detail=f"{task.programme.number} · {task.assignee_unit.display_name}",
            due=task.deadline,
            url=task.get_absolute_url(),
            section=_("Programmes and targets"),
            today=today,
        )
        for task in rows
    ]
    if count > len(rows):
        if beyond_count(count):
            rest = COUNTED - len(rows)
            title = _("More than %(count)d other programme tasks due") % {"count": rest}
        else:
            rest = count - len(rows)
            title = ngettext(
                "%(count)d more programme task due",
                "%(count)d more programme tasks due",
                rest,
            ) % {"count": rest}
        items.append(
            TodoItem(
                title=title,
                url=reverse("programmes:programme_list"),
                section=_("Programmes and targets"),
                count=rest,
                today=today,
            )
        )
    return items


def _cycle_steps(user: User | AnonymousUser, today: datetime.date) -> list[TodoItem]:
    """The next step of each yearly cycle still running, from its first reminder on."""
    horizon = today + datetime.timedelta(days=max(CYCLE_REMINDER_DAYS))
    cycles = (
        TitleCycle.objects.run_by(user)
        .unpublished()
        .filter(year__in=[today.year - 1, today.year])
        .select_related("rule")
        .order_by("year", "rule__title")
    )
    return [
        TodoItem(
            title=_("%(title)s %(year)s: %(step)s")
            % {
                "title": cycle.rule.get_title_display(),
                "year": cycle.year,
                "step": CycleStage(step).label,
            },
            due=due,
            url=cycle.get_absolute_url(),
            section=_("Programmes and targets"),
            today=today,
        )
        for cycle in cycles
        for step, due in cycle_due_dates(cycle)
        if due <= horizon
    ]
