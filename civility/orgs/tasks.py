"""Background work of the organisation app: the structure and officials imports, run as core
jobs."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civility.core import jobs
from civility.core.models import Job


def _import(job: Job, progress: jobs.Progress, action, **options) -> None:
    """Read the stored file, check every row, then write them all or none (the action)."""
    from civility.orgs import imports

    params = job.params
    try:
        with default_storage.open(params["file"], "rb") as file:
            table = imports.read_table(file, params["file_name"])
        result = action(
            actor=job.owner,
            root=job.unit,
            table=table,
            dry_run=params.get("dry_run", False),
            progress=progress,
            **options,
        )
    except imports.ImportFileError as error:
        raise jobs.JobFailed(error.message) from None
    finally:
        default_storage.delete(params["file"])  # a run that reaches here never runs again
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


@jobs.runner("orgs.import_structure")
def import_structure_job(job: Job, progress: jobs.Progress) -> None:
    from civility.orgs import actions

    _import(job, progress, actions.import_structure)


@jobs.runner("orgs.import_officials")
def import_officials_job(job: Job, progress: jobs.Progress) -> None:
    from civility.orgs import actions

    _import(
        job,
        progress,
        actions.import_officials,
        create_missing_posts=job.params.get("create_missing_posts", False),
    )
