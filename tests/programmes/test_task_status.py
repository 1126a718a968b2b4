"""Task status arithmetic: done, done late and overdue at the deadline boundary in Vietnam."""

from __future__ import annotations

import datetime

import pytest

from civility.programmes.actions import create_task, report_progress
from civility.programmes.models import Task, TaskState, TaskStatus, status_of, vietnam_today

DEADLINE = datetime.date(2025, 6, 30)
UTC = datetime.UTC


def at(hour: int, minute: int = 0, day: int = 30, month: int = 6) -> datetime.datetime:
    return datetime.datetime(2025, month, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def task(cast, programme) -> Task:
    return create_task(
        actor=cast.city_coordinator,
        programme=programme,
        title="Tổ chức hội nghị sơ kết giữa kỳ",
        assignee_unit=cast.a.ward,
        deadline=DEADLINE,
    )


def test_the_day_in_vietnam_starts_seven_hours_before_utc():
    assert vietnam_today(at(16, 59)) == datetime.date(2025, 6, 30)
    assert vietnam_today(at(17, 0)) == datetime.date(2025, 7, 1)


def test_status_table():
    def status(state, completed_on=None, today=DEADLINE):
        return status_of(state=state, deadline=DEADLINE, completed_on=completed_on, today=today)

    later = DEADLINE + datetime.timedelta(days=1)
    assert status(TaskState.NOT_STARTED) == TaskStatus.NOT_STARTED
    assert status(TaskState.IN_PROGRESS) == TaskStatus.IN_PROGRESS
    assert status(TaskState.IN_PROGRESS, today=later) == TaskStatus.OVERDUE
    assert status(TaskState.NOT_STARTED, today=later) == TaskStatus.OVERDUE
    assert status(TaskState.DONE, DEADLINE, today=later) == TaskStatus.DONE
    assert status(TaskState.DONE, later, today=later) == TaskStatus.DONE_LATE
    assert status(TaskState.CANCELLED, today=later) == TaskStatus.CANCELLED


def test_done_at_23_59_in_hanoi_on_the_deadline_is_on_time(cast, task):
    done = report_progress(
        actor=cast.a.head, task=task, progress=100, state=TaskState.DONE, now=at(16, 59)
    )
    assert done.completed_on == DEADLINE
    assert done.status(today=DEADLINE + datetime.timedelta(days=5)) == TaskStatus.DONE
    assert Task.objects.done_on_time().filter(pk=task.pk).exists()


def test_done_at_midnight_in_hanoi_after_the_deadline_is_late(cast, task):
    # 17:00 UTC on 30 June is 00:00 on 1 July in Hanoi.
    done = report_progress(
        actor=cast.a.head, task=task, progress=100, state=TaskState.DONE, now=at(17, 0)
    )
    assert done.completed_on == datetime.date(2025, 7, 1)
    assert done.status() == TaskStatus.DONE_LATE
    assert Task.objects.done_late().filter(pk=task.pk).exists()


def test_an_open_task_becomes_overdue_at_midnight_in_hanoi(task, time_machine):
    time_machine.move_to(at(16, 59), tick=False)
    assert task.status() == TaskStatus.NOT_STARTED
    assert not Task.objects.overdue().exists()
    time_machine.move_to(at(17, 0), tick=False)
    assert task.status() == TaskStatus.OVERDUE
    assert list(Task.objects.overdue()) == [task]
    assert Task.objects.with_status().get().current_status == TaskStatus.OVERDUE


def test_the_sql_status_matches_the_python_status(cast, programme, time_machine):
    time_machine.move_to(at(3, 0, day=10, month=7), tick=False)
    kinds = {}
    for label, deadline in [("late", DEADLINE), ("future", datetime.date(2025, 12, 1))]:
        kinds[label] = create_task(
            actor=cast.city_coordinator,
            programme=programme,
            title=label,
            assignee_unit=cast.a.ward,
            deadline=deadline,
        )
    report_progress(actor=cast.a.head, task=kinds["future"], progress=40)
    rows = Task.objects.with_status()
    assert {t.title: t.current_status for t in rows} == {
        t.title: t.status() for t in Task.objects.all()
    }
    assert {t.title: t.current_status for t in rows} == {
        "late": "overdue",
        "future": "in_progress",
    }


def test_done_resets_progress_to_100_and_reopening_clears_completion(cast, task):
    report_progress(actor=cast.a.head, task=task, progress=60, state=TaskState.DONE)
    task.refresh_from_db()
    assert task.progress == 100 and task.completed_at is not None
    report_progress(actor=cast.a.head, task=task, progress=80, state=TaskState.IN_PROGRESS)
    task.refresh_from_db()
    assert task.completed_at is None and task.completed_on is None and task.progress == 80
