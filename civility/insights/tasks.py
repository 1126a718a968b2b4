"""Background jobs (procrastinate): keep the rollups and the index current; build reports;
e-mail subscribed reports."""

from __future__ import annotations

import datetime

from django.utils import timezone
from procrastinate.contrib.django import app

from civility.insights import actions
from civility.insights.models import ReportJob


@app.periodic(cron="*/10 * * * *")  # every ten minutes
@app.task(queue="insights", name="insights.refresh", queueing_lock="insights-refresh")
def refresh_current(timestamp: int) -> None:
    today = timezone.localdate(datetime.datetime.fromtimestamp(timestamp, tz=datetime.UTC))
    actions.refresh(periods=actions.current_periods(today), today=today)


@app.task(queue="insights", name="insights.build_report")
def build_report_task(job_id: int) -> None:
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
