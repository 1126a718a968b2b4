"""Background jobs (procrastinate): keep the rollups and the index current; build reports and
recompute the index after new weights (core jobs, with progress); e-mail subscribed reports."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import ngettext
from procrastinate.contrib.django import app

from civility.core import jobs
from civility.core.i18n import format_number
from civility.core.models import Job
from civility.insights import actions
from civility.insights.models import JobStatus, ReportJob
from civility.insights.periods import Period


@app.periodic(cron="*/10 * * * *")  # every ten minutes
@app.task(queue="insights", name="insights.refresh", queueing_lock="insights-refresh")
def refresh_current(timestamp: int) -> None:
    today = timezone.localdate(datetime.datetime.fromtimestamp(timestamp, tz=datetime.UTC))
    actions.refresh(periods=actions.current_periods(today), today=today)


@app.task(queue="insights", name="insights.build_report")
def build_report_task(job_id: int) -> None:
    """Reports asked for before they became core jobs (kept while such tasks may be queued)."""
    job = ReportJob.objects.select_related("unit").filter(pk=job_id).first()
    if job is not None:
        actions.build_report(job=job)


@app.periodic(cron="15 6 * * *")  # every day at 06:15 (server time zone)
@app.task(
    queue="insights",
    name="insights.send_subscribed_reports",
    queueing_lock="insights-subscriptions",
)
def send_subscribed_reports(timestamp: int) -> None:
    today = timezone.localdate(datetime.datetime.fromtimestamp(timestamp, tz=datetime.UTC))
    actions.send_due_reports(today=today)


def _report_failed(job: Job) -> None:
    ReportJob.objects.filter(pk=job.params["report"]).update(
        status=JobStatus.FAILED, error=job.error, finished_at=timezone.now()
    )


@jobs.runner("insights.report", on_failure=_report_failed)
def report_job(job: Job, progress: jobs.Progress) -> None:
    report = ReportJob.objects.select_related("unit").get(pk=job.params["report"])
    if report.status == JobStatus.DONE:  # built already (a job from before this one)
        return
    actions.build_report(job=report, progress=progress)
    job.result_url = report.get_absolute_url()


@jobs.runner("insights.recompute_index")
def recompute_index_job(job: Job, progress: jobs.Progress) -> None:
    count = actions.recompute_index(year=job.params["year"], progress=progress)
    job.message = ngettext(
        "%(count)s period recomputed.", "%(count)s periods recomputed.", count
    ) % {"count": format_number(count)}


@jobs.runner("insights.compute_period")
def compute_period_job(job: Job, progress: jobs.Progress) -> None:
    """A past period's rollups and index, asked for from its page (actions.compute_period)."""
    period = Period(job.params["kind"], datetime.date.fromisoformat(job.params["start"]))
    rows = actions.compute_period(period=period, today=timezone.localdate(), progress=progress)
    job.message = ngettext("%(count)s figure computed.", "%(count)s figures computed.", rows) % {
        "count": format_number(rows)
    }
    job.result_url = actions.dashboard_url(job.params["unit"], period)
