"""The one way an uploaded spreadsheet (units, officials, good models, earlier decisions, ...)
is imported: `enqueue_stored_import` keeps the file and queues a core job; the job's runner
calls `run_stored_import`, which reads it, lets the importer check every row and write all or
none, and says how it went."""

from __future__ import annotations

from typing import Protocol

from django.contrib.auth.models import User
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_stubs_ext import StrOrPromise

from civility.core import jobs
from civility.core.files import extension_of, random_stem
from civility.core.models import Job
from civility.orgs.imports.files import ImportFileError, ImportResult, Table, read_table
from civility.orgs.models import OrgUnit

# A file this small (about 2,000 officials) is imported within the request, by the same job;
# a larger one by a worker.
INLINE_IMPORT_BYTES = 256 * 1024


def enqueue_stored_import(
    *,
    actor: User,
    kind: str,
    title: StrOrPromise,
    root: OrgUnit,
    upload: UploadedFile[bytes],
    dry_run: bool,
    **params: object,
) -> Job:
    """Keep the uploaded file and have the job `kind` import it into `root`'s subtree; the
    caller has checked that `actor` may. Returns the core Job."""
    stored = default_storage.save(
        f"jobs/uploads/{random_stem()}{extension_of(upload.name or '')}", upload
    )
    return jobs.enqueue(
        actor=actor,
        kind=kind,
        title=f"{title}: {upload.name}",
        unit=root,
        params={"file": stored, "file_name": upload.name, "dry_run": dry_run, **params},
        inline=(upload.size or 0) <= INLINE_IMPORT_BYTES,
    )


class Importer(Protocol):
    def __call__(self, *, table: Table, dry_run: bool, progress: jobs.Progress) -> ImportResult: ...


def run_stored_import(job: Job, progress: jobs.Progress, importer: Importer) -> ImportResult:
    """Read the file named in `job.params`, import it, and delete it whatever happens: a run
    that gets this far is never run again, and the file may hold personal data. A file with
    problems fails the job with their count, the problems kept in its result."""
    params = job.params
    try:
        with default_storage.open(params["file"], "rb") as file:
            table = read_table(file, params["file_name"])
        result = importer(table=table, dry_run=params.get("dry_run", False), progress=progress)
    except ImportFileError as error:
        raise jobs.JobFailed(error.message) from None
    finally:
        default_storage.delete(params["file"])
    if result.errors:
        raise jobs.JobFailed(
            ngettext(
                "The file has %(count)s problem; nothing was imported.",
                "The file has %(count)s problems; nothing was imported.",
                len(result.errors),
            )
            % {"count": len(result.errors)},
            result=result.as_dict(),
        )
    job.result = result.as_dict()
    job.message = (
        _("Check passed: the file can be imported.") if result.dry_run else _("Import done.")
    )
    return result
