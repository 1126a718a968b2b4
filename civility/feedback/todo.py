"""Citizens waiting for help at the person's counters and public reports to triage or
handle, for the to-do home (civility/core/todo.py). Two queries."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AnonymousUser, User
from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Count, Min, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, ngettext_lazy
from django_stubs_ext import StrOrPromise

from civility.core.todo import COUNTED, TodoItem, beyond_count
from civility.feedback.models import AssistanceCall, PublicReport, ReportStatus


def items_for(user: User | AnonymousUser, *, today: datetime.date) -> list[TodoItem]:
    if not user.is_authenticated:
        return []
    return [*_calls(user, today), *_reports(user, today)]


def _calls(user: User, today: datetime.date) -> list[TodoItem]:
    waiting = AssistanceCall.objects.answered_by(user).waiting()
    facts = waiting.aggregate(
        count=Count("pk"),
        since=Min("raised_at"),
        counters=ArrayAgg("counter__name", distinct=True, order_by="counter__name", default=[]),
    )
    count = facts["count"]
    if not count:
        return []
    return [
        TodoItem(
            title=ngettext(
                "%(count)d citizen is waiting for help",
                "%(count)d citizens are waiting for help",
                count,
            )
            % {"count": count},
            detail=", ".join(facts["counters"]),
            # A call is for now: one still waiting from an earlier day is late.
            due=timezone.localdate(facts["since"]),
            url=reverse("feedback:desk"),
            section=_("Citizens' voice"),
            count=count,
            today=today,
        )
    ]


def _reports(user: User, today: datetime.date) -> list[TodoItem]:
    # The due dates of each step's first COUNTED + 1 reports, in one query that stops there:
    # counting every open report of a whole city (tens of thousands) cost each visit the
    # most of the home's time (bench/lists.py).
    reports_of = PublicReport.objects.handled_by(user).open()
    steps = [
        reports_of.filter(status__in=statuses)
        .annotate(step=Value(step))
        .order_by("due_at", "pk")
        .values_list("step", "due_at")[: COUNTED + 1]
        for step, statuses in (
            ("new", (ReportStatus.NEW,)),
            ("handling", (ReportStatus.ACCEPTED, ReportStatus.IN_PROGRESS)),
        )
    ]
    due: dict[str, list[datetime.datetime]] = {"new": [], "handling": []}
    for step, due_at in steps[0].union(steps[1], all=True):
        due[step].append(due_at)
    reports = reverse("feedback:report_list")
    lines = (
        (
            "new",
            f"{reports}?status={ReportStatus.NEW}",
            ngettext_lazy(
                "%(count)d public report to triage", "%(count)d public reports to triage", "count"
            ),
            _("More than %(count)d public reports to triage"),
        ),
        (
            "handling",
            f"{reports}?status=open",
            ngettext_lazy(
                "%(count)d public report being handled",
                "%(count)d public reports being handled",
                "count",
            ),
            _("More than %(count)d public reports being handled"),
        ),
    )
    items = []
    title: StrOrPromise
    for step, url, title, beyond in lines:
        count = len(due[step])
        if not count:
            continue
        if beyond_count(count):
            count, title = COUNTED, beyond
        items.append(
            TodoItem(
                title=title % {"count": count},
                due=timezone.localdate(min(due[step])),
                url=url,
                section=_("Citizens' voice"),
                count=count,
                today=today,
            )
        )
    return items
