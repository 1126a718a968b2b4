"""Opening a period through the API starts a background job and answers 202 with where to
follow it; the job is its owner's alone."""

from __future__ import annotations

import pytest

from civility.accounts.actions import create_api_token
from civility.core import jobs
from civility.core.models import Job, JobStatus
from civility.evaluations.actions import monthly
from civility.evaluations.models import Evaluation, EvaluationPeriod
from civility.orgs.scopes import Role

pytestmark = pytest.mark.django_db


def _headers(actor, unit, role):
    _token, secret = create_api_token(actor=actor, name="test", unit=unit, role=role)
    return {"Authorization": f"Bearer {secret}"}


def test_opening_a_large_subtree_answers_202_and_the_job_opens_the_period(
    client, cast, people, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(monthly, "INLINE_OFFICIALS", 0)
    coordinator = _headers(cast.admin, cast.city, Role.COORDINATOR)

    with django_capture_on_commit_callbacks(execute=False) as deferred:
        response = client.post(
            "/api/v1/evaluations/periods",
            {"unit_id": cast.a.ward.pk, "month": "2025-03-17"},
            content_type="application/json",
            headers=coordinator,
        )

    assert response.status_code == 202, response.json()
    job = Job.objects.get(kind="evaluations.open_period")
    assert response["Location"] == f"/api/v1/jobs/{job.pk}"
    assert response.json() == {
        "id": job.pk,
        "status": "queued",
        "progress": 0,
        "url": f"/api/v1/jobs/{job.pk}",
    }
    assert len(deferred) == 1 and not EvaluationPeriod.objects.exists()

    jobs.run(job.pk)

    body = client.get(response["Location"], headers=coordinator).json()
    assert body["status"] == JobStatus.DONE and body["progress"] == 100
    period = EvaluationPeriod.objects.get()
    assert body["result"] == {"period": period.pk, "evaluations": 2}
    assert body["result_url"] == period.get_absolute_url() and body["file_url"] is None
    assert Evaluation.objects.filter(period=period).count() == 2


def test_a_refused_period_answers_422_and_starts_no_job(client, cast, people):
    coordinator = _headers(cast.admin, cast.city, Role.COORDINATOR)
    asked = {"unit_id": cast.a.ward.pk, "month": "2025-03-01"}
    client.post(
        "/api/v1/evaluations/periods", asked, content_type="application/json", headers=coordinator
    )

    again = client.post(
        "/api/v1/evaluations/periods", asked, content_type="application/json", headers=coordinator
    )

    assert again.status_code == 422 and again.json()["field"] == "month"
    assert Job.objects.count() == 1


def test_another_user_asking_for_the_job_gets_404(client, cast, people):
    response = client.post(
        "/api/v1/evaluations/periods",
        {"unit_id": cast.a.ward.pk, "month": "2025-03-01"},
        content_type="application/json",
        headers=_headers(cast.admin, cast.city, Role.COORDINATOR),
    )
    job_url = response["Location"]

    client.force_login(cast.city_coordinator)  # same scope, not the one who asked
    assert client.get(job_url).status_code == 404
    assert client.get(f"{job_url}/file").status_code == 404
    client.logout()
    assert client.get(job_url).status_code == 401


def test_a_retried_request_gets_the_same_job_and_location(client, cast, people):
    coordinator = {
        **_headers(cast.admin, cast.city, Role.COORDINATOR),
        "Idempotency-Key": "open-march-2025-a",
    }
    asked = {"unit_id": cast.a.ward.pk, "month": "2025-03-01"}

    first = client.post(
        "/api/v1/evaluations/periods", asked, content_type="application/json", headers=coordinator
    )
    again = client.post(
        "/api/v1/evaluations/periods", asked, content_type="application/json", headers=coordinator
    )

    assert (first.status_code, again.status_code) == (202, 202)
    assert again["Idempotent-Replay"] == "true"
    assert again["Location"] == first["Location"] and again.json() == first.json()
    assert Job.objects.count() == 1 and EvaluationPeriod.objects.count() == 1
