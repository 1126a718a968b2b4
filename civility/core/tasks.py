"""Jobs whose worker died (machine lost, process killed, deploy) are run again.

A procrastinate worker updates a heartbeat every 10 s; a job still "doing" whose worker has
not beaten for JOBS_STALLED_AFTER_SECONDS (default 60) was abandoned, and is put back to run
again by another worker. Jobs must therefore be safe to run again (every task loads its
records by id and calls an idempotent action), and a retried job runs to the end once.
"""

from __future__ import annotations

import logging
import os

from django.conf import settings
from procrastinate.contrib.django import app

from civility.core import jobs
from civility.core.models import Submission

logger = logging.getLogger(__name__)


def stalled_after_seconds() -> float:
    value = getattr(settings, "JOBS_STALLED_AFTER_SECONDS", None)
    return float(value if value is not None else os.environ.get("JOBS_STALLED_AFTER_SECONDS", 60))


async def retry_stalled(seconds: float | None = None) -> int:
    """Put back every job abandoned by a dead worker; returns how many."""
    manager = app.job_manager
    stalled = list(
        await manager.get_stalled_jobs(
            seconds_since_heartbeat=seconds if seconds is not None else stalled_after_seconds()
        )
    )
    for job in stalled:
        logger.warning("Retrying job %s (%s): its worker stopped", job.id, job.task_name)
        await manager.retry_job(job)
    return len(stalled)


@app.periodic(cron="* * * * *")
@app.task(name="core.retry_stalled_jobs", queueing_lock="core.retry_stalled_jobs")
async def retry_stalled_jobs(timestamp: int) -> None:
    await retry_stalled()


@app.periodic(cron="17 * * * *")
@app.task(name="core.forget_old_submissions", queueing_lock="core.forget_old_submissions")
def forget_old_submissions(timestamp: int) -> None:
    """Idempotency keys are replayed for a day (core/idempotency.py), then forgotten."""
    deleted, _detail = Submission.objects.expired().delete()
    logger.info("Forgot %s idempotency keys older than a day", deleted)


@app.task(name="core.run_job", queue="jobs")
def run_job(job_id: int) -> None:
    """Run one civility.core.jobs job; deferred with a lock per job, so never twice at once."""
    jobs.run(job_id)
