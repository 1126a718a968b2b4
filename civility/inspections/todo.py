"""Inspection work for the to-do home (civility/core/todo.py): inspections the person runs
that are planned up to this week (or overdue), corrective actions their unit must answer,
and answered actions they may verify."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civility.core.todo import COUNTED, SOON_DAYS, TodoItem, beyond_count, listed
from civility.inspections.actions import can_respond
from civility.inspections.models import CorrectiveAction, Inspection, Viewer


def items_for(user: Viewer, *, today: datetime.date) -> list[TodoItem]:
    if user is None or not user.is_authenticated:
        return []
    return [*_inspections(user, today), *_to_respond(user, today), *_to_verify(user, today)]


def _more(
    count: int, shown: int, title: str, beyond: str, url: str, today: datetime.date
) -> list[TodoItem]:
    """One line for the rows not listed one by one (`beyond` when they are not counted)."""
    if count <= shown:
        return []
    if beyond_count(count):
        count, title = COUNTED, beyond
    rest = count - shown
    return [
        TodoItem(
            title=title % {"count": rest},
            url=url,
            section=_("Inspections"),
            count=rest,
            today=today,
        )
    ]


def _inspections(user: Viewer, today: datetime.date) -> list[TodoItem]:
    rows, count = listed(
        Inspection.objects.conducted_by(user)
        .open()
        .filter(planned_on__lte=today + datetime.timedelta(days=SOON_DAYS))
        .select_related("unit__serves", "place")
        .order_by("planned_on", "pk")
    )
    items = [
        TodoItem(
            title=_("Inspection of %(target)s") % {"target": inspection.target_name},
            detail=inspection.get_kind_display(),
            due=inspection.planned_on,
            url=inspection.get_absolute_url(),
            section=_("Inspections"),
            today=today,
        )
        for inspection in rows
    ]
    more = ngettext("%(count)d more inspection", "%(count)d more inspections", count - len(rows))
    beyond = _("More than %(count)d other inspections")
    return items + _more(
        count, len(rows), more, beyond, reverse("inspections:inspection_list"), today
    )


def _to_respond(user: Viewer, today: datetime.date) -> list[TodoItem]:
    rows, count = listed(
        CorrectiveAction.objects.to_respond_by(user)
        .select_related("unit")
        .order_by("deadline", "pk")
    )
    items = [
        TodoItem(
            title=(
                _("Answer the corrective action: %(action)s")
                if can_respond(user, action)
                else _("Corrective action at your unit: %(action)s")
            )
            % {"action": action},
            detail=action.unit.display_name,
            due=action.deadline,
            url=action.get_absolute_url(),
            section=_("Inspections"),
            today=today,
        )
        for action in rows
    ]
    more = ngettext(
        "%(count)d more corrective action to answer",
        "%(count)d more corrective actions to answer",
        count - len(rows),
    )
    beyond = _("More than %(count)d other corrective actions to answer")
    return items + _more(count, len(rows), more, beyond, reverse("inspections:action_list"), today)


def _to_verify(user: Viewer, today: datetime.date) -> list[TodoItem]:
    # The SQL form of can_verify, so the count costs one query however many there are.
    rows, count = listed(
        CorrectiveAction.objects.verifiable_by(user)
        .select_related("unit")
        .order_by("deadline", "pk"),
        limit=1,
    )
    if not rows:
        return []
    first = rows[0]
    if beyond_count(count):
        title = _("Verify more than %(count)d answered corrective actions") % {"count": COUNTED}
    else:
        title = ngettext(
            "Verify %(count)d answered corrective action",
            "Verify %(count)d answered corrective actions",
            count,
        ) % {"count": count}
    return [
        TodoItem(
            title=title,
            detail=first.unit.display_name if count == 1 else "",
            due=first.deadline,
            url=first.get_absolute_url()
            if count == 1
            else reverse("inspections:action_list") + "?show=open",
            section=_("Inspections"),
            count=count,
            today=today,
        )
    ]
