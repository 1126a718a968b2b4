"""Background jobs (procrastinate): the daily check that flags awards for revocation review.

Confirming a violation record flags the awards concerned at once (conduct calls
`flag_awards_for_record`); the daily check also catches awards recorded after the record was
confirmed (an earlier decision entered later). Each award is flagged once per record.
The eligibility lists of a large subtree are written by a core job (with progress).
"""

from __future__ import annotations

import json
from functools import partial

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import Workbook
from procrastinate.contrib.django import app

from civility.awards import history, model_import
from civility.awards.actions.revocations import flag_awards_for_confirmed_records
from civility.awards.eligibility.assessor import Assessor, eligibility_rows
from civility.awards.eligibility.lines import Assessment
from civility.awards.eligibility.quotas import title_for
from civility.awards.models.catalogue import AwardTitle
from civility.core import exports, jobs
from civility.core.i18n import format_number
from civility.core.models import Job
from civility.core.provenance import Provenance
from civility.orgs.imports import ImportResult, Table
from civility.orgs.imports.stored import run_stored_import
from civility.orgs.models import OrgUnit


@app.periodic(cron="15 6 * * *")  # every day at 06:15 (server time zone)
@app.task(queue="reminders", name="awards.flag_awards_for_revocation", queueing_lock="awd-rev")
def flag_awards_for_revocation_daily(timestamp: int) -> int:
    return flag_awards_for_confirmed_records()


def _unit_of(job: Job) -> OrgUnit:
    """The unit the job works on: the actions that queue these jobs always name one."""
    if job.unit is None:
        raise ValueError(f"Job {job.pk} ({job.kind}) names no unit.")
    return job.unit


def _owner_of(job: Job) -> User:
    """Who asked for the job: the imports are queued by the signed-in user who uploaded."""
    if job.owner is None:
        raise ValueError(f"Job {job.pk} ({job.kind}) names no owner.")
    return job.owner


@jobs.runner("awards.eligibility")
def eligibility_job(job: Job, progress: jobs.Progress) -> None:
    """Write the eligibility list of one title, or of every current title of the unit's
    catalogue, for the subtree: one row per nominee with the verdict and the reasons, one
    sheet per title of an .xlsx (the page) or one entry per title of a .json (the API). The
    facts are loaded once for every title (one Assessor); each title's rows are written, then
    dropped, before the next is assessed."""
    unit, year = _unit_of(job), job.params["year"]
    current = AwardTitle.objects.for_unit(unit).current().order_by("recipient", "level", "key")
    if job.params.get("title"):
        current = current.filter(pk=job.params["title"])
    titles = [title_for(unit, title.key, year) or title for title in current]
    progress.start(len(titles) + 1, _("Reading the facts of the year"))
    assessor = Assessor.for_unit(unit, year=year)
    progress.advance(1)
    writer = (_JsonLists if job.params.get("format") == "json" else _SheetLists)(job, unit, year)
    counts = {}
    for title in titles:
        progress.update(message=title.display_name)
        rows = eligibility_rows(assessor, unit, title)
        writer.add(title, rows)
        counts[title.key] = len(rows)
        progress.advance(1)
    job.params["file_name"] = f"du-dieu-kien-{unit.pk}-{year}.{writer.extension}"
    job.result_file.save(job.params["file_name"], ContentFile(writer.finish()), save=False)
    job.result = {"rows": counts}
    job.message = ngettext("%(count)s list written.", "%(count)s lists written.", len(counts)) % {
        "count": format_number(len(counts))
    }


@jobs.runner("awards.import_good_models")
def import_good_models_job(job: Job, progress: jobs.Progress) -> None:
    """Register every good model of the stored file, or none."""
    run_stored_import(
        job,
        progress,
        partial(model_import.import_good_models, actor=_owner_of(job), root=_unit_of(job)),
    )


@jobs.runner("awards.import_past_decisions")
def import_past_decisions_job(job: Job, progress: jobs.Progress) -> None:
    """Record every earlier decision of the stored file, or none (civility.awards.history)."""
    decisions: list[history.PlannedDecision] = []

    def record(*, table: Table, dry_run: bool, progress: jobs.Progress) -> ImportResult:
        planned, result = history.import_past_decisions(
            actor=_owner_of(job),
            root=_unit_of(job),
            table=table,
            dry_run=dry_run,
            progress=progress,
        )
        decisions.extend(planned)
        return result

    run_stored_import(job, progress, record)
    job.result["decisions"] = len(decisions)


class _JsonLists:
    """`{"year", "unit_id", "titles": [{"title_id", "title_key", "items": [...]}]}`, the
    items as `GET /api/v1/awards/eligibility` gives them."""

    extension = "json"

    def __init__(self, job: Job, unit: OrgUnit, year: int) -> None:
        self.head = {"year": year, "unit_id": unit.pk}
        self.parts: list[str] = []

    def add(self, title: AwardTitle, rows: list[Assessment]) -> None:
        self.parts.append(
            json.dumps(
                {
                    "title_id": title.pk,
                    "title_key": title.key,
                    "items": [row.as_dict() for row in rows],
                },
                ensure_ascii=False,
            )
        )

    def finish(self) -> bytes:
        head = json.dumps(self.head, ensure_ascii=False)[:-1]
        return f'{head}, "titles": [{", ".join(self.parts)}]}}'.encode()


class _SheetLists:
    """One sheet per title: the title and year, then a row per nominee."""

    extension = "xlsx"

    def __init__(self, job: Job, unit: OrgUnit, year: int) -> None:
        self.job, self.unit, self.year = job, unit, year
        self.workbook = Workbook()
        self.workbook.remove(self.workbook.active)

    def add(self, title: AwardTitle, rows: list[Assessment]) -> None:
        sheet = self.workbook.create_sheet(f"{len(self.workbook.sheetnames) + 1}. {title.key}"[:31])
        exports.append_row(sheet, [title.display_name, self.year])
        exports.append_row(sheet, [_("Nominee"), _("Unit"), _("Result"), _("Reasons")])
        # A city's 150,000 rows share a few hundred units, three verdicts and mostly the same
        # lines (civility.awards.eligibility shares them): each is written out once.
        units: dict[int, str] = {}
        verdicts: dict[str, str] = {}
        reasons: dict[int, str] = {}  # by id(line): every line lives as long as `rows`
        for row in rows:
            if row.unit.pk not in units:
                units[row.unit.pk] = row.unit.display_name
            verdict = row.verdict
            if verdict not in verdicts:
                verdicts[verdict] = row.verdict_label
            for line in row.lines:
                if id(line) not in reasons:
                    reasons[id(line)] = f"{line.label}: {line.text}"
            exports.append_row(
                sheet,
                [
                    row.nominee_name,
                    units[row.unit.pk],
                    verdicts[verdict],
                    "\n".join(reasons[id(line)] for line in row.lines),
                ],
            )

    def finish(self) -> bytes:
        provenance = Provenance.start(
            title=self.job.title,
            filters=[(_("Unit"), self.unit.display_name), (_("Year"), self.year)],
            by=self.job.owner,
        )
        return exports.save_xlsx(self.workbook, provenance)
