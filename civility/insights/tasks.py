"""Background jobs (procrastinate): keep the rollups and the index current; build reports."""

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
