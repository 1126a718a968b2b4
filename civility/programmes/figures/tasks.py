"""Task figures and roll-ups, and self-reported progress against verified progress."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, DateField, F, Q, Sum
from django.db.models.functions import Abs, TruncMonth

from civility.programmes.figures.common import percent
from civility.programmes.models import (
    VIETNAM,
    Task,
    TaskQuerySet,
    TaskState,
    TaskStatus,
    TaskUpdate,
    TaskUpdateQuerySet,
    vietnam_today,
)
from civility.programmes.models.tasks import TASK_DONE_LATE, TASK_PROLONGED, task_overdue_on

# --- Tasks ------------------------------------------------------------------------------


@dataclass
class TaskFigures:
    total: int = 0  # not cancelled
    done: int = 0  # on time or late
    done_on_time: int = 0
    done_late: int = 0
    overdue: int = 0
    in_progress: int = 0
    not_started: int = 0
    cancelled: int = 0
    prolonged: int = 0

    @property
    def percent_done(self) -> Decimal | None:
        return percent(self.done, self.total)

    @property
    def open(self) -> int:
        return self.total - self.done


def _status_counts(today: datetime.date) -> dict[str, Count]:
    return {
        "total": Count("pk", filter=~Q(state=TaskState.CANCELLED)),
        "cancelled": Count("pk", filter=Q(state=TaskState.CANCELLED)),
        "done": Count("pk", filter=Q(state=TaskState.DONE)),
        "done_late": Count("pk", filter=TASK_DONE_LATE),
        "overdue": Count("pk", filter=task_overdue_on(today)),
        "in_progress": Count("pk", filter=Q(state=TaskState.IN_PROGRESS, deadline__gte=today)),
        "not_started": Count("pk", filter=Q(state=TaskState.NOT_STARTED, deadline__gte=today)),
        "prolonged": Count("pk", filter=TASK_PROLONGED),
    }


def _task_figures(counts: dict[str, int]) -> TaskFigures:
    figures = TaskFigures(**counts)
    figures.done_on_time = figures.done - figures.done_late
    return figures


def task_figures(tasks: TaskQuerySet, today: datetime.date | None = None) -> TaskFigures:
    """Counts by status of the tasks, in one query: "15 of 20 tasks done"."""
    counts = tasks.order_by().aggregate(**_status_counts(today or vietnam_today()))
    return _task_figures(counts)


def task_figures_by_programme(
    tasks: TaskQuerySet, today: datetime.date | None = None
) -> dict[int, TaskFigures]:
    """task_figures for each programme of the tasks, in one query (a programme without
    tasks is missing)."""
    counts = _status_counts(today or vietnam_today())
    rows = tasks.order_by().values_list("programme_id").annotate(**counts)
    return {
        programme_id: _task_figures(dict(zip(counts, values, strict=True)))
        for programme_id, *values in rows
    }


@dataclass
class TaskNode:
    """A task with its children and its rolled-up progress."""

    task: Task
    status: str
    children: list[TaskNode] = field(default_factory=list)
    progress: int = 0  # own progress for a leaf, rolled up from the children otherwise
    open_below: int = 0  # open tasks among the descendants
    overdue_below: int = 0  # overdue tasks among the descendants

    @property
    def has_children(self) -> bool:
        return bool(self.children)


def task_tree(tasks: Iterable[Task], today: datetime.date | None = None) -> list[TaskNode]:
    """The tasks as trees (roots are those whose parent is not in `tasks`), rolled up.

    A parent's progress is the mean of its counted children's progress (a done child counts
    100, cancelled children do not count), recursively; a parent with no counted child keeps
    its own progress.
    """
    today = today or vietnam_today()
    nodes = {task.pk: TaskNode(task=task, status=task.status(today)) for task in tasks}
    roots: list[TaskNode] = []
    for node in nodes.values():
        parent_id = node.task.parent_id
        parent = None if parent_id is None else nodes.get(parent_id)
        (parent.children if parent else roots).append(node)
    for node in roots:
        _roll_up(node)
    return roots


def _roll_up(node: TaskNode) -> None:
    task = node.task
    own = 100 if task.state == TaskState.DONE else task.progress
    counted = []
    for child in node.children:
        _roll_up(child)
        node.open_below += child.open_below + (1 if child.task.is_open() else 0)
        node.overdue_below += child.overdue_below + (1 if child.status == TaskStatus.OVERDUE else 0)
        if child.task.state != TaskState.CANCELLED:
            counted.append(child.progress)
    if task.state == TaskState.DONE or not counted:
        node.progress = own
    else:
        node.progress = round(sum(counted) / len(counted))


def rolled_up_progress(task: Task, today: datetime.date | None = None) -> int:
    """One task's progress rolled up through all its descendants."""
    below = list(descendants(task))
    (root,) = [n for n in task_tree([task, *below], today) if n.task.pk == task.pk]
    return root.progress


def descendants(task: Task) -> Iterator[Task]:
    level = [task.pk]
    while level:
        children = list(Task.objects.filter(parent_id__in=level).select_related("parent"))
        yield from children
        level = [child.pk for child in children]


def flatten(nodes: list[TaskNode], depth: int = 0) -> Iterator[tuple[TaskNode, int]]:
    for node in nodes:
        yield node, depth
        yield from flatten(node.children, depth + 1)


# --- Self-reported progress against verified progress ------------------------------------


def self_assessment_gaps(
    updates: TaskUpdateQuerySet | None = None,
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> list[dict[str, Any]]:
    """Verified progress reports (`updates`, scoped by the caller) per assignee unit and
    month reported (in Vietnam): how many, the sums of the progress reported and verified,
    and of the absolute gaps, in percentage points, so that they add up the tree."""
    rows = (
        (TaskUpdate.objects.all() if updates is None else updates)
        .verified()
        .annotate(month=TruncMonth("created_at", output_field=DateField(), tzinfo=VIETNAM))
    )
    if start:
        rows = rows.filter(month__gte=start.replace(day=1))
    if end:
        rows = rows.filter(month__lte=end)
    sums = (
        rows.values("month", unit_id=F("task__assignee_unit_id"))
        .annotate(
            n=Count("pk"),
            self_sum=Sum("progress"),
            verified_sum=Sum("verified_progress"),
            abs_gap_sum=Sum(Abs(F("progress") - F("verified_progress"))),
        )
        .order_by()
    )
    return [dict(row) for row in sums]
