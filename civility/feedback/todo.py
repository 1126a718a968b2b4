"""Citizens waiting for help at the person's counters and public reports to triage or
handle, for the to-do home (civility/core/todo.py). Two queries."""

from __future__ import annotations

import datetime

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civility.core.todo import TodoItem
from civility.feedback.models import AssistanceCall, PublicReport, ReportStatus


def items_for(user, *, today: datetime.date) -> list[TodoItem]:
    if not user.is_authenticated:
        return []
    return [*_calls(user, today), *_reports(user, today)]


def _calls(user, today: datetime.date) -> list[TodoItem]:
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


def _reports(user, today: datetime.date) -> list[TodoItem]:
    new = Q(status=ReportStatus.NEW)
    handling = Q(status__in=(ReportStatus.ACCEPTED, ReportStatus.IN_PROGRESS))
    facts = (
        PublicReport.objects.handled_by(user)
        .open()
        .aggregate(
            new=Count("pk", filter=new),
            new_due=Min("due_at", filter=new),
            handling=Count("pk", filter=handling),
            handling_due=Min("due_at", filter=handling),
        )
    )
    reports = reverse("feedback:report_list")
    items = []
    if facts["new"]:
        items.append(
            TodoItem(
                title=ngettext(
                    "%(count)d public report to triage",
                    "%(count)d public reports to triage",
                    facts["new"],
                )
                % {"count": facts["new"]},
                due=timezone.localdate(facts["new_due"]),
                url=f"{reports}?status={ReportStatus.NEW}",
                section=_("Citizens' voice"),
                count=facts["new"],
                today=today,
            )
        )
    if facts["handling"]:
        items.append(
            TodoItem(
                title=ngettext(
                    "%(count)d public report being handled",
                    "%(count)d public reports being handled",
                    facts["handling"],
                )
                % {"count": facts["handling"]},
                due=timezone.localdate(facts["handling_due"]),
                url=f"{reports}?status=open",
                section=_("Citizens' voice"),
                count=facts["handling"],
                today=today,
            )
        )
    return items
