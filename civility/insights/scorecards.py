"""Public scorecards: how a commune, ward, service point or counter serves citizens, with
its uncertainty, for anyone without an account.

Nothing is counted here. Each figure is the owning app's: satisfaction, assistance calls
answered in time and the inspection score are the culture index's components as stored
(`CultureIndex.components`: the same value, 95 per cent band and minimum-sample verdict the
dashboards show), public-place reports closed on time are feedback's `report_handling`
(closed by their due date), and the rank is the index's rank among siblings
(`figures.siblings_ranked`). A figure below its minimum sample is "not enough data": its
value, and the part that would give it away, are left out; the sample size stays.

Citizens appear only as counts: no comment, reason text or reporter is read.

Which figures a province publishes is a setting (insights/policies.py); the figures are
cached per unit, period and language, the settings are read on every view, so a figure
withdrawn disappears at once from the page, the CSV and the JSON.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy
from django_stubs_ext import StrOrPromise

from civility.core.i18n import format_number, format_percent
from civility.core.provenance import Provenance, fingerprint_rows
from civility.feedback.figures import report_handling
from civility.insights import policies
from civility.insights.figures import SiblingRow, siblings_ranked
from civility.insights.index import interval
from civility.insights.models import CultureIndex, WeightSet
from civility.insights.periods import Period, Span
from civility.insights.sources import (
    BY_KEY,
    DEFAULT_MIN_SAMPLES,
    MEAN,
    SHARE,
    Component,
    expand,
    reach,
)
from civility.orgs.models import COMMUNE_LEVEL_KINDS, OrgUnit, UnitKind
from civility.orgs.policies import policy_values

# Units with a scorecard; the list of units offers the first two groups (a counter is
# reached from its service point and from the QR page at the counter).
LISTED_KINDS = (*COMMUNE_LEVEL_KINDS, UnitKind.SERVICE_POINT)
SCORECARD_KINDS = (*LISTED_KINDS, UnitKind.COUNTER)
TREND_PERIODS = 4
PERIOD_KIND = "quarter"
CACHE_SECONDS = 300

SATISFACTION = "satisfaction"
REPORTS = "reports"
ASSISTANCE = "assistance"
INSPECTIONS = "inspections"
INDEX = "index"
RANK = "rank"

# Measure -> the index component it shows.
FROM_INDEX = {
    SATISFACTION: "satisfaction",
    ASSISTANCE: "assistance",
    INSPECTIONS: "inspection_score",
}
SETTING = {
    SATISFACTION: policies.PUBLIC_SATISFACTION.key,
    REPORTS: policies.PUBLIC_REPORTS.key,
    ASSISTANCE: policies.PUBLIC_ASSISTANCE.key,
    INSPECTIONS: policies.PUBLIC_INSPECTIONS.key,
    INDEX: policies.PUBLIC_RANKING.key,
    RANK: policies.PUBLIC_RANKING.key,
}
LABELS = {
    SATISFACTION: gettext_lazy("Citizens' satisfaction"),
    REPORTS: gettext_lazy("Public-place reports closed on time"),
    ASSISTANCE: gettext_lazy("Assistance calls answered in time"),
    INSPECTIONS: gettext_lazy("Inspection score"),
    INDEX: gettext_lazy("Culture index"),
    RANK: gettext_lazy("Rank among sibling units"),
}
METHODS = {
    REPORTS: gettext_lazy(
        "Reports about public places closed by their due date, as a share of the reports "
        "closed in the period."
    ),
    RANK: gettext_lazy(
        "The culture index weighs every component the province counts (0–100); units are "
        "ranked on it among the units under the same parent."
    ),
}
REPORTS_SAMPLE = ngettext_lazy("%(n)s report closed", "%(n)s reports closed", "n")

OK = "ok"
NOT_ENOUGH = "not_enough"
NO_DATA = "no_data"

ONE_PLACE = Decimal("0.1")


def _q1(value: Decimal | float | str | None) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(ONE_PLACE, ROUND_HALF_UP)


@dataclass(frozen=True)
class Measure:
    """One figure of one period. `part` of `sample` meet the measure (for a share);
    `value`, `part` and the band are None unless the status is OK."""

    key: str
    unit_label: str  # "%", "points" or "" (a rank)
    status: str
    value: Decimal | int | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    part: int | None = None
    sample: int | None = None
    min_sample: int | None = None
    sample_text: str = ""  # "40 ratings"
    note: str = ""

    @property
    def label(self) -> str:
        return str(LABELS[self.key])

    @property
    def is_percent(self) -> bool:
        return self.unit_label == "%"

    def _shown(self, value: Decimal | int) -> str:
        return format_percent(value) if self.is_percent else format_number(value)

    @property
    def shown(self) -> str:
        return "" if self.value is None else self._shown(self.value)

    @property
    def band(self) -> str:
        if self.low is None or self.high is None:
            return ""
        return f"{format_number(self.low)}–{self._shown(self.high)}"


@dataclass
class PeriodFigures:
    period: Period
    measures: list[Measure]

    def get(self, key: str) -> Measure | None:
        return next((m for m in self.measures if m.key == key), None)


@dataclass
class Scorecard:
    unit: OrgUnit
    period: Period
    periods: list[PeriodFigures]  # oldest first; the period asked for is the last
    siblings: list[SiblingRow]
    linked: list[OrgUnit]  # a commune's service points and counters, a point's counters...
    successors: list[OrgUnit] = field(default_factory=list)
    linkable: frozenset[int] = frozenset()  # siblings with a scorecard of their own
    public: frozenset[str] = frozenset(SETTING)

    @property
    def current(self) -> PeriodFigures:
        return self.periods[-1]

    @property
    def is_former(self) -> bool:
        return self.unit.valid_to is not None and not self.unit.is_current()

    @property
    def shows_ranking(self) -> bool:
        return RANK in self.public

    def methods(self) -> list[tuple[str, str]]:
        """How each figure shown is counted: the index component's own words, else ours."""
        return [
            (
                m.label,
                str(BY_KEY[FROM_INDEX[m.key]].method if m.key in FROM_INDEX else METHODS[m.key]),
            )
            for m in self.current.measures
            if m.key != INDEX
        ]


# --- building ---------------------------------------------------------------------------


def _not_enough(sample: Decimal | int, minimum: int, sample_label: StrOrPromise) -> str:
    return _("Not enough data: %(sample)s, %(needed)s needed.") % {
        "sample": sample_label % {"n": int(sample)},
        "needed": minimum,
    }


def _index_measure(key: str, entry: CultureIndex | None) -> Measure:
    """A component as the index stored it: shrunk or left out for a small sample, both are
    "not enough data" here (a citizen reads the unit's own figure or none)."""
    component = BY_KEY[FROM_INDEX[key]]
    unit_label = "%" if component.factor == 100 else str(_("points"))
    components: list[dict[str, Any]] = entry.components if entry else []
    data = next((c for c in components if c["key"] == component.key), {})
    sample = Decimal(data["denominator"]) if data.get("denominator") else Decimal(0)
    if not sample:
        return Measure(key, unit_label, NO_DATA, note=_("No data for this period."))
    if data.get("treatment"):
        return Measure(
            key,
            unit_label,
            NOT_ENOUGH,
            sample=int(sample),
            min_sample=data["min_sample"],
            note=_not_enough(sample, data["min_sample"], component.sample_label),
        )
    return Measure(
        key,
        unit_label,
        OK,
        value=_q1(data["value"]),
        low=_q1(data["score_low"]),
        high=_q1(data["score_high"]),
        part=int(Decimal(data["numerator"])) if component.band_kind == SHARE else None,
        sample=int(sample),
        min_sample=data["min_sample"],
        sample_text=component.sample_label % {"n": int(sample)},
    )


def _reports_measure(unit: OrgUnit, period: Period | Span, minimum: int) -> Measure:
    handling = report_handling(unit=unit, start=period.start, end=period.end)
    closed, on_time = handling.reports_closed, handling.reports_closed_on_time
    if not closed:
        return Measure(REPORTS, "%", NO_DATA, note=_("No data for this period."))
    if closed < minimum:
        return Measure(
            REPORTS,
            "%",
            NOT_ENOUGH,
            sample=closed,
            min_sample=minimum,
            note=_not_enough(closed, minimum, REPORTS_SAMPLE),
        )
    low, high = interval(SHARE, Decimal(on_time), Decimal(closed))
    return Measure(
        REPORTS,
        "%",
        OK,
        value=_q1(handling.on_time_rate),
        low=_q1(low * 100),
        high=_q1(high * 100),
        part=on_time,
        sample=closed,
        min_sample=minimum,
        sample_text=REPORTS_SAMPLE % {"n": closed},
    )


def _index_and_rank(entry: CultureIndex | None) -> list[Measure]:
    if entry is None:
        missing = _("No data for this period.")
        return [Measure(INDEX, "", NO_DATA, note=missing), Measure(RANK, "", NO_DATA, note=missing)]
    if entry.score is None:
        note = _("Not enough data to compute the index: too few of its figures have data.")
        return [Measure(INDEX, "", NOT_ENOUGH, note=note), Measure(RANK, "", NOT_ENOUGH, note=note)]
    index = Measure(
        INDEX, "", OK, value=_q1(entry.score), low=_q1(entry.score_low), high=_q1(entry.score_high)
    )
    if entry.rank is None:  # a province: ranked alone
        return [index]
    rank = Measure(RANK, "", OK, value=entry.rank, sample=entry.ranked_siblings)
    return [index, rank]


def _linked(unit: OrgUnit, on: datetime.date) -> list[OrgUnit]:
    if unit.is_commune_level():
        units = OrgUnit.objects.filter(
            Q(serves=unit, kind=UnitKind.SERVICE_POINT) | Q(parent=unit, kind=UnitKind.COUNTER)
        )
    elif unit.kind == UnitKind.SERVICE_POINT:
        units = OrgUnit.objects.filter(parent=unit, kind=UnitKind.COUNTER)
    elif unit.parent_id is None:  # a root: no service point above it
        return []
    else:
        units = OrgUnit.objects.filter(pk=unit.parent_id, kind=UnitKind.SERVICE_POINT)
    return list(units.valid_on(on).order_by("name"))


def _period_measures(
    unit: OrgUnit,
    period: Period,
    entry: CultureIndex | None,
    reports_minimum: int,
    *,
    with_reports: bool,
) -> list[Measure]:
    measures = [_index_measure(SATISFACTION, entry)]
    if with_reports:
        measures.append(_reports_measure(unit, period, reports_minimum))
    measures += [_index_measure(ASSISTANCE, entry), _index_measure(INSPECTIONS, entry)]
    return measures + _index_and_rank(entry)


def measures(unit: OrgUnit, period: Period, *, today: datetime.date) -> list[Measure]:
    """A unit's figures for one period as its scorecard counts them, every one of them
    whatever the publication settings: for signed-in readers of their own units (the API)."""
    values = policy_values([policies.REPORTS_MIN_SAMPLE.key], unit=unit.province or unit, on=today)
    entry = CultureIndex.objects.for_period(period).filter(unit=unit).first()
    minimum = int(values[policies.REPORTS_MIN_SAMPLE.key].value)
    return _period_measures(unit, period, entry, minimum, with_reports=True)


def span_measures(unit: OrgUnit, span: Span, *, today: datetime.date) -> list[Measure]:
    """The same figures for any run of days (the API's start..end). The index stores
    calendar periods only, so its components are counted here from their sources over
    exactly those days, for the unit's subtree as the index counts it (sources.reach), with
    the province's minimum samples of the span's last year; a sample below its minimum is
    "not enough data" (nothing is shrunk toward a parent). The index and the rank exist for
    months, quarters, half-years and years only: "no data" here, saying so."""
    province = unit.province or unit
    settings = policy_values([policies.REPORTS_MIN_SAMPLE.key], unit=province, on=today)
    weight_set = WeightSet.objects.filter(unit=province, year=span.end.year).first()
    min_samples = {**DEFAULT_MIN_SAMPLES, **(weight_set.min_samples if weight_set else {})}
    reaches = reach(list(OrgUnit.objects.values_list("pk", "path", "serves_id", "parent_id")))

    def live(key: str) -> Measure:
        component = BY_KEY[FROM_INDEX[key]]
        counts = expand(component.count(span.start, span.end, today), reaches)
        numerator, denominator = counts.get(unit.pk, (Decimal(0), Decimal(0)))
        return _counted_measure(
            key, component, numerator, denominator, int(min_samples.get(component.key, 0) or 0)
        )

    reports_minimum = int(settings[policies.REPORTS_MIN_SAMPLE.key].value)
    note = _("The index and the rank are computed for months, quarters, half-years and years.")
    return [
        live(SATISFACTION),
        _reports_measure(unit, span, reports_minimum),
        live(ASSISTANCE),
        live(INSPECTIONS),
        Measure(INDEX, "", NO_DATA, note=note),
        Measure(RANK, "", NO_DATA, note=note),
    ]


def _counted_measure(
    key: str, component: Component, numerator: Decimal, denominator: Decimal, minimum: int
) -> Measure:
    """A component's figure from its counts, as index._component and _index_measure make
    it from the stored index: value, 95 per cent band, or not enough data."""
    unit_label = "%" if component.factor == 100 else str(_("points"))
    if not denominator:
        return Measure(key, unit_label, NO_DATA, note=_("No data for this period."))
    if denominator < minimum:
        return Measure(
            key,
            unit_label,
            NOT_ENOUGH,
            sample=int(denominator),
            min_sample=minimum,
            note=_not_enough(denominator, minimum, component.sample_label),
        )
    if component.band_kind == MEAN:
        low, high = (bound * 100 for bound in interval(MEAN, numerator / 100, denominator))
    else:
        bounds = interval(component.band_kind, numerator, denominator)
        low, high = (bound * component.factor for bound in bounds)
    return Measure(
        key,
        unit_label,
        OK,
        value=_q1(component.value(numerator, denominator)),
        low=_q1(low),
        high=_q1(high),
        part=int(numerator) if component.band_kind == SHARE else None,
        sample=int(denominator),
        min_sample=minimum,
        sample_text=component.sample_label % {"n": int(denominator)},
    )


def build(unit: OrgUnit, period: Period, *, reports_minimum: int) -> Scorecard:
    periods = period.last(TREND_PERIODS)
    entries = {
        entry.period_start: entry
        for entry in CultureIndex.objects.filter(
            unit=unit, period_kind=period.kind, period_start__in=[p.start for p in periods]
        )
    }
    figures = [
        PeriodFigures(
            each,
            # Reports are about public places, filed with a commune: a commune's card shows them.
            _period_measures(
                unit,
                each,
                entries.get(each.start),
                reports_minimum,
                with_reports=unit.is_commune_level(),
            ),
        )
        for each in periods
    ]
    on = min(period.end, unit.valid_to or period.end)
    siblings = siblings_ranked(unit, period)
    linkable = OrgUnit.objects.filter(
        pk__in=[row.unit_id for row in siblings], kind__in=SCORECARD_KINDS
    ).values_list("pk", flat=True)
    return Scorecard(
        unit=unit,
        period=period,
        periods=figures,
        siblings=siblings,
        linked=_linked(unit, on),
        successors=list(unit.successors.order_by("name")) if unit.valid_to else [],
        linkable=frozenset(linkable) if siblings else frozenset(),
    )


def default_period(unit: OrgUnit, today: datetime.date) -> Period:
    """This quarter; for a unit that has ended, the quarter of its last day."""
    last = min(today, unit.valid_to) if unit.valid_to else today
    return Period.containing(PERIOD_KIND, last)


def scorecard(unit: OrgUnit, period: Period, *, today: datetime.date) -> Scorecard:
    """The unit's scorecard as the province publishes it today: the figures (cached), then
    only the ones whose setting is on. The settings are read at the province: a commune's
    own coordinator may not withdraw the commune's figures."""
    keys = [*dict.fromkeys(SETTING.values()), policies.REPORTS_MIN_SAMPLE.key]
    settings = policy_values(keys, unit=unit.province or unit, on=today)
    minimum = int(settings[policies.REPORTS_MIN_SAMPLE.key].value)
    cache_key = ":".join(
        str(part)
        for part in (
            "scorecard",
            unit.pk,
            unit.updated_at.timestamp(),
            period.slug,
            translation.get_language(),
            minimum,
        )
    )
    card: Scorecard | None = cache.get(cache_key)
    if card is None:
        card = build(unit, period, reports_minimum=minimum)
        cache.set(cache_key, card, CACHE_SECONDS)
    public = frozenset(key for key, setting in SETTING.items() if settings[setting].value)
    return replace(
        card,
        public=public,
        periods=[
            PeriodFigures(each.period, [m for m in each.measures if m.key in public])
            for each in card.periods
        ],
        siblings=card.siblings if RANK in public else [],
    )


# --- open data --------------------------------------------------------------------------

COLUMNS = (
    "period",
    "key",
    "measure",
    "value",
    "unit",
    "band_low",
    "band_high",
    "meeting",
    "sample",
    "min_sample",
    "status",
    "note",
)


def headers() -> list[str]:
    return [
        _("Period"),
        _("Key"),
        _("Measure"),
        _("Value"),
        _("Unit of measure"),
        _("95 per cent band: low"),
        _("95 per cent band: high"),
        _("Meeting the measure"),
        _("Sample size"),
        _("Minimum sample"),
        _("Status"),
        _("Note"),
    ]


def rows(card: Scorecard) -> list[list[Any]]:
    """The figures of every period shown, one row per figure: what the CSV and the JSON
    hold, and what their fingerprint is computed from."""
    return [
        [
            each.period.slug,
            m.key,
            m.label,
            m.value,
            m.unit_label,
            m.low,
            m.high,
            m.part,
            m.sample,
            m.min_sample,
            m.status,
            m.note,
        ]
        for each in card.periods
        for m in each.measures
    ]


def provenance(card: Scorecard) -> Provenance:
    return Provenance.start(
        title=_("Public scorecard of %(unit)s") % {"unit": card.unit.display_name},
        filters=[(_("Unit"), card.unit.display_name), (_("Period"), card.period.label)],
        by=None,
    )


def _json_value(value: object) -> object:
    # Decimals as strings, as in the JSON API: no reader turns 82.4 into 82.40000001.
    return str(value) if isinstance(value, Decimal) else value


def as_json(card: Scorecard) -> dict[str, Any]:
    data = rows(card)
    stamp = provenance(card).with_fingerprint(fingerprint_rows([headers(), *data]))
    unit = card.unit
    return {
        "unit": {
            "id": unit.pk,
            "name": unit.display_name,
            "code": unit.code,
            "kind": unit.kind,
            "valid_to": unit.valid_to.isoformat() if unit.valid_to else None,
            "former": card.is_former,
            "url": reverse("scorecards:scorecard", args=[unit.pk]),
        },
        "period": {
            "key": card.period.slug,
            "label": card.period.label,
            "start": card.period.start.isoformat(),
            "end": card.period.end.isoformat(),
        },
        "figures": [
            {column: _json_value(value) for column, value in zip(COLUMNS, row, strict=True)}
            for row in data
        ],
        "provenance": {
            "title": stamp.title,
            "filters": dict(stamp.filters),
            "produced_at": stamp.produced_at.isoformat(),
            "fingerprint": stamp.fingerprint,
            "fingerprint_short": stamp.short_fingerprint,
            "note": stamp.note(),
        },
    }
