"""The daily reminder job for tasks: due soon, then overdue once a week."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail

from civility.programmes.actions import create_task, report_progress, send_task_reminders
from civility.programmes.models import TaskReminder, TaskState

DEADLINE = datetime.date(2025, 6, 30)


@pytest.fixture
def task(cast, programme):
    cast.a.head.email = "head.a@example.vn"
    cast.a.head.save()
    return create_task(
        actor=cast.city_coordinator,
        programme=programme,
        title="Tổng kết phong trào",
        assignee_unit=cast.a.ward,
        deadline=DEADLINE,
    )


def day(offset: int) -> datetime.date:
    return DEADLINE + datetime.timedelta(days=offset)


def test_reminders_before_the_deadline_go_to_the_units_heads(task):
    assert send_task_reminders(today=day(-7)) == 1
    assert mail.outbox[0].to == ["head.a@example.vn"]
    assert "30/06/2025" in mail.outbox[0].subject
    assert send_task_reminders(today=day(-7)) == 0  # once a day
    assert send_task_reminders(today=day(-5)) == 0
    assert send_task_reminders(today=day(-1)) == 1


def test_overdue_tasks_are_reminded_the_day_after_and_weekly(task):
    assert send_task_reminders(today=day(1)) == 1
    assert "Overdue" in mail.outbox[-1].subject
    assert send_task_reminders(today=day(2)) == 0
    assert send_task_reminders(today=day(8)) == 1
    assert list(TaskReminder.objects.values_list("kind", flat=True)) == ["overdue", "overdue"]


def test_done_tasks_are_not_reminded(cast, task):
    report_progress(actor=cast.a.head, task=task, progress=100, state=TaskState.DONE)
    assert send_task_reminders(today=day(-1)) == 0


def test_the_official_in_charge_is_reminded_instead(cast, programme):
    cast.a.official.email = "official@example.vn"
    cast.a.official.save()
    create_task(
        actor=cast.city_coordinator,
        programme=programme,
        title="x",
        assignee_unit=cast.a.department,
        assignee_official=cast.a.official,
        deadline=DEADLINE,
    )
    send_task_reminders(today=day(-3))
    assert [m.to for m in mail.outbox] == [["official@example.vn"]]
