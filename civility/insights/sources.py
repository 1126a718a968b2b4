"""The one place where insights reads the other apps.

Each index component is counted here as a numerator and a denominator per unit (the unit a
record belongs to, not yet its ancestors), for a period. The rollup job (`actions.refresh_rollups`)
expands these counts up the tree. Reads go through each app's own QuerySet methods and
figures modules; where a figure exists there only for one subtree at a time (e.g.
`codes.figures.completion`, `conduct.figures.conduct_figures`), the same rule is applied
here to every unit at once in one grouped query, so that a city-wide rollup stays a
handful of queries. Each such place names the figure it mirrors. (A periodic report's
figures of one subtree are read by `reports.report_figures`.)
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from django_stubs_ext import StrOrPromise

from civility.awards.models import GoodModel, ModelStatus, Replication
from civility.codes.figures import commitment_gaps
from civility.codes.figures import self_assessment_gaps as dissemination_gaps
from civility.codes.models import (
    RISKY_PLACE_KINDS,
    Commitment,
    CommitmentCampaign,
    DisseminationActivity,
)
from civility.conduct.models import ViolationRecord
from civility.evaluations.figures import self_assessment_gaps as evaluation_gaps
from civility.evaluations.models import Evaluation
from civility.feedback.models import AssistanceCall, DossierStat, FollowUpCase, RatingDay, Side
from civility.inspections.models import ActionStatus, CorrectiveAction, Inspection
from civility.orgs.models import Official, Place
from civility.programmes.figures import self_assessment_gaps as progress_gaps
from civility.programmes.models import Task, TaskState

Counts = dict[int, tuple[Decimal, Decimal]]  # unit id -> (numerator, denominator)

# A call for assistance counts as answered in time when staff acknowledge it within this.
ASSISTANCE_TARGET_SECONDS = 120


# How a component's figure varies by chance, which sets its confidence band (index._band):
SHARE = "share"  # numerator out of denominator (Wilson interval)
MEAN = "mean"  # a mean of scores from 0 to 100 (Wilson on mean/100: a conservative band)
COUNT = "count"  # events per unit of exposure, e.g. per 100 officials (Poisson score interval)


@dataclass(frozen=True)
class Component:
    """One index component. Every figure is a rate (numerator over denominator), never a raw
    count, so that units of different sizes compare fairly; the denominator is also the
    sample size that the minimum-sample rule and the confidence band use.

    Adding a component is adding one entry to COMPONENTS: weights, minimum samples and
    scales are read per key with these defaults wherever a province has not set them."""

    key: str
    label: StrOrPromise
    source: StrOrPromise  # which app and records
    method: StrOrPromise  # how the value is computed, shown next to every figure
    unit_label: StrOrPromise  # what the value is: "%", "per 100 officials", "points"
    count: Callable[[datetime.date, datetime.date, datetime.date], Counts]
    link: Callable[[int, datetime.date, datetime.date], str]
    # What the denominator counts, for "not enough data: 12 ratings" ("%(n)s" is filled in).
    sample_label: StrOrPromise = ngettext_lazy("%(n)s record", "%(n)s records", "n")
    lower_is_better: bool = False
    default_weight: int = 10
    factor: int = 100  # a share as %; 1 for a mean (the inspection score)
    distribution: str | None = None  # None: MEAN when factor is 1, else SHARE (band_kind)
    # Below this denominator the figure is too small to rank on as it is (index._component).
    default_min_sample: int = 0
    # For a rate with no natural 100 per cent: the value scoring 0 (lower is better) or 100
    # (higher is better); coordinators may change it. None: the value is already 0..100.
    default_scale: Decimal | None = None

    @property
    def numerator_is_count(self) -> bool:
        """Whether the numerator counts records (ratings, calls, violation records) and so
        adds up across units, as the denominator (the sample) always does. A mean's
        numerator is a sum of scores: its figure is a score, never carried into other units
        (the issue's rule: only counts map forward)."""
        return self.band_kind != MEAN

    @property
    def band_kind(self) -> str:
        if self.distribution:
            return self.distribution
        return MEAN if self.factor == 1 else SHARE

    def value(self, numerator: Decimal, denominator: Decimal) -> Decimal | None:
        if not denominator:
            return None
        return (Decimal(self.factor) * numerator / denominator).quantize(Decimal("0.01"))


def _add(
    counts: Counts, unit_id: int, numerator: Decimal | int | None, denominator: Decimal | int | None
) -> None:
    num, den = counts.get(unit_id, (Decimal(0), Decimal(0)))
    counts[unit_id] = (num + Decimal(numerator or 0), den + Decimal(denominator or 0))


def _add_per_unit(counts: Counts, records: QuerySet[Any]) -> None:
    """Each unit's number of `records` (a queryset) added to its numerator."""
    for row in records.values("unit_id").annotate(n=Count("pk")).order_by():
        _add(counts, row["unit_id"], row["n"], 0)


def _share(due: QuerySet[Any], met: QuerySet[Any], *, by: str = "unit_id") -> Counts:
    """Per unit (the field `by`): the records of `met`, the records of `due` that meet the
    owning app's own rule (its QuerySet method), out of the records of `due`."""
    counts: Counts = {}
    for unit_id, n in due.values_list(by).annotate(n=Count("pk")).order_by():
        _add(counts, unit_id, 0, n)
    for unit_id, n in met.values_list(by).annotate(n=Count("pk")).order_by():
        _add(counts, unit_id, n, 0)
    return counts


def _add_officials(counts: Counts, end: datetime.date, today: datetime.date) -> None:
    """Officials per unit as the denominator of the rates "per 100 officials": today's active
    ones for a period that has not ended, else those still in post on its last day (a
    former ward's 2023 staff who retired in 2024 count for 2023)."""
    officials = Official.objects.active() if end >= today else Official.objects.in_post_on(end)
    for row in officials.values("unit_id").annotate(n=Count("pk")).order_by():
        _add(counts, row["unit_id"], 0, row["n"])


def local_bounds(
    start: datetime.date, end: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    """The instants from the start of `start` to the end of `end`, local time."""
    zone = timezone.get_current_timezone()
    low = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
    high = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, zone)
    return low, high


def _query(url_name: str, unit_id: int, **params: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'unit': unit_id, **params})}"


# --- inspections ---------------------------------------------------------------------------


def inspection_score(start: datetime.date, end: datetime.date, today: datetime.date) -> Counts:
    """Mean score of submitted inspections (inspections.figures.average_by_unit), kept as
    sum and count so that subtrees add up exactly."""
    low, high = local_bounds(start, end)
    counts: Counts = {}
    rows = (
        Inspection.objects.submitted()
        .filter(
            Q(inspected_on__isnull=True, submitted_at__gte=low, submitted_at__lt=high)
            | Q(inspected_on__gte=start, inspected_on__lte=end),
            score__isnull=False,
        )
        .values("unit_id")
        .annotate(total=Sum("score"), n=Count("pk"))
        .order_by()
    )
    for row in rows:
        _add(counts, row["unit_id"], row["total"], row["n"])
    return counts


def corrective_on_time(start: datetime.date, end: datetime.date, today: datetime.date) -> Counts:
    """Corrective actions due in the period: closed by their deadline
    (CorrectiveActionQuerySet.closed_on_time), out of those due by today (an action not yet
    due is not counted late)."""
    due = CorrectiveAction.objects.filter(deadline__gte=start, deadline__lte=end).filter(
        Q(deadline__lt=today) | Q(status=ActionStatus.CLOSED)
    )
    return _share(due, due.closed_on_time())


# --- citizens' voice (feedback rollups) -----------------------------------------------------


def satisfaction(start: datetime.date, end: datetime.date, today: datetime.date) -> Counts:
    """Satisfied ratings out of all ratings, from the daily rollup feedback.RatingDay (the
    same figure as feedback.figures.rating_figures().satisfaction_rate)."""
    rows = (
        RatingDay.objects.filter(day__gte=start, day__lte=end)
        .values("counter_id")
        .annotate(n=Sum("ratings"), satisfied=Sum("ratings", filter=Q(side=Side.SATISFIED)))
        .order_by()
    )
    counts: Counts = {}
    for row in rows:
        _add(counts, row["counter_id"], row["satisfied"], row["n"])
    return counts


def assistance_response(start: datetime.date, end: datetime.date, today: datetime.date) -> Counts:
    """Assistance calls acknowledged within ASSISTANCE_TARGET_SECONDS
    (AssistanceCallQuerySet.acknowledged_within), out of all calls."""
    low, high = local_bounds(start, end)
    calls = AssistanceCall.objects.filter(raised_at__gte=low, raised_at__lt=high)
    in_time = calls.acknowledged_within(datetime.timedelta(seconds=ASSISTANCE_TARGET_SECONDS))
    return _share(calls, in_time, by="counter_id")


def complaints(start: datetime.date, end: datetime.date, today: datetime.date) -> Counts:
    """Follow-up cases (complaints left with a dissatisfied rating, feedback.models.cases)
    per 1,000 dossiers received, at service points with dossier statistics
    (feedback.DossierStat) for the period: only statistics lying within the period count,
    and only cases opened on a day those statistics cover, so that numerator and
    denominator describe the same counters and days (the tree expansion keeps them
    matched)."""
    stats = DossierStat.objects.filter(period_start__gte=start, period_end__lte=end)
    counts: Counts = {}
    for row in stats.values("unit_id").annotate(n=Sum("received")).order_by():
        _add(counts, row["unit_id"], 0, row["n"])
    covered = stats.filter(
        unit=OuterRef("unit"),
        period_start__lte=OuterRef("rated_on"),
        period_end__gte=OuterRef("rated_on"),
    )
    _add_per_unit(
        counts,
        FollowUpCase.objects.filter(rated_on__gte=start, rated_on__lte=end).filter(Exists(covered)),
    )
    return counts


# --- conduct ----------------------------------------------------------------------------


def violations(start: datetime.date, end: datetime.date, today: datetime.date) -> Counts:
    """Confirmed records about officials per 100 active officials: the rule of
    conduct.figures.conduct_figures().per_100_officials, for every unit at once (for a
    past period, per 100 officials in post at its end: _add_officials)."""
    counts: Counts = {}
    _add_per_unit(
        counts,
        ViolationRecord.objects.confirmed().between(start, end).filter(official__isnull=False),
    )
    _add_officials(counts, end, today)
    return counts


# --- codes ------------------------------------------------------------------------------


def commitment_completion(start: datetime.date, end: datetime.date, today: datetime.date) -> Counts:
    """Officials who signed, out of officials asked, for campaigns whose deadline falls in
    the period: codes.figures.completion() for each campaign, bucketed by official's unit."""
    counts: Counts = {}
    campaigns = CommitmentCampaign.objects.filter(deadline__gte=start, deadline__lte=end)
    for campaign in campaigns.select_related("unit"):
        signed = Commitment.objects.filter(campaign=campaign, official=OuterRef("pk"))
        rows = (
            campaign.officials()
            .annotate(has_signed=Exists(signed))
            .values("unit_id")
            .annotate(n=Count("pk"), signed=Count("pk", filter=Q(has_signed=True)))
            .order_by()
        )
        for row in rows:
            _add(counts, row["unit_id"], row["signed"], row["n"])
    return counts


def dissemination(start: datetime.date, end: datetime.date, today: datetime.date) -> Counts:
    """Public places likely to see bad behaviour (codes.models.RISKY_PLACE_KINDS) reached by
    at least one dissemination activity in the period, out of all such places
    (the complement of codes.figures.places_not_reached)."""
    reached = DisseminationActivity.objects.filter(
        place=OuterRef("pk"), held_on__gte=start, held_on__lte=end
    )
    rows = (
        Place.objects.filter(kind__in=RISKY_PLACE_KINDS)
        .annotate(was_reached=Exists(reached))
        .values("unit_id")
        .annotate(n=Count("pk"), reached=Count("pk", filter=Q(was_reached=True)))
        .order_by()
    )
    counts: Counts = {}
    for row in rows:
        _add(counts, row["unit_id"], row["reached"], row["n"])
    return counts


# --- programmes -------------------------------------------------------------------------


def tasks_on_time(start: datetime.date, end: datetime.date, today: datetime.date) -> Counts:
    """Programme tasks due in the period (not cancelled) done by their deadline, out of
    those due by today or done (TaskQuerySet.counted / done_on_time)."""
    due = (
        Task.objects.counted()
        .filter(deadline__gte=start, deadline__lte=end)
        .filter(Q(deadline__lt=today) | Q(state=TaskState.DONE))
    )
    return _share(due, due.done_on_time(), by="assignee_unit_id")


# --- evaluations ------------------------------------------------------------------------


def evaluations_on_time(start: datetime.date, end: datetime.date, today: datetime.date) -> Counts:
    """Monthly self-assessments submitted by their deadline
    (EvaluationQuerySet.submitted_on_time), for the months in the period whose deadline
    has passed or that were submitted."""
    due = Evaluation.objects.filter(period__month__gte=start, period__month__lte=end).filter(
        Q(period__self_deadline__lt=today) | Q(self_submitted_at__isnull=False)
    )
    return _share(due, due.submitted_on_time())


# --- awards -----------------------------------------------------------------------------


def good_models_adopted(start: datetime.date, end: datetime.date, today: datetime.date) -> Counts:
    """Good models recognised in the period (GoodModelQuerySet: status recognised, by
    recognised_on) counted at their owning unit, plus replications taken up in the period
    (ReplicationQuerySet.live: being introduced or adopted, by adopted_on) counted at the
    replicating unit, per 100 active officials (the denominator of `violations`)."""
    counts: Counts = {}
    _add_per_unit(
        counts,
        GoodModel.objects.filter(
            status=ModelStatus.RECOGNISED, recognised_on__gte=start, recognised_on__lte=end
        ),
    )
    _add_per_unit(
        counts, Replication.objects.live().filter(adopted_on__gte=start, adopted_on__lte=end)
    )
    _add_officials(counts, end, today)
    return counts


# --- self-assessment against evidence --------------------------------------------------


def self_assessment(start: datetime.date, end: datetime.date, today: datetime.date) -> Counts:
    """How close units' own scores come to the verified ones: for every verified record in
    the period (approved evaluations, verified progress reports, paper signatures and
    dissemination reports: each app's selector, as on evaluations.gaps' page), 100 minus
    the absolute gap in points, summed, over the number of records."""
    counts: Counts = {}
    for selector in (evaluation_gaps, progress_gaps, commitment_gaps, dissemination_gaps):
        for row in selector(start=start, end=end):
            n = Decimal(row["n"])
            _add(counts, row["unit_id"], 100 * n - Decimal(row["abs_gap_sum"]), n)
    return counts


def _dates(start: datetime.date, end: datetime.date) -> dict[str, str]:
    return {"start": start.isoformat(), "end": end.isoformat()}


COMPONENTS: tuple[Component, ...] = (
    Component(
        key="inspection_score",
        label=_("Inspection score"),
        source=_("Inspections: submitted inspections"),
        method=_("Mean score of the inspections submitted in the period (0–100)."),
        unit_label=_("points"),
        count=inspection_score,
        link=lambda unit, start, end: _query("inspections:inspection_list", unit),
        default_weight=20,
        sample_label=ngettext_lazy("%(n)s inspection", "%(n)s inspections", "n"),
        default_min_sample=3,
        distribution=MEAN,
        factor=1,
    ),
    Component(
        key="satisfaction",
        label=_("Citizens' satisfaction"),
        source=_("Citizens' voice: ratings at the one-stop counters (daily rollups)"),
        method=_("Satisfied ratings as a share of all ratings at the counters in the period."),
        unit_label="%",
        count=satisfaction,
        link=lambda unit, start, end: _query("feedback:overview", unit, **_dates(start, end)),
        default_weight=20,
        sample_label=ngettext_lazy("%(n)s rating", "%(n)s ratings", "n"),
        default_min_sample=30,
    ),
    Component(
        key="complaints",
        label=_("Complaints per 1,000 dossiers"),
        source=_("Citizens' voice: follow-up cases and dossier statistics"),
        method=_(
            "Follow-up cases opened from dissatisfied ratings per 1,000 dossiers received, at "
            "the service points whose dossier statistics cover the period; scored 100 at "
            "none, falling in a straight line to 0 at the province's limit."
        ),
        unit_label=_("per 1,000 dossiers"),
        count=complaints,
        link=lambda unit, start, end: _query("feedback:case_list", unit, status="all"),
        sample_label=ngettext_lazy("%(n)s dossier", "%(n)s dossiers", "n"),
        lower_is_better=True,
        default_weight=5,
        factor=1000,
        distribution=COUNT,
        default_min_sample=300,
        default_scale=Decimal(10),
    ),
    Component(
        key="violations",
        label=_("Confirmed violations per 100 officials"),
        source=_("Conduct: violation records"),
        method=_(
            "Confirmed records about officials in the period per 100 active officials; "
            "scored 100 at none, falling in a straight line to 0 at the province's limit."
        ),
        unit_label=_("per 100 officials"),
        count=violations,
        link=lambda unit, start, end: _query("conduct:figures", unit, **_dates(start, end)),
        sample_label=ngettext_lazy("%(n)s official", "%(n)s officials", "n"),
        lower_is_better=True,
        default_weight=15,
        distribution=COUNT,
        default_min_sample=20,
        default_scale=Decimal(10),
    ),
    Component(
        key="commitment",
        label=_("Commitment completion"),
        source=_("Codes: commitment campaigns"),
        method=_(
            "Officials who signed, as a share of the officials asked, in the campaigns whose "
            "deadline falls in the period."
        ),
        unit_label="%",
        count=commitment_completion,
        link=lambda unit, start, end: _query("codes:campaign_list", unit),
        default_weight=10,
        sample_label=ngettext_lazy("%(n)s official asked", "%(n)s officials asked", "n"),
        default_min_sample=10,
    ),
    Component(
        key="dissemination",
        label=_("Risky places reached by dissemination"),
        source=_("Codes: dissemination activities"),
        method=_(
            "Public places likely to see bad behaviour (markets, commercial centres, "
            "venues…) with at least one dissemination activity in the period, as a share of "
            "all such places."
        ),
        unit_label="%",
        count=dissemination,
        link=lambda unit, start, end: _query("codes:dissemination_summary", unit),
        default_weight=5,
        sample_label=ngettext_lazy("%(n)s place", "%(n)s places", "n"),
        default_min_sample=3,
    ),
    Component(
        key="corrective",
        label=_("Corrective actions closed on time"),
        source=_("Inspections: corrective actions"),
        method=_(
            "Corrective actions due in the period and closed by their deadline, as a share "
            "of those due by today."
        ),
        unit_label="%",
        count=corrective_on_time,
        link=lambda unit, start, end: _query("inspections:action_list", unit),
        default_weight=10,
        sample_label=ngettext_lazy("%(n)s corrective action", "%(n)s corrective actions", "n"),
        default_min_sample=5,
    ),
    Component(
        key="assistance",
        label=_("Assistance calls answered in time"),
        source=_("Citizens' voice: assistance calls"),
        method=_("Calls for assistance acknowledged within 2 minutes, as a share of all calls."),
        unit_label="%",
        count=assistance_response,
        link=lambda unit, start, end: _query("feedback:overview", unit, **_dates(start, end)),
        default_weight=5,
        sample_label=ngettext_lazy("%(n)s call", "%(n)s calls", "n"),
        default_min_sample=10,
    ),
    Component(
        key="tasks",
        label=_("Programme tasks done on time"),
        source=_("Programmes: tasks"),
        method=_(
            "Programme tasks due in the period (cancelled ones left out) done by their "
            "deadline, as a share of those due by today or done."
        ),
        unit_label="%",
        count=tasks_on_time,
        link=lambda unit, start, end: _query("programmes:programme_list", unit),
        default_weight=10,
        sample_label=ngettext_lazy("%(n)s task", "%(n)s tasks", "n"),
        default_min_sample=5,
    ),
    Component(
        key="evaluations",
        label=_("Self-assessments submitted on time"),
        source=_("Evaluations: monthly evaluations"),
        method=_(
            "Monthly self-assessments submitted by their deadline, as a share of those due "
            "in the period."
        ),
        unit_label="%",
        count=evaluations_on_time,
        link=lambda unit, start, end: _query("evaluations:evaluation_home", unit),
        default_weight=5,
        sample_label=ngettext_lazy("%(n)s evaluation due", "%(n)s evaluations due", "n"),
        default_min_sample=3,
    ),
    Component(
        key="good_models",
        label=_("Good models adopted per 100 officials"),
        source=_("Awards: good models and replications"),
        method=_(
            "Good models recognised in the period (counted at the unit that started them) and "
            "replications taken up in the period (counted at the unit taking them up), per "
            "100 active officials; scored 0 at none, rising in a straight line to 100 at the "
            "province's target."
        ),
        unit_label=_("per 100 officials"),
        count=good_models_adopted,
        link=lambda unit, start, end: _query("awards:model_list", unit),
        sample_label=ngettext_lazy("%(n)s official", "%(n)s officials", "n"),
        default_weight=5,
        distribution=COUNT,
        default_min_sample=20,
        default_scale=Decimal(2),
    ),
    Component(
        key="self_assessment",
        label=_("Self-assessment matching the evidence"),
        source=_("Evaluations, programmes, codes: verified self-assessments"),
        method=_(
            "100 minus the mean absolute gap, in points, between units' own scores and the "
            "verified ones (approved monthly evaluations, verified progress reports, paper "
            "signatures and dissemination reports) in the period."
        ),
        unit_label=_("points"),
        count=self_assessment,
        link=lambda unit, start, end: _query(
            "evaluations:self_assessment_gaps",
            unit,
            start=start.strftime("%Y-%m"),
            end=end.strftime("%Y-%m"),
        ),
        sample_label=ngettext_lazy("%(n)s verified record", "%(n)s verified records", "n"),
        default_weight=5,
        default_min_sample=5,
        distribution=MEAN,
        factor=1,
    ),
)
BY_KEY = {component.key: component for component in COMPONENTS}
DEFAULT_WEIGHTS = {component.key: component.default_weight for component in COMPONENTS}
DEFAULT_MIN_SAMPLES = {component.key: component.default_min_sample for component in COMPONENTS}
DEFAULT_SCALES = {
    component.key: component.default_scale
    for component in COMPONENTS
    if component.default_scale is not None
}


def reach(units: list[tuple[int, str, int | None, int | None]]) -> dict[int, tuple[int, ...]]:
    """For each unit (id, path, serves id, parent id), the units whose figures include its
    records: itself and its ancestors, and for a service point or counter also the commune
    it serves (or its service point serves) and that commune's ancestors, each once. The
    same rule as OrgUnit.objects.serving(), so the index and the figures pages agree."""
    paths = {pk: path for pk, path, _serves, _parent in units}
    serves = {pk: served for pk, _path, served, _parent in units}

    def parts(path: str | None) -> list[int]:
        return [int(part) for part in (path or "").strip("/").split("/") if part]

    result: dict[int, tuple[int, ...]] = {}
    for pk, path, served, parent_id in units:
        if served is None and parent_id is not None:
            served = serves.get(parent_id)
        served_path = None if served is None else paths.get(served)
        result[pk] = tuple(dict.fromkeys([*parts(path), *parts(served_path)]))
    return result


def expand(counts: Counts, reaches: dict[int, tuple[int, ...]]) -> Counts:
    """Add each unit's counts to every unit it reaches (see reach): the tree pre-expanded."""
    expanded: dict[int, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for unit_id, (num, den) in counts.items():
        for target in reaches.get(unit_id, ()):
            totals = expanded[target]
            totals[0] += num
            totals[1] += den
    return {unit_id: (num, den) for unit_id, (num, den) in expanded.items()}
