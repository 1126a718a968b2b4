"""A progress report carries the day the work was finished, so tasks finished long ago and
entered now keep their real punctuality."""

from __future__ import annotations

import datetime
import importlib

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from civility.programmes.actions import create_task, report_progress
from civility.programmes.models import Task, TaskStatus, TaskUpdate, UpdateKind

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 12, 5, 3, 0, tzinfo=datetime.UTC)


@pytest.fixture
def task(cast, programme) -> Task:
    with time_machine.travel(datetime.datetime(2023, 1, 5, 3, tzinfo=datetime.UTC)):
        return create_task(
            actor=cast.city_coordinator,
            programme=programme,
            title="Ra mắt mô hình tổ dân phố văn minh",
            assignee_unit=cast.a.ward,
            deadline=datetime.date(2023, 6, 30),
        )


@time_machine.travel(NOW, tick=False)
def test_a_task_finished_in_2023_and_entered_now_is_on_time(client, cast, task):
    client.force_login(cast.a.head)
    response = client.post(
        reverse("programmes:task_progress", args=[task.pk]),
        {"progress": 100, "state": "done", "completed_on": "2023-06-20"},
    )

    assert response.status_code == 302
    task.refresh_from_db()
    assert task.completed_on == datetime.date(2023, 6, 20)
    assert task.status() == TaskStatus.DONE
    assert Task.objects.done_late().count() == 0
    update = TaskUpdate.objects.get(task=task, kind=UpdateKind.PROGRESS)
    assert update.completed_on == datetime.date(2023, 6, 20)
    page = client.get(task.get_absolute_url()).content.decode()
    assert "completed on" in page and "2023" in page


@time_machine.travel(NOW, tick=False)
def test_without_a_date_the_task_is_completed_today_and_late(cast, task):
    report_progress(actor=cast.a.head, task=task, progress=100, state="done")
    task.refresh_from_db()
    assert task.completed_on == datetime.date(2026, 12, 5)
    assert task.status() == TaskStatus.DONE_LATE


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("day", "message"),
    [
        (datetime.date(2026, 12, 6), "cannot be in the future"),
        (datetime.date(2020, 12, 31), "before the task started"),
    ],
)
def test_a_completion_date_in_the_future_or_before_the_start_is_refused(cast, task, day, message):
    with pytest.raises(ValidationError) as error:
        report_progress(actor=cast.a.head, task=task, progress=100, state="done", completed_on=day)
    assert message in error.value.message_dict["completed_on"][0]
    task.refresh_from_db()
    assert task.state != "done"


@time_machine.travel(NOW, tick=False)
def test_the_api_takes_the_completion_date(client, cast, task, make_token):
    _token, headers = make_token(cast.a.ward, role="unit_head")
    response = client.post(
        f"/api/v1/programmes/tasks/{task.pk}/progress",
        {"progress": 100, "state": "done", "completed_on": "2023-06-29"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 200, response.content
    task.refresh_from_db()
    assert task.completed_on == datetime.date(2023, 6, 29)


def test_the_migration_gives_earlier_reports_their_tasks_completion_day(cast, task):
    with time_machine.travel(datetime.datetime(2023, 7, 2, 3, tzinfo=datetime.UTC)):
        report_progress(actor=cast.a.head, task=task, progress=100, state="done")
    TaskUpdate.objects.update(completed_on=None)
    migration = importlib.import_module(
        "civility.programmes.migrations.0004_progress_completion_date"
    )
    migration.completion_days(apps, None)

    update = TaskUpdate.objects.get(kind=UpdateKind.PROGRESS)
    task.refresh_from_db()
    assert update.completed_on == task.completed_on == datetime.date(2023, 7, 2)
    assert task.status() == TaskStatus.DONE_LATE
