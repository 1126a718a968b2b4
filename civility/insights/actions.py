"""Writes of the insights app: rollups, the index, weights, report jobs."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civility.core.audit import acting_as
from civility.insights import index as index_math
from civility.insights import sources
from civility.insights.models import (
    ComponentFigure,
    CultureIndex,
    JobStatus,
    ReportJob,
    WeightSet,
)
from civility.insights.periods import KINDS, Period
from civility.orgs.models import OrgUnit
from civility.orgs.scopes import Role, scope_of

WEIGHT_ROLES = (Role.SYSTEM_ADMIN, Role.COORDINATOR)
REPORT_ROLES = (Role.SYSTEM_ADMIN, Role.COORDINATOR, Role.UNIT_HEAD)


def _unit_paths() -> dict[int, str]:
    return dict(OrgUnit.objects.values_list("pk", "path"))


@transaction.atomic
def refresh_rollups(*, period: Period, today: datetime.date | None = None) -> int:
    """Recount every component for `period` and replace its rollup rows (subtree totals for
    every unit). Returns the number of rows written."""
    today = today or timezone.localdate()
    paths = _unit_paths()
    rows = []
    for key, counts in sources.count_all(period.start, period.end, today).items():
        for unit_id, (num, den) in sources.expand(counts, paths).items():
            if not num and not den:
                continue
            rows.append(
                ComponentFigure(
                    unit_id=unit_id,
                    period_kind=period.kind,
                    period_start=period.start,
                    component=key,
                    numerator=num,
                    denominator=den,
                )
            )
    ComponentFigure.objects.for_period(period).delete()
    ComponentFigure.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def weights_for(province_id: int, year: int) -> tuple[dict, Decimal]:
    weight_set = WeightSet.objects.filter(unit_id=province_id, year=year).first()
    if weight_set is None:
        return dict(sources.DEFAULT_WEIGHTS), Decimal(10)
    return {**dict.fromkeys(sources.DEFAULT_WEIGHTS, 0), **weight_set.weights}, (
        weight_set.violations_zero_at
    )


@transaction.atomic
def compute_index(*, period: Period) -> int:
    """The index of every unit with figures for `period`, ranked among its siblings."""
    figures: dict[int, dict[str, tuple[Decimal, Decimal]]] = {}
    for unit_id, key, num, den in (
        ComponentFigure.objects.for_period(period)
        .values_list("unit_id", "component", "numerator", "denominator")
        .iterator(chunk_size=5000)
    ):
        figures.setdefault(unit_id, {})[key] = (num, den)
    units = {
        pk: (parent_id, path)
        for pk, parent_id, path in OrgUnit.objects.filter(pk__in=figures).values_list(
            "pk", "parent_id", "path"
        )
    }
    weights_cache: dict[int, tuple[dict, Decimal]] = {}
    results: dict[int, index_math.IndexResult] = {}
    for unit_id, unit_figures in figures.items():
        if unit_id not in units:
            continue
        province_id = int(units[unit_id][1].split("/", 1)[0])
        if province_id not in weights_cache:
            weights_cache[province_id] = weights_for(province_id, period.year)
        weights, zero_at = weights_cache[province_id]
        results[unit_id] = index_math.compute(unit_figures, weights, violations_zero_at=zero_at)

    siblings: dict[int | None, dict[int, Decimal | None]] = {}
    for unit_id, result in results.items():
        siblings.setdefault(units[unit_id][0], {})[unit_id] = result.score
    ranks: dict[int, int | None] = {}
    counts: dict[int, int] = {}
    flagged: set[int] = set()
    for group in siblings.values():
        group_ranks = index_math.rank(group)
        ranks.update(group_ranks)
        ranked = sum(1 for r in group_ranks.values() if r is not None)
        counts.update(dict.fromkeys(group, ranked))
        flagged |= index_math.bottom(group_ranks)
    previous = dict(
        CultureIndex.objects.for_period(period.previous()).values_list("unit_id", "rank")
    )
    rows = [
        CultureIndex(
            unit_id=unit_id,
            parent_id=units[unit_id][0],
            period_kind=period.kind,
            period_start=period.start,
            score=result.score,
            weight_covered=result.weight_covered,
            rank=ranks.get(unit_id),
            ranked_siblings=counts.get(unit_id, 0),
            previous_rank=previous.get(unit_id),
            is_bottom=unit_id in flagged,
            components=[component.as_json() for component in result.components],
        )
        for unit_id, result in results.items()
    ]
    CultureIndex.objects.for_period(period).delete()
    CultureIndex.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def refresh(*, periods: list[Period], today: datetime.date | None = None) -> None:
    """Rollups then index, oldest period first (a rank's movement reads the one before)."""
    for period in sorted(periods, key=lambda p: (p.kind, p.start)):
        refresh_rollups(period=period, today=today)
        compute_index(period=period)


def current_periods(today: datetime.date) -> list[Period]:
    """What the periodic job keeps current: this and last month, and this quarter, half and
    year (late records land in the month before)."""
    periods = [Period.containing(kind, today) for kind in KINDS]
    periods.append(Period.containing("month", today).previous())
    return periods


@transaction.atomic
def save_weights(
    *,
    actor,
    province: OrgUnit,
    year: int,
    weights: dict[str, int],
    violations_zero_at: Decimal,
) -> WeightSet:
    if not scope_of(actor).covers(province, roles=WEIGHT_ROLES):
        raise PermissionDenied
    unknown = set(weights) - set(sources.BY_KEY)
    if unknown:
        raise ValidationError(
            _("Unknown components: %(keys)s.") % {"keys": ", ".join(sorted(unknown))}
        )
    if sum(weights.values()) <= 0:
        raise ValidationError({"weights": _("At least one component needs a weight above 0.")})
    with acting_as(actor):
        weight_set, _created = WeightSet.objects.update_or_create(
            unit=province,
            year=year,
            defaults={
                "weights": weights,
                "violations_zero_at": violations_zero_at,
                "updated_by": actor,
            },
        )
    # Every period of the year is re-scored with the new weights from the stored rollups.
    for kind in KINDS:
        period = Period(kind, datetime.date(year, 1, 1))
        while period.year == year:
            if ComponentFigure.objects.for_period(period).exists():
                compute_index(period=period)
            period = period.following()
    return weight_set


@transaction.atomic
def request_report(*, actor, unit: OrgUnit, period: Period, language: str = "vi") -> ReportJob:
    if not scope_of(actor).covers(unit, roles=REPORT_ROLES):
        raise PermissionDenied
    job = ReportJob.objects.create(
        unit=unit,
        period_kind=period.kind,
        period_start=period.start,
        requested_by=actor,
        language=language,
    )
    from civility.insights.tasks import build_report_task

    transaction.on_commit(lambda: build_report_task.defer(job_id=job.pk))
    return job


def set_progress(job: ReportJob, progress: int, step: str) -> None:
    """Saved at once (outside any transaction), so the page polling the job sees it."""
    ReportJob.objects.filter(pk=job.pk).update(
        progress=progress, step=step, status=JobStatus.RUNNING
    )


def build_report(*, job: ReportJob) -> ReportJob:
    from django.core.files.base import ContentFile
    from django.utils import translation

    from civility.insights import exports

    with translation.override(job.language):
        return _build_report(job, exports, ContentFile)


def _build_report(job: ReportJob, exports, ContentFile) -> ReportJob:
    try:
        set_progress(job, 5, _("Counting the figures"))
        figures = sources.report_figures(job.unit, job.period.start, job.period.end)
        set_progress(job, 50, _("Reading the index and rankings"))
        context = exports.report_context(job.unit, job.period, figures)
        set_progress(job, 70, _("Writing the .docx report"))
        docx_bytes = exports.report_docx(context)
        set_progress(job, 85, _("Writing the .xlsx tables"))
        xlsx_bytes = exports.report_xlsx(context)
        name = f"bao-cao-{job.unit.pk}-{job.period.slug}"
        job.docx.save(f"{name}.docx", ContentFile(docx_bytes), save=False)
        job.xlsx.save(f"{name}.xlsx", ContentFile(xlsx_bytes), save=False)
        job.status = JobStatus.DONE
        job.progress = 100
        job.step = ""
    except Exception as error:  # the job records the failure for the user; the log has more
        job.status = JobStatus.FAILED
        job.error = str(error)[:2000]
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
        raise
    job.finished_at = timezone.now()
    job.save()
    return job
