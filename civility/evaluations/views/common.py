"""What the evaluation pages share."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from civility.core.models import Job, JobStatus


def after_job(request: HttpRequest, job: Job) -> HttpResponse:
    """A job run within the request shows its outcome where it leads; a running one, its
    progress page."""
    if job.status == JobStatus.DONE:
        messages.success(request, job.message)
        return redirect(job.result_url)
    if job.status == JobStatus.FAILED:
        messages.error(request, job.error)
    return redirect(job)
