"""Writes of the insights app: rollups, the index, weights, report jobs, subscriptions."""

from __future__ import annotations

import datetime
import logging
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civility.accounts.models import Profile
from civility.core import jobs
from civility.core.audit import acting_as
from civility.core.i18n import format_number
from civility.core.jobs import NO_PROGRESS, Progress
from civility.core.models import Job
from civility.insights import exports, reports, sources
from civility.insights import index as index_math
from civility.insights.models import (
    ComponentFigure,
    ComputedPeriod,
    CultureIndex,
    Delivery,
    JobStatus,
    ReportFormat,
    ReportJob,
    SmallSampleRule,
    Subscription,
    WeightSet,
)
from civility.insights.periods import KINDS, Period
from civility.orgs.models import OrgUnit
from civility.orgs.scopes import Role, scope_of

WEIGHT_ROLES = (Role.SYSTEM_ADMIN, Role.COORDINATOR)
REPORT_ROLES = (Role.SYSTEM_ADMIN, Role.COORDINATOR, Role.UNIT_HEAD)
LINK_SALT = "insights.report-link"

logger = logging.getLogger(__name__)


def _reaches() -> dict[int, tuple[int, ...]]:
    return sources.reach(list(OrgUnit.objects.values_list("pk", "path", "serves_id", "parent_id")))


@transaction.atomic
def refresh_rollups(
    *, period: Period, today: datetime.date | None = None, progress: Progress | None = None
) -> int:
    """Recount every component for `period` and replace its rollup rows (for every unit, the
    totals of its subtree and of the counters serving it: sources.reach). Returns the
    number of rows written; `progress` advances once per component."""
    today = today or timezone.localdate()
    reaches = _reaches()
    rows = []
    for component in sources.COMPONENTS:
        key, counts = component.key, component.count(period.start, period.end, today)
        if progress is not None:
            progress.advance(1, message=str(component.label))
        for unit_id, (num, den) in sources.expand(counts, reaches).items():
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


def weights_for(province_id: int, year: int) -> index_math.Rules:
    """The province's rules for the year. A weight set saved before a component existed
    gives it no weight (the coordinators' choice stands until they set one); scales and
    minimum samples not set take the component's default."""
    weight_set = WeightSet.objects.filter(unit_id=province_id, year=year).first()
    if weight_set is None:
        return index_math.Rules(
            weights=dict(sources.DEFAULT_WEIGHTS),
            scales=dict(sources.DEFAULT_SCALES),
            min_samples=dict(sources.DEFAULT_MIN_SAMPLES),
        )
    return index_math.Rules(
        weights={**dict.fromkeys(sources.DEFAULT_WEIGHTS, 0), **weight_set.weights},
        scales={
            **sources.DEFAULT_SCALES,
            **{key: Decimal(str(value)) for key, value in weight_set.scales.items()},
        },
        min_samples={**sources.DEFAULT_MIN_SAMPLES, **weight_set.min_samples},
        rule=weight_set.small_sample_rule,
    )


def _ancestor_ids(path: str) -> list[int]:
    """The ids of a unit's ancestors, nearest first."""
    return [int(part) for part in path.strip("/").split("/")[:-1]][::-1]


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
    rules_cache: dict[int, index_math.Rules] = {}
    results: dict[int, index_math.IndexResult] = {}
    for unit_id, unit_figures in figures.items():
        if unit_id not in units:
            continue
        ancestors = _ancestor_ids(units[unit_id][1])
        province_id = ancestors[-1] if ancestors else unit_id
        if province_id not in rules_cache:
            rules_cache[province_id] = weights_for(province_id, period.year)
        rules = rules_cache[province_id]
        priors = {}
        if rules.rule == index_math.SHRINK:
            for key, (_num, den) in unit_figures.items():
                minimum = int(rules.min_samples.get(key, 0) or 0)
                if den and den < minimum:
                    prior = index_math.find_prior(key, ancestors, figures, minimum)
                    if prior is not None:
                        priors[key] = prior
        results[unit_id] = index_math.compute(
            unit_figures,
            rules.weights,
            scales=rules.scales,
            min_samples=rules.min_samples,
            rule=rules.rule,
            priors=priors,
        )

    # Siblings share a parent. Provinces have none and are never ranked against each other:
    # each is ranked alone, so no figure of one province moves a rank in another.
    siblings: dict[int, dict[int, Decimal | None]] = {}
    for unit_id, result in results.items():
        parent = units[unit_id][0] or -unit_id
        siblings.setdefault(parent, {})[unit_id] = result.score
    ranks: dict[int, int | None] = {}
    counts: dict[int, int] = {}
    flagged: set[int] = set()
    for group in siblings.values():
        group_ranks = index_math.rank(group)
        ranks.update(group_ranks)
        ranked = sum(1 for r in group_ranks.values() if r is not None)
        counts.update(dict.fromkeys(group, ranked))
        flagged |= index_math.bottom(group_ranks)
    # Movement is counted among the same siblings: a unit moved under another parent (a
    # merger) starts afresh.
    previous = {
        unit_id: (rank, score)
        for unit_id, parent_id, rank, score in CultureIndex.objects.for_period(
            period.previous()
        ).values_list("unit_id", "parent_id", "rank", "score")
        if unit_id in units and parent_id == units[unit_id][0]
    }
    rows = [
        CultureIndex(
            unit_id=unit_id,
            parent_id=units[unit_id][0],
            period_kind=period.kind,
            period_start=period.start,
            score=result.score,
            score_low=result.low,
            score_high=result.high,
            weight_covered=result.weight_covered,
            rank=ranks.get(unit_id),
            ranked_siblings=counts.get(unit_id, 0),
            previous_rank=previous.get(unit_id, (None, None))[0],
            previous_score=previous.get(unit_id, (None, None))[1],
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


# --- any past period, on demand ---------------------------------------------------------
# The periodic job (tasks.refresh_current) keeps only the current periods; a month, quarter,
# half or year before them gets rollups and an index once someone asks: a core job computes
# them (with progress) and records the period as computed; pages and reports read them from
# then on like any other period's. A report of a period not computed yet computes it first.

COMPUTE_PERIOD = "insights.compute_period"


def is_computed(period: Period, today: datetime.date) -> bool:
    """Whether the period's figures are kept: the job's own periods, and those computed on
    demand. A period that has not started has none to compute."""
    if period.start > today or period in current_periods(today):
        return True
    return ComputedPeriod.objects.filter(
        period_kind=period.kind, period_start=period.start
    ).exists()


def computed_at(period: Period) -> datetime.datetime | None:
    """When a past period's figures were computed on demand (None: never, or a current
    period the job keeps)."""
    return (
        ComputedPeriod.objects.filter(period_kind=period.kind, period_start=period.start)
        .values_list("computed_at", flat=True)
        .first()
    )


@transaction.atomic
def compute_period(
    *, period: Period, today: datetime.date, progress: Progress | None = None
) -> int:
    """Rollups, then the index, of one period for every unit; returns the rollup rows."""
    progress = progress or NO_PROGRESS
    progress.start(len(sources.COMPONENTS) + 1, period.label)
    rows = refresh_rollups(period=period, today=today, progress=progress)
    compute_index(period=period)
    progress.advance(1)
    ComputedPeriod.objects.update_or_create(
        period_kind=period.kind,
        period_start=period.start,
        defaults={"computed_at": timezone.now()},
    )
    return rows


def request_period_figures(*, actor: User, unit: OrgUnit, period: Period) -> Job:
    """Have a job compute a past period's figures; a job already asked for that period is
    returned instead of a second one."""
    if not scope_of(actor).covers(unit):
        raise PermissionDenied
    today = timezone.localdate()
    if period.start > today:
        raise ValidationError({"period": _("This period has not started yet.")})
    asked = {"kind": period.kind, "start": period.start.isoformat()}
    waiting: Job | None = (
        Job.objects.unfinished()
        .filter(owner=actor, kind=COMPUTE_PERIOD, params__kind=asked["kind"])
        .filter(params__start=asked["start"])
        .first()
    )
    if waiting is not None:
        return waiting
    return jobs.enqueue(
        actor=actor,
        kind=COMPUTE_PERIOD,
        title=_("Figures of %(period)s") % {"period": period.label},
        unit=unit,
        params={**asked, "unit": unit.pk},
    )


def dashboard_url(unit_id: int, period: Period) -> str:
    query = urlencode({"unit": str(unit_id), "period": period.slug})
    return f"{reverse('insights:dashboard')}?{query}"


@transaction.atomic
def save_weights(
    *,
    actor: User,
    province: OrgUnit,
    year: int,
    weights: dict[str, int],
    scales: dict[str, Decimal] | None = None,
    min_samples: dict[str, int] | None = None,
    small_sample_rule: str = SmallSampleRule.SHRINK,
) -> tuple[WeightSet, Job]:
    """Save a province's index settings for a year, and the job re-scoring its periods;
    keys left out of `scales` and `min_samples` keep the components' defaults."""
    if not scope_of(actor).covers(province, roles=WEIGHT_ROLES):
        raise PermissionDenied
    scales, min_samples = scales or {}, min_samples or {}
    for name, values in (("weights", weights), ("scales", scales), ("min_samples", min_samples)):
        unknown = set(values) - set(sources.BY_KEY)
        if unknown:
            raise ValidationError(
                {name: _("Unknown components: %(keys)s.") % {"keys": ", ".join(sorted(unknown))}}
            )
    if set(scales) - set(sources.DEFAULT_SCALES):
        raise ValidationError({"scales": _("Only rates per officials have a scale.")})
    if any(Decimal(value) <= 0 for value in scales.values()):
        raise ValidationError({"scales": _("A scale must be above 0.")})
    if any(int(value) < 0 for value in min_samples.values()):
        raise ValidationError({"min_samples": _("A minimum sample cannot be negative.")})
    if small_sample_rule not in SmallSampleRule.values:
        raise ValidationError({"small_sample_rule": _("Choose shrink or hide.")})
    if sum(weights.values()) <= 0:
        raise ValidationError({"weights": _("At least one component needs a weight above 0.")})
    with acting_as(actor):
        weight_set, _created = WeightSet.objects.update_or_create(
            unit=province,
            year=year,
            defaults={
                "weights": weights,
                "scales": {key: str(value) for key, value in scales.items()},
                "min_samples": {key: int(value) for key, value in min_samples.items()},
                "small_sample_rule": small_sample_rule,
                "updated_by": actor,
            },
        )
    # Every period of the year is re-scored with the new weights from the stored rollups: in
    # the background, unless the province is small (the same job, run at once).
    job = jobs.enqueue(
        actor=actor,
        kind="insights.recompute_index",
        title=_("Recompute the index of %(year)s") % {"year": year},
        unit=province,
        params={"year": year},
        inline=OrgUnit.objects.subtree_of(province).count() <= INLINE_RECOMPUTE_UNITS,
    )
    return weight_set, job


# Provinces with at most this many units have their index recomputed within the request.
INLINE_RECOMPUTE_UNITS = 500


def recompute_index(*, year: int, progress: Progress | None = None) -> int:
    """Re-score every period of `year` that has rollups (after new weights); returns how many
    periods."""
    progress = progress or NO_PROGRESS
    periods = []
    for kind in KINDS:
        period = Period(kind, datetime.date(year, 1, 1))
        while period.year == year:
            periods.append(period)
            period = period.following()
    progress.start(len(periods), _("Recomputing the index"))
    done = 0
    for period in periods:
        if ComponentFigure.objects.for_period(period).exists():
            compute_index(period=period)
            done += 1
        progress.advance(1, message=period.label)
    return done


@transaction.atomic
def request_report(
    *, actor: User, unit: OrgUnit, period: Period, language: str = "vi"
) -> ReportJob:
    """Record the report asked for and have a background job build it."""
    if not scope_of(actor).covers(unit, roles=REPORT_ROLES):
        raise PermissionDenied
    report = ReportJob.objects.create(
        unit=unit,
        period_kind=period.kind,
        period_start=period.start,
        requested_by=actor,
        language=language,
    )
    report.job = jobs.enqueue(
        actor=actor,
        kind="insights.report",
        title=_("Report of %(unit)s, %(period)s")
        % {"unit": unit.display_name, "period": period.label},
        unit=unit,
        params={"report": report.pk},
    )
    report.save(update_fields=["job"])
    return report


def set_progress(job: ReportJob, progress: Progress, percent: int, step: str) -> None:
    """The report's step, shown by its core job's progress (written at once, outside the
    job's transaction, so the polling page sees it)."""
    progress.update(done=percent, total=100, message=step)


def build_report(*, job: ReportJob, progress: Progress | None = None) -> ReportJob:
    """Build the report's files in one direction: compute the period if nobody has yet,
    gather every figure into one value (reports.report_figures), then draw the .docx and
    the .xlsx from that value alone."""
    with translation.override(job.language):
        return _build_report(job, progress or NO_PROGRESS)


def _build_report(job: ReportJob, progress: Progress) -> ReportJob:
    try:
        job.status = JobStatus.RUNNING
        today = timezone.localdate()
        if not is_computed(job.period, today):  # a past period nobody asked for yet
            set_progress(job, progress, 2, _("Computing the index of the period"))
            compute_period(period=job.period, today=today)
        set_progress(job, progress, 5, _("Counting the figures"))
        figures = reports.report_figures(job.unit, job.period)
        provenance = exports.provenance(
            title=_("Report of %(unit)s, %(period)s")
            % {"unit": job.unit.display_name, "period": job.period.label},
            unit=job.unit,
            period=job.period,
            by=job.requested_by,
        )
        set_progress(job, progress, 70, _("Writing the .docx report"))
        docx_bytes = exports.report_docx(figures, provenance)
        set_progress(job, progress, 85, _("Writing the .xlsx tables"))
        xlsx_bytes = exports.report_xlsx(figures, provenance)
        name = f"bao-cao-{job.unit.pk}-{job.period.slug}"
        job.docx.save(f"{name}.docx", ContentFile(docx_bytes), save=False)
        job.xlsx.save(f"{name}.xlsx", ContentFile(xlsx_bytes), save=False)
        job.status = JobStatus.DONE
    except Exception as error:  # the job records the failure for the user; the log has more
        job.status = JobStatus.FAILED
        job.error = str(error)[:2000]
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
        raise
    job.finished_at = timezone.now()
    job.save()
    return job


# --- subscriptions: periodic reports by e-mail ------------------------------------------


@transaction.atomic
def subscribe(*, actor: User, unit: OrgUnit, kind: str, format: str) -> Subscription:
    """Subscribe `actor` to `unit`'s report of `kind` (again, if they had stopped)."""
    if not scope_of(actor).covers(unit, roles=REPORT_ROLES):
        raise PermissionDenied
    if not actor.email:
        raise ValidationError(
            {"email": _("Your account has no e-mail address: add one to your profile first.")}
        )
    with acting_as(actor):
        subscription, _created = Subscription.objects.update_or_create(
            user=actor, unit=unit, kind=kind, defaults={"format": format, "is_active": True}
        )
    return subscription


@transaction.atomic
def unsubscribe(*, actor: User, subscription: Subscription) -> Subscription:
    if subscription.user_id != actor.pk:
        raise PermissionDenied
    with acting_as(actor):
        subscription.is_active = False
        subscription.save(update_fields=["is_active"])
    return subscription


def due_period(kind: str, today: datetime.date) -> Period:
    """The last period of `kind` that has ended by `today`: what a subscriber receives."""
    return Period.containing(kind, today).previous()


def may_receive(user: User, unit: OrgUnit) -> bool:
    """Checked again at every send and download: a user who lost the role gets nothing."""
    return bool(user.is_active and user.email) and scope_of(user).covers(unit, roles=REPORT_ROLES)


def send_due_reports(*, today: datetime.date | None = None) -> int:
    """E-mail every active subscription the report of its last ended period, once: periods
    that ended on or after the day of subscribing, to users still holding a role over the
    unit. The period's rollups and index are refreshed first, so late records count.
    Returns the number of e-mails sent."""
    today = today or timezone.localdate()
    refreshed: set[Period] = set()
    sent = 0
    subscriptions = Subscription.objects.active().select_related("user", "unit").order_by("pk")
    for subscription in subscriptions:
        period = due_period(subscription.kind, today)
        if period.end < timezone.localdate(subscription.created_at):
            continue
        if subscription.deliveries.filter(period_start=period.start).exists():
            continue
        if not may_receive(subscription.user, subscription.unit):
            continue
        if period not in refreshed:
            refresh(periods=[period], today=today)
            refreshed.add(period)
        job = ReportJob.objects.create(
            unit=subscription.unit,
            period_kind=period.kind,
            period_start=period.start,
            requested_by=subscription.user,
            language=_language_of(subscription.user),
        )
        try:
            build_report(job=job)
            sent += deliver_report(subscription=subscription, period=period, job=job)
        except Exception:  # one failed report must not stop the others; the job shows it
            logger.exception("Subscribed report %s for subscription %s", job.pk, subscription.pk)
    return sent


def _language_of(user: User) -> str:
    """The language the user chose in their profile, else the site's."""
    chosen = Profile.objects.filter(user=user).values_list("language", flat=True).first()
    return chosen or settings.LANGUAGE_CODE


def report_link_token(delivery: Delivery) -> str:
    return signing.dumps({"d": delivery.pk}, salt=LINK_SALT)


def delivery_from_token(token: str) -> Delivery | None:
    """The delivery a signed e-mail link names, if the link is genuine and not expired and
    its recipient may still read the unit's reports."""
    try:
        data = signing.loads(
            token, salt=LINK_SALT, max_age=datetime.timedelta(days=settings.INSIGHTS_LINK_DAYS)
        )
    except signing.BadSignature:
        return None
    delivery = (
        Delivery.objects.select_related("job", "subscription__user", "subscription__unit")
        .filter(pk=data.get("d"))
        .first()
    )
    if delivery is None or delivery.job is None:
        return None
    if not may_receive(delivery.subscription.user, delivery.subscription.unit):
        return None
    return delivery


@transaction.atomic
def deliver_report(*, subscription: Subscription, period: Period, job: ReportJob) -> bool:
    """E-mail `job`'s file to the subscriber: attached up to INSIGHTS_ATTACHMENT_MAX_BYTES,
    else as a signed link. Recorded first, so a period is never sent twice; if sending
    fails the record is rolled back and the next run tries again."""
    delivery, created = Delivery.objects.get_or_create(
        subscription=subscription, period_start=period.start, defaults={"job": job}
    )
    if not created:
        return False
    file = job.docx if subscription.format == ReportFormat.DOCX else job.xlsx
    delivery.attached = file.size <= settings.INSIGHTS_ATTACHMENT_MAX_BYTES
    delivery.save(update_fields=["attached"])
    user, unit = subscription.user, subscription.unit
    with translation.override(job.language):
        subject = _("%(report)s: %(unit)s, %(period)s") % {
            "report": subscription.get_kind_display(),
            "unit": unit.display_name,
            "period": period.label,
        }
        lines = [
            _("The %(report)s of %(unit)s for %(period)s, which you subscribed to.")
            % {
                "report": subscription.get_kind_display().lower(),
                "unit": unit.display_name,
                "period": period.label,
            }
        ]
        if not delivery.attached:
            link = settings.SITE_URL + reverse(
                "insights:report_link", args=[report_link_token(delivery)]
            )
            lines.append(
                ngettext(
                    "The file is too large to attach; download it within %(days)s day: %(link)s",
                    "The file is too large to attach; download it within %(days)s days: %(link)s",
                    settings.INSIGHTS_LINK_DAYS,
                )
                % {"days": format_number(settings.INSIGHTS_LINK_DAYS), "link": link}
            )
        subscriptions = settings.SITE_URL + reverse("insights:subscription_list")
        lines.append(_("Stop or change these e-mails: %(link)s") % {"link": subscriptions})
        message = EmailMessage(subject=subject, body="\n\n".join(lines), to=[user.email])
    if delivery.attached:
        file.open("rb")
        try:
            message.attach(
                f"bao-cao-{unit.pk}-{period.slug}.{subscription.format}",
                file.read(),
                MIMETYPES[subscription.format],
            )
        finally:
            file.close()
    message.send()
    return True


MIMETYPES: dict[str, str] = {
    ReportFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ReportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
