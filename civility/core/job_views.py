"""The requester's background jobs: the list, and one job's page that polls its progress."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.views.decorators.http import require_GET

from civility.core.files import serve
from civility.core.http import AuthenticatedRequest
from civility.core.models import Job

PAGE_SIZE = 50


@login_required
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = Job.objects.visible_to(request.user).select_related("unit")
    page = Paginator(jobs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "core/job_list.html", {"page": page, "jobs": page.object_list})


@login_required
@require_GET
def job_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(Job.objects.visible_to(request.user).select_related("unit"), pk=pk)
    template = "core/_job.html" if request.htmx else "core/job_detail.html"
    return render(request, template, {"job": job, "result_template": _result_template(job)})


@login_required
@require_GET
def job_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    job = get_object_or_404(Job.objects.visible_to(request.user), pk=pk)
    return serve(job.result_file, filename=job.params.get("file_name") or "result.xlsx")


def _result_template(job: Job) -> str:
    """An app may show a job's result its own way: `<app>/_job_<kind>.html`."""
    app, _dot, name = job.kind.partition(".")
    candidate = f"{app}/_job_{name}.html"
    try:
        get_template(candidate)
    except TemplateDoesNotExist:
        return ""
    return candidate
