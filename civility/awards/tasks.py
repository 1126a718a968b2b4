"""Background jobs (procrastinate): the daily check that flags awards for revocation review.

Confirming a violation record flags the awards concerned at once (conduct calls
`flag_awards_for_record`); the daily check also catches awards recorded after the record was
confirmed (an earlier decision entered later). Each award is flagged once per record.
The eligibility lists of a large subtree are written by a core job (with progress).
"""

from __future__ import annotations

from functools import partial

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from procrastinate.contrib.django import app

from civility.awards.actions import flag_awards_for_confirmed_records
from civility.core import jobs
from civility.core.i18n import format_number
from civility.core.models import Job
from civility.orgs.imports.stored import run_stored_import


@app.periodic(cron="15 6 * * *")  # every day at 06:15 (server time zone)
@app.task(queue="reminders", name="awards.flag_awards_for_revocation", queueing_lock="awd-rev")
def flag_awards_for_revocation_daily(timestamp: int) -> int:
    return flag_awards_for_confirmed_records()


@jobs.runner("awards.eligibility")
def eligibility_job(job: Job, progress: jobs.Progress) -> None:
    """Write the eligibility list of one title, or of every current title of the unit's
    catalogue, for the subtree: one sheet per title, one row per nominee with the verdict and
    the reasons. The facts are loaded once for every title (one Assessor)."""
    from django.core.files.base import ContentFile
    from openpyxl import Workbook

    from civility.awards.eligibility import Assessor, eligibility_rows, title_for
    from civility.awards.models import AwardTitle
    from civility.core import exports
    from civility.core.provenance import Provenance

    unit, year = job.unit, job.params["year"]
    titles = AwardTitle.objects.for_unit(unit).current().order_by("recipient", "level", "key")
    if job.params.get("title"):
        titles = titles.filter(pk=job.params["title"])
    titles = [title_for(unit, title.key, year) or title for title in titles]
    progress.start(len(titles) + 1, _("Reading the facts of the year"))
    assessor = Assessor.for_unit(unit, year=year)
    progress.advance(1)
    workbook = Workbook()
    workbook.remove(workbook.active)
    counts = {}
    for title in titles:
        progress.update(message=title.display_name)
        rows = eligibility_rows(assessor, unit, title)
        sheet = workbook.create_sheet(f"{len(workbook.sheetnames) + 1}. {title.key}"[:31])
        exports.append_row(sheet, [title.display_name, year])
        exports.append_row(sheet, [_("Nominee"), _("Unit"), _("Result"), _("Reasons")])
        for row in rows:
            exports.append_row(
                sheet,
                [
                    row.nominee_name,
                    row.unit.display_name,
                    row.verdict_label,
                    "\n".join(f"{line.label}: {line.text}" for line in row.lines),
                ],
            )
        counts[title.key] = len(rows)
        progress.advance(1)
    provenance = Provenance.start(
        title=job.title,
        filters=[(_("Unit"), unit.display_name), (_("Year"), year)],
        by=job.owner,
    )
    content = exports.save_xlsx(workbook, provenance)
    job.params["file_name"] = f"du-dieu-kien-{unit.pk}-{year}.xlsx"
    job.result_file.save(job.params["file_name"], ContentFile(content), save=False)
    job.result = {"rows": counts}
    job.message = ngettext("%(count)s list written.", "%(count)s lists written.", len(counts)) % {
        "count": format_number(len(counts))
    }


@jobs.runner("awards.import_good_models")
def import_good_models_job(job: Job, progress: jobs.Progress) -> None:
    """Register every good model of the stored file, or none."""
    from civility.awards import model_import

    run_stored_import(
        job, progress, partial(model_import.import_good_models, actor=job.owner, root=job.unit)
    )


@jobs.runner("awards.import_past_decisions")
def import_past_decisions_job(job: Job, progress: jobs.Progress) -> None:
    """Record every earlier decision of the stored file, or none (civility.awards.history)."""
    from civility.awards import history

    decisions = []

    def record(**kwargs):
        planned, result = history.import_past_decisions(actor=job.owner, root=job.unit, **kwargs)
        decisions.extend(planned)
        return result

    run_stored_import(job, progress, record)
    job.result["decisions"] = len(decisions)
