"""Sub-tasks and delegation down the tree: roll-ups and figures that count each task once."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from civility.programmes import figures
from civility.programmes.actions import (
    cancel_task,
    create_task,
    extend_deadline,
    report_progress,
)
from civility.programmes.models import Task, TaskState, TaskStatus
from tests.factories import make_unit

TODAY = datetime.date(2025, 7, 15)


@pytest.fixture
def tree(cast, programme):
    """A city task for ward A, split by the ward into two parts, one delegated further."""
    division = make_unit("Phòng Văn hóa - Xã hội", parent=cast.a.ward)
    top = create_task(
        actor=cast.city_coordinator,
        programme=programme,
        title="Xây dựng tổ dân phố văn hóa",
        assignee_unit=cast.a.ward,
        deadline=datetime.date(2025, 12, 31),
    )
    part = create_task(
        actor=cast.a.head,
        programme=programme,
        parent=top,
        title="Rà soát tiêu chí",
        assignee_unit=cast.a.ward,
        deadline=datetime.date(2025, 9, 30),
    )
    delegated = create_task(
        actor=cast.a.head,
        programme=programme,
        parent=top,
        title="Hướng dẫn các tổ dân phố",
        assignee_unit=division,
        deadline=datetime.date(2025, 7, 1),
    )
    return top, part, delegated, division


def test_progress_rolls_up_as_the_mean_of_children(cast, tree):
    top, part, delegated, _division = tree
    report_progress(actor=cast.a.head, task=part, progress=100, state=TaskState.DONE)
    report_progress(actor=cast.a.head, task=delegated, progress=50)
    assert figures.rolled_up_progress(top, TODAY) == 75


def test_roll_up_goes_through_several_levels(cast, programme, tree):
    top, part, delegated, division = tree
    counter = make_unit("Tổ 1", parent=division)
    deeper = create_task(
        actor=cast.a.head,
        programme=programme,
        parent=delegated,
        title="Tổ 1 triển khai",
        assignee_unit=counter,
        deadline=datetime.date(2025, 7, 1),
    )
    report_progress(actor=cast.a.head, task=deeper, progress=20)
    report_progress(actor=cast.a.head, task=part, progress=60)
    # delegated = 20 (its only child), part = 60 → top = 40
    assert figures.rolled_up_progress(delegated, TODAY) == 20
    assert figures.rolled_up_progress(top, TODAY) == 40


def test_cancelled_children_do_not_count(cast, tree):
    top, part, delegated, _division = tree
    report_progress(actor=cast.a.head, task=part, progress=30)
    cancel_task(actor=cast.a.head, task=delegated, reason="Gộp vào nhiệm vụ khác")
    assert figures.rolled_up_progress(top, TODAY) == 30


def test_overdue_children_are_flagged_on_the_parent(tree):
    top, _part, _delegated, _division = tree
    (root,) = figures.task_tree(Task.objects.all(), TODAY)
    assert root.task == top and root.overdue_below == 1 and root.open_below == 2


def test_a_parent_cannot_be_done_while_children_are_open(cast, tree):
    top, part, delegated, _division = tree
    with pytest.raises(ValidationError, match="still open"):
        report_progress(actor=cast.a.head, task=top, progress=100, state=TaskState.DONE)
    for child in (part, delegated):
        report_progress(actor=cast.a.head, task=child, progress=100, state=TaskState.DONE)
    report_progress(actor=cast.city_coordinator, task=top, progress=100, state=TaskState.DONE)


def test_figures_count_a_delegated_task_once_at_the_highest_level(cast, programme, tree):
    top, part, delegated, division = tree
    other = create_task(
        actor=cast.city_coordinator,
        programme=programme,
        title="Phường B",
        assignee_unit=cast.b.ward,
        deadline=datetime.date(2025, 6, 1),
    )
    report_progress(actor=cast.b.head, task=other, progress=100, state=TaskState.DONE)
    city = figures.task_figures(Task.objects.outermost_under(cast.city), TODAY)
    assert (city.total, city.done) == (2, 1)
    ward = figures.task_figures(Task.objects.outermost_under(cast.a.ward), TODAY)
    assert (ward.total, ward.done) == (1, 0)
    division_figures = figures.task_figures(Task.objects.outermost_under(division), TODAY)
    assert (division_figures.total, division_figures.overdue) == (1, 1)


def test_figures_read_15_of_20(cast, programme):
    tasks = [
        create_task(
            actor=cast.city_coordinator,
            programme=programme,
            title=f"Nhiệm vụ {n}",
            assignee_unit=cast.a.ward,
            deadline=datetime.date(2025, 7, 31),
        )
        for n in range(20)
    ]
    for task in tasks[:15]:
        report_progress(actor=cast.a.head, task=task, progress=100, state=TaskState.DONE)
    result = figures.task_figures(Task.objects.filter(programme=programme), TODAY)
    assert (result.done, result.total, result.percent_done) == (15, 20, 75)


def test_delegation_stays_inside_the_parent_unit_and_deadline(cast, programme, tree):
    top, _part, _delegated, _division = tree
    with pytest.raises(ValidationError) as error:
        create_task(
            actor=cast.a.head,
            programme=programme,
            parent=top,
            title="Sang phường khác",
            assignee_unit=cast.b.ward,
            deadline=datetime.date(2025, 8, 1),
        )
    assert "assignee_unit" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        create_task(
            actor=cast.a.head,
            programme=programme,
            parent=top,
            title="Quá hạn cha",
            assignee_unit=cast.a.ward,
            deadline=datetime.date(2026, 1, 31),
        )
    assert "deadline" in error.value.message_dict


def test_only_the_assignee_delegates_and_only_the_assigner_extends(cast, programme, tree):
    top, _part, delegated, _division = tree
    with pytest.raises(PermissionDenied):
        create_task(
            actor=cast.b.head,
            programme=programme,
            parent=top,
            title="x",
            assignee_unit=cast.a.ward,
            deadline=datetime.date(2025, 8, 1),
        )
    with pytest.raises(PermissionDenied):
        extend_deadline(
            actor=cast.b.head, task=delegated, deadline=datetime.date(2025, 8, 1), reason="x"
        )


def test_an_extended_task_is_listed_as_prolonged(cast, tree):
    _top, _part, delegated, _division = tree
    extend_deadline(
        actor=cast.a.head,
        task=delegated,
        deadline=datetime.date(2025, 8, 31),
        reason="Chờ hướng dẫn của Sở",
    )
    delegated.refresh_from_db()
    assert (
        delegated.is_prolonged()
        and delegated.status(TODAY) == TaskStatus.IN_PROGRESS
        or (delegated.status(TODAY) == TaskStatus.NOT_STARTED)
    )
    assert list(Task.objects.delayed_or_prolonged(TODAY)) == [delegated]
    assert figures.task_figures(Task.objects.all(), TODAY).prolonged == 1
