"""API for background jobs (civility.core.jobs), mounted at /api/v1/ (civility/api.py).

An endpoint that starts long work answers `202 Accepted` with `accepted(...)`: a `Location`
header and a body naming the job; the caller polls `GET /jobs/{id}` until the job is `done`
(then `result`, `result_url` and `file_url` say what it made) or `failed` (`error`).
A job is its owner's: anyone else gets 404, as on the pages.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from civility.core.api_lists import property_examples
from civility.core.files import serve
from civility.core.models import Job, JobStatus
from civility.core.schemas import Message

router = Router(tags=["jobs"])


class JobAccepted(Schema):
    id: int
    status: JobStatus
    progress: int = Field(description="Per cent done, 0 to 100.")
    url: str = Field(description="Where to ask for the job's progress and result.")


class JobOut(Schema):
    id: int
    kind: str
    title: str
    status: JobStatus = Field(description="queued, running, done or failed.")
    progress: int = Field(description="Per cent done, 0 to 100.")
    done: int
    total: int
    message: str
    error: str = Field(description="Why the job failed; nothing it did was kept.")
    result: dict[str, Any] = Field(
        description="What the job made, by kind (ids, counts); when it failed, its problems."
    )
    result_url: str | None = Field(description="The web page of the result, when it has one.")
    file_url: str | None = Field(description="The file the job wrote, when it wrote one.")
    created_at: datetime.datetime
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None

    model_config = ConfigDict(
        json_schema_extra=property_examples(
            id=31,
            kind="awards.eligibility",
            title="Xét điều kiện danh hiệu 2026",
            progress=100,
            done=412,
            total=412,
            message="Đã xong.",
            error="",
            result={"rows": 412},
            result_url="/awards/eligibility/?job=31",
            file_url="/jobs/31/file",
            created_at="2026-12-01T08:30:00+07:00",
            started_at="2026-12-01T08:30:02+07:00",
            finished_at="2026-12-01T08:31:10+07:00",
        )
    )


def job_url(job: Job) -> str:
    return reverse("api:job_detail", kwargs={"job_id": job.pk})


def accepted(response: HttpResponse, job: Job) -> Status[dict[str, Any]]:
    """The answer of an endpoint that started `job`: 202, `Location`, the job's state (a small
    job may already be done, run within the request by the same runner)."""
    url = job_url(job)
    response["Location"] = url
    return Status(202, {"id": job.pk, "status": job.status, "progress": job.percent, "url": url})


def _job(request: HttpRequest, job_id: int) -> Job:
    return get_object_or_404(Job.objects.visible_to(request.user), pk=job_id)


@router.get(
    "/jobs/{job_id}", response={200: JobOut, 401: Message, 404: Message}, url_name="job_detail"
)
def job_detail(request: HttpRequest, job_id: int) -> dict[str, Any]:
    """A background job the caller started: its progress, then its result or why it failed."""
    job = _job(request, job_id)
    return {
        "id": job.pk,
        "kind": job.kind,
        "title": job.title,
        "status": job.status,
        "progress": job.percent,
        "done": job.done,
        "total": job.total,
        "message": job.message,
        "error": job.error,
        "result": job.result,
        "result_url": job.result_url or None,
        "file_url": (
            reverse("api:job_file", kwargs={"job_id": job.pk}) if job.result_file else None
        ),
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
    }


@router.get(
    "/jobs/{job_id}/file",
    response={200: None, 401: Message, 404: Message},
    url_name="job_file",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The file (.json or .xlsx, as the job was asked).",
                "content": {"application/octet-stream": {"schema": {"type": "string"}}},
            }
        }
    },
)
def job_file(request: HttpRequest, job_id: int) -> HttpResponseBase:
    """The file a finished job wrote (404 while it has none)."""
    job = _job(request, job_id)
    return serve(job.result_file, filename=job.params.get("file_name") or "result")
