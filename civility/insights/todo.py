"""Periodic reports due, for the to-do home (civility/core/todo.py): for each unit where the
person holds a reporting role, the report of each ended period (month, half-year, year) that
has index figures and no report yet. One query."""

from __future__ import annotations

import datetime
from functools import reduce
from operator import or_

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from civility.core.todo import TodoItem
from civility.insights.actions import REPORT_ROLES, due_period
from civility.insights.models import CultureIndex, JobStatus, ReportJob, ReportKind
from civility.orgs.scopes import scope_of


def items_for(user: AbstractBaseUser | AnonymousUser, *, today: datetime.date) -> list[TodoItem]:
    scope = scope_of(user)
    if scope.is_global:
        units = Q(unit__parent__isnull=True)
    else:
        paths = scope.paths_with_role(*REPORT_ROLES)
        if not paths:
            return []
        units = Q(unit__path__in=paths)
    periods = [due_period(kind, today) for kind in ReportKind.values]
    made = ReportJob.objects.filter(
        unit=OuterRef("unit"),
        period_kind=OuterRef("period_kind"),
        period_start=OuterRef("period_start"),
        status=JobStatus.DONE,
    )
    pending = (
        CultureIndex.objects.filter(units)
        .filter(reduce(or_, (Q(period_kind=p.kind, period_start=p.start) for p in periods)))
        .exclude(Exists(made))
        .select_related("unit")
        .order_by("period_start", "unit__name")
    )
    reports = reverse("insights:report_list")
    return [
        TodoItem(
            title=_("%(report)s for %(period)s")
            % {
                "report": ReportKind(row.period_kind).label,
                "period": row.period.label,
            },
            detail=row.unit.display_name,
            # Due the day after its period ends, when subscribers receive theirs by e-mail.
            due=row.period.end + datetime.timedelta(days=1),
            url=f"{reports}?unit={row.unit_id}&period={row.period.slug}",
            section=_("Culture index"),
            today=today,
        )
        for row in pending
    ]
