"""Background jobs (procrastinate): reminders of evaluation steps due or late; opening a
period and computing the annual proposals of a large subtree (core jobs, with progress).

Each task only works out its inputs and calls an action.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import ngettext
from procrastinate.contrib.django import app

from civility.core import jobs
from civility.core.i18n import format_number
from civility.core.models import Job
from civility.evaluations.actions import (
    open_period,
    propose_classifications,
    send_evaluation_reminders,
)
from civility.orgs.models import OrgUnit


@app.periodic(cron="30 7 * * *")  # every day at 07:30 (server time zone)
@app.task(queue="reminders", name="evaluations.send_reminders", queueing_lock="evaluations-rem")
def send_evaluation_reminders_daily(timestamp: int) -> int:
    today = timezone.localdate(datetime.datetime.fromtimestamp(timestamp, tz=datetime.UTC))
    return send_evaluation_reminders(today=today)


def _unit_of(job: Job) -> OrgUnit:
    """The subtree the job works on: these jobs are always asked for a unit."""
    if job.unit is None:
        raise ValueError(f"Job {job.pk} names no unit.")
    return job.unit


def _owner_of(job: Job) -> User:
    """Who asked for the job, its actor: these jobs are always asked for by someone (and a
    user's jobs are deleted with them)."""
    if job.owner is None:
        raise ValueError(f"Job {job.pk} names no owner.")
    return job.owner


@jobs.runner("evaluations.open_period")
def open_period_job(job: Job, progress: jobs.Progress) -> None:
    params = job.params
    unit = _unit_of(job)
    self_deadline, review_deadline, approval_deadline = (
        datetime.date.fromisoformat(day) for day in params["deadlines"]
    )
    period = open_period(
        actor=_owner_of(job),
        unit=unit,
        month=datetime.date.fromisoformat(params["month"]),
        self_deadline=self_deadline,
        review_deadline=review_deadline,
        approval_deadline=approval_deadline,
        exceptional_units=OrgUnit.objects.filter(pk__in=params["exceptional_units"]),
        progress=progress,
    )
    count = period.evaluations.count()
    job.result = {"period": period.pk, "evaluations": count}
    job.result_url = period.get_absolute_url()
    job.message = ngettext(
        "Period opened: %(count)s official to evaluate.",
        "Period opened: %(count)s officials to evaluate.",
        count,
    ) % {"count": format_number(count)}


@jobs.runner("evaluations.propose_classifications")
def propose_classifications_job(job: Job, progress: jobs.Progress) -> None:
    rows = propose_classifications(
        actor=_owner_of(job), unit=_unit_of(job), year=job.params["year"], progress=progress
    )
    job.result = {"proposals": len(rows)}
    job.result_url = job.params["next"]
    job.message = ngettext(
        "%(count)s proposal computed.", "%(count)s proposals computed.", len(rows)
    ) % {"count": format_number(len(rows))}
