"""Long work as background jobs, with progress the page polls (one mechanism for every app).

An app registers what a kind of job does (`@jobs.runner("orgs.import_officials")`), and its
action asks for one with `jobs.enqueue(...)`: a `core.Job` row is written and, once the
request commits, the procrastinate task `core.run_job` runs it in a worker. The page shows
`core/_job.html`, which polls itself every two seconds until the job is done or failed.

Safe to run again (core/tasks.py: a job whose worker died is retried):
- the runner's writes and the job's "done" are one transaction, so a job either did all
  its work and says so, or did none of it and runs again from the start;
- a finished job is never run again (`run` claims only queued or running jobs);
- procrastinate's lock (one per job) keeps two workers from running the same job at once.

Progress is written through a second database connection, in autocommit, so the polling page
sees it while the runner's own transaction is still open; at most twice a second.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from civility.core.models import Job, JobStatus

if TYPE_CHECKING:
    from civility.orgs.models import OrgUnit  # orgs imports core: only for the types

logger = logging.getLogger(__name__)

# Below this many seconds nobody watches: no second connection is opened for progress.
FIRST_PROGRESS_AFTER = 1.0
PROGRESS_EVERY = 0.5


class JobFailed(Exception):
    """The work cannot be done, for a reason the requester can act on (a file with bad rows).
    Nothing the runner wrote is kept; `result` is kept for the page (the list of problems)."""

    def __init__(self, message: str, *, result: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.result = result or {}


@dataclass(frozen=True)
class Kind:
    run: Callable[[Job, Progress], None]
    on_failure: Callable[[Job], None] | None = None


_kinds: dict[str, Kind] = {}


def runner(
    kind: str, *, on_failure: Callable[[Job], None] | None = None
) -> Callable[[Callable[[Job, Progress], None]], Callable[[Job, Progress], None]]:
    """Register the function doing a kind of job: `run(job, progress)`. It loads what it
    needs from `job.params`, calls the app's actions (which audit as `job.owner`), and sets
    `job.result`, `job.result_url` or `job.result_file`. `on_failure(job)` runs after a
    failure was rolled back, to mark the app's own record."""

    def register(function: Callable[[Job, Progress], None]) -> Callable[[Job, Progress], None]:
        _kinds[kind] = Kind(run=function, on_failure=on_failure)
        return function

    return register


class Progress:
    """What a runner reports while it works: `start(total)`, then `advance(n)` per batch."""

    def __init__(self, job: Job | None) -> None:
        self.job = job
        self.started = time.monotonic()
        self.flushed = 0.0
        self.closed = job is None
        self._side: BaseDatabaseWrapper | None = None

    def start(self, total: int, message: str = "") -> None:
        self.update(done=0, total=total, message=message)

    def advance(self, count: int = 1, message: str | None = None) -> None:
        if self.job is not None:
            self.update(done=self.job.done + count, message=message)

    def update(
        self, *, done: int | None = None, total: int | None = None, message: str | None = None
    ) -> None:
        if self.job is None:
            return
        if done is not None:
            self.job.done = max(0, done)
        if total is not None:
            self.job.total = max(0, total)
        if message is not None:
            self.job.message = str(message)[:255]
        now = time.monotonic()
        if self.closed or now - self.started < FIRST_PROGRESS_AFTER:
            return
        if now - self.flushed < PROGRESS_EVERY and done != self.job.total:
            return
        self.flushed = now
        self._write(self.job)

    def _write(self, job: Job) -> None:
        try:
            if self._side is None:
                self._side = connections.create_connection("default")
            with self._side.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {Job._meta.db_table} SET done = %s, total = %s, message = %s "
                    "WHERE id = %s AND status = %s",
                    [job.done, job.total, job.message, job.pk, "running"],
                )
        except Exception:  # progress is a courtesy: never let it stop the work
            logger.warning("Could not write the progress of job %s", job.pk, exc_info=True)

    def close(self) -> None:
        self.closed = True
        if self._side is not None:
            self._side.close()
            self._side = None


NO_PROGRESS = Progress(None)


def enqueue(
    *,
    actor: User | None,
    kind: str,
    title: str,
    unit: OrgUnit | None = None,
    params: dict[str, Any] | None = None,
    inline: bool = False,
) -> Job:
    """Write the job and have a worker run it once the caller's transaction commits; with
    `inline`, run it now, in this request (small work: the same runner, the same result)."""
    if kind not in _kinds:
        raise KeyError(kind)
    job = Job.objects.create(
        kind=kind, title=str(title)[:255], owner=actor, unit=unit, params=params or {}
    )
    if inline:
        run(job.pk)
        job.refresh_from_db()
        return job
    from civility.core.tasks import run_job  # tasks.py runs the jobs this module writes

    transaction.on_commit(lambda: run_job.configure(lock=f"core.job.{job.pk}").defer(job_id=job.pk))
    return job


def run(job_id: int) -> None:
    """Run a queued job (or one whose worker died) to the end; a finished job is left be."""
    claimed = Job.objects.filter(pk=job_id, status__in=(JobStatus.QUEUED, JobStatus.RUNNING))
    if not claimed.update(
        status=JobStatus.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1
    ):
        return
    job = Job.objects.select_related("owner", "unit").get(pk=job_id)
    job.done, job.message, job.error = 0, "", ""
    kind = _kinds.get(job.kind)
    progress = Progress(job)
    try:
        if kind is None:
            raise JobFailed(_("This kind of job is no longer known."))
        with transaction.atomic():
            kind.run(job, progress)
            progress.close()
            job.status = JobStatus.DONE
            job.done = max(job.done, job.total)
            job.finished_at = timezone.now()
            job.save()
    except JobFailed as failure:
        _fail(job, kind, failure.message, failure.result)
    except ValidationError as error:
        _fail(job, kind, " ".join(error.messages))
    except PermissionDenied:
        _fail(job, kind, _("You may no longer do this in this unit."))
    except Exception:
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        _fail(
            job,
            kind,
            _("An unexpected error stopped the job; nothing was changed. The error is logged."),
        )
    finally:
        progress.close()


def _fail(job: Job, kind: Kind | None, message: str, result: dict[str, Any] | None = None) -> None:
    job.status = JobStatus.FAILED
    job.error = message
    job.result = result or {}
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "result", "finished_at", "done", "total"])
    if kind is not None and kind.on_failure is not None:
        try:
            kind.on_failure(job)
        except Exception:
            logger.exception("Marking the failure of job %s", job.pk)
