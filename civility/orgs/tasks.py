"""Background work of the organisation app: the structure and officials imports, and the
import of former units, run as core jobs."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civility.core import jobs
from civility.core.models import Job
from civility.orgs import actions, former_units
from civility.orgs.imports import ImportResult, Table
from civility.orgs.imports.stored import run_stored_import
from civility.orgs.models import OrgUnit


def _unit_of(job: Job) -> OrgUnit:
    """The unit the file is imported under: request_import always names one."""
    if job.unit is None:
        raise ValueError(f"Job {job.pk} ({job.kind}) names no unit.")
    return job.unit


@jobs.runner("orgs.import_structure")
def import_structure_job(job: Job, progress: jobs.Progress) -> None:
    """Write every unit of the stored file, or none (the action)."""

    def importer(*, table: Table, dry_run: bool, progress: jobs.Progress) -> ImportResult:
        return actions.import_structure(
            actor=job.owner, root=_unit_of(job), table=table, dry_run=dry_run, progress=progress
        )

    run_stored_import(job, progress, importer)


@jobs.runner("orgs.import_officials")
def import_officials_job(job: Job, progress: jobs.Progress) -> None:
    """Write every official of the stored file, or none (the action)."""

    def importer(*, table: Table, dry_run: bool, progress: jobs.Progress) -> ImportResult:
        return actions.import_officials(
            actor=job.owner,
            root=_unit_of(job),
            create_missing_posts=job.params.get("create_missing_posts", False),
            table=table,
            dry_run=dry_run,
            progress=progress,
        )

    run_stored_import(job, progress, importer)


@jobs.runner("orgs.import_former_units")
def import_former_units_job(job: Job, progress: jobs.Progress) -> None:
    """Read the data file, check every row, then write them all or none."""
    params = job.params
    try:
        data = former_units.read_data(Path(params["file"]))
    except ValueError as error:
        raise jobs.JobFailed(str(error)) from None
    result = former_units.import_former_units(
        actor=job.owner,
        province_code=params["province"],
        data=data,
        dry_run=params.get("dry_run", False),
        progress=progress,
    )
    if result.errors:
        raise jobs.JobFailed(
            ngettext(
                "The data has %(count)s problem; nothing was imported.",
                "The data has %(count)s problems; nothing was imported.",
                len(result.errors),
            )
            % {"count": len(result.errors)},
            result=result.as_dict(),
        )
    job.result = result.as_dict()
    job.message = (
        _("Check passed: the former units can be imported.")
        if result.dry_run
        else _("Import done.")
    )
