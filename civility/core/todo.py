"""The to-do home: what one person must do now and soon, asked of every app.

Each app lists its own work in `<app>/todo.py` as `items_for(user, *, today)`, returning
`TodoItem`s read through its scoped QuerySets, in one or two queries. `SOURCES` names those
functions as dotted paths, imported when the home is built: apps import core, so core imports
no app at module level.
"""

from __future__ import annotations

import datetime
from dataclasses import InitVar, dataclass, field
from typing import TypeVar

from django.contrib.auth.models import User
from django.db import models
from django.db.models import QuerySet
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

_M = TypeVar("_M", bound=models.Model)

SOURCES = (
    "civility.codes.todo.items_for",
    "civility.evaluations.todo.items_for",
    "civility.feedback.todo.items_for",
    "civility.inspections.todo.items_for",
    "civility.programmes.todo.items_for",
    "civility.insights.todo.items_for",
    "civility.awards.todo.items_for",
    "civility.conduct.todo.items_for",
    "civility.core.todo_jobs.items_for",
)

# Work due within this many days (today excluded) is "soon"; further off is "later".
SOON_DAYS = 7
# Work of one kind listed one by one; beyond it, one line counts the rest.
LISTED = 5
# Work of one kind counted exactly up to this many; beyond it a line says "more than".
COUNTED = 100


class Urgency(models.TextChoices):
    OVERDUE = "overdue", _("Overdue")
    TODAY = "today", _("Due today")
    SOON = "soon", _("Soon")
    LATER = "later", _("Later or without a deadline")


ORDER = tuple(Urgency)


def urgency_of(due: datetime.date | None, today: datetime.date) -> str:
    if due is None:
        return Urgency.LATER
    if due < today:
        return Urgency.OVERDUE
    if due == today:
        return Urgency.TODAY
    if (due - today).days <= SOON_DAYS:
        return Urgency.SOON
    return Urgency.LATER


@dataclass(frozen=True, kw_only=True)
class TodoItem:
    """One thing to do: `url` is the page that does it; `count` is set when the line stands
    for several rows (evaluations to approve, reports to triage)."""

    title: str
    url: str
    section: str
    today: InitVar[datetime.date]
    due: datetime.date | None = None
    detail: str = ""
    count: int | None = None
    urgency: str = field(init=False)

    def __post_init__(self, today: datetime.date) -> None:
        object.__setattr__(self, "urgency", urgency_of(self.due, today))

    @property
    def sort_key(self) -> tuple[int, datetime.date, str]:
        return (ORDER.index(self.urgency), self.due or datetime.date.max, self.title)


def items_for(user: User, *, today: datetime.date) -> list[TodoItem]:
    """Everything `user` must do, overdue first, then by due date."""
    items: list[TodoItem] = [
        item for source in SOURCES for item in import_string(source)(user, today=today)
    ]
    return sorted(items, key=lambda item: item.sort_key)


def grouped(items: list[TodoItem]) -> list[tuple[str, StrOrPromise, list[TodoItem]]]:
    """(urgency, its label, items) for each urgency that has items, most urgent first."""
    return [
        (urgency.value, urgency.label, rows)
        for urgency in ORDER
        if (rows := [item for item in items if item.urgency == urgency])
    ]


def listed(queryset: QuerySet[_M], limit: int = LISTED) -> tuple[list[_M], int]:
    """The first `limit` rows of `queryset` and how many rows it has, counted up to
    COUNTED + 1 (`beyond_count` tells when there are more), in one query that stops there:
    an exact count read every open row of a whole city on each visit (bench/lists.py)."""
    rows = list(queryset[: COUNTED + 1])
    return rows[:limit], len(rows)


def beyond_count(count: int) -> bool:
    """Whether `count` from `listed` stands for "more than COUNTED"."""
    return count > COUNTED
