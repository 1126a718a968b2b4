"""The person's own background jobs reach the to-do home: running ones and this week's
failures, never another person's."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from civility.core.models import Job, JobStatus
from civility.core.todo_jobs import items_for

pytestmark = pytest.mark.django_db


def _job(owner, *, status, title, finished_days_ago=None, done=0, total=0):
    finished = (
        timezone.now() - datetime.timedelta(days=finished_days_ago)
        if finished_days_ago is not None
        else None
    )
    return Job.objects.create(
        kind="test",
        title=title,
        owner=owner,
        status=status,
        done=done,
        total=total,
        error="Row 12: the unit code is unknown" if status == JobStatus.FAILED else "",
        finished_at=finished,
    )


def test_running_and_recently_failed_jobs_are_listed_for_their_owner_only(django_user_model):
    owner = django_user_model.objects.create_user("owner", password="x")
    other = django_user_model.objects.create_user("other", password="x")
    running = _job(owner, status=JobStatus.RUNNING, title="Import officials", done=1, total=4)
    failed = _job(owner, status=JobStatus.FAILED, title="Annual proposals", finished_days_ago=1)
    _job(owner, status=JobStatus.FAILED, title="Old failure", finished_days_ago=30)
    _job(owner, status=JobStatus.DONE, title="Finished", finished_days_ago=0)
    _job(other, status=JobStatus.RUNNING, title="Someone else's import")

    items = items_for(owner, today=timezone.localdate())

    by_url = {item.url: item for item in items}
    assert set(by_url) == {running.get_absolute_url(), failed.get_absolute_url()}
    assert "Import officials" in by_url[running.get_absolute_url()].title
    assert "25" in by_url[running.get_absolute_url()].detail
    assert "Row 12" in by_url[failed.get_absolute_url()].detail
    assert items_for(other, today=timezone.localdate())[0].title.endswith("Someone else's import")
