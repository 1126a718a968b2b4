"""A large subtree's period and annual proposals run as background jobs: the checks that
name a field still answer in the form, the work is done by the worker, and its page leads to
the result."""

from __future__ import annotations

import pytest

from civility.core import jobs
from civility.core.models import Job, JobStatus
from civility.evaluations.actions import annual, monthly
from civility.evaluations.models import AnnualClassification, EvaluationPeriod
from tests.evaluations.conftest import MONTH

pytestmark = pytest.mark.django_db


@pytest.fixture
def large(monkeypatch):
    """Every subtree counts as large: the background path."""
    monkeypatch.setattr(monthly, "INLINE_OFFICIALS", 0)
    monkeypatch.setattr(annual, "INLINE_OFFICIALS", 0)


def test_opening_a_large_period_is_a_job_whose_page_leads_to_the_period(
    client, cast, people, large, django_capture_on_commit_callbacks
):
    client.force_login(cast.city_coordinator)
    form = {"unit": cast.city.pk, "month": "2025-03"}
    with django_capture_on_commit_callbacks(execute=False) as deferred:
        response = client.post("/evaluations/periods/new/", form)
    job = Job.objects.get(kind="evaluations.open_period")
    assert response["Location"] == job.get_absolute_url() and len(deferred) == 1
    assert not EvaluationPeriod.objects.exists()

    jobs.run(job.pk)

    job.refresh_from_db()
    period = EvaluationPeriod.objects.get(unit=cast.city, month=MONTH)
    assert job.status == JobStatus.DONE and job.result_url == period.get_absolute_url()
    assert period.evaluations.count() == 3
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Period opened: 3 officials to evaluate." in page
    assert f'href="{period.get_absolute_url()}"' in page

    again = client.post("/evaluations/periods/new/", form)
    assert "already open" in again.content.decode()  # refused in the form, no second job
    assert Job.objects.filter(kind="evaluations.open_period").count() == 1


def test_a_large_subtrees_proposals_are_a_job(client, cast, people, open_period, large):
    open_period()
    client.force_login(cast.city_coordinator)
    response = client.post("/evaluations/classifications/propose/", {"unit": cast.city.pk})
    job = Job.objects.get(kind="evaluations.propose_classifications")
    assert response["Location"] == job.get_absolute_url()

    jobs.run(job.pk)
    jobs.run(job.pk)  # retried by procrastinate: nothing twice

    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert AnnualClassification.objects.count() == 3 == job.result["proposals"]
