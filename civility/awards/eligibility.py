"""Who is eligible for a title in a year, and why, line by line.

Each condition of the title version gives one line with a status:

- met / not met: decided from the records;
- missing: the record that would decide it is not there (no classification entered yet, no
  decisions recorded for an earlier year) — shown as missing, never as "not eligible";
- unknown (source not available): the app holding the fact is not installed;
- to check: a condition the system cannot compute (the board checks it by hand).

The verdict is "not eligible" when a line is not met, "data missing" when a line is missing
or unknown, else "eligible". An `Assessor` loads the facts of a whole set of officials for a
year in a handful of queries (civility.awards.facts), then assesses in memory.
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from civility.awards import facts
from civility.awards.models import (
    Award,
    AwardTitle,
    DisciplineThreshold,
    GoodModel,
    InitiativeRule,
    Nomination,
    OpenActionsEffect,
    Quota,
    QuotaBase,
    RevocationReview,
    Verdict,
)
from civility.awards.policies import (
    ADVANCED_WORKER_DISCIPLINED,
    ADVANCED_WORKER_RECRUITED_UNDER_10_MONTHS,
)
from civility.awards.rules import ADVANCED_WORKER, Classification, at_least, discipline_at_least
from civility.core.i18n import format_number, format_percent
from civility.orgs.models import Official, OrgUnit, UnitKind
from civility.orgs.policies import PolicyValue, policy_for_units


class Status:
    MET = "met"
    NOT_MET = "not_met"
    MISSING = "missing"
    UNAVAILABLE = "unavailable"
    TO_CHECK = "to_check"


def status_label(status: str) -> str:
    """The label in the active language; the five labels are translated once per language
    (a city's list has a million lines)."""
    language = get_language()
    if language not in _status_labels:
        _status_labels[language] = {
            Status.MET: _("Met"),
            Status.NOT_MET: _("Not met"),
            Status.MISSING: _("Missing data"),
            Status.UNAVAILABLE: _("Unknown (source not available)"),
            Status.TO_CHECK: _("To check by the board"),
        }
    return _status_labels[language][status]


_status_labels: dict[str | None, dict[str, str]] = {}


@dataclass
class Line:
    condition: str
    status: str
    text: str

    @property
    def label(self) -> str:
        return status_label(self.status)

    def as_dict(self) -> dict:
        return {"condition": self.condition, "status": self.status, "text": self.text}


@dataclass
class Assessment:
    title: AwardTitle
    year: int
    official: Official | None
    unit: OrgUnit
    lines: list[Line] = field(default_factory=list)
    # The nominee's awards flagged for revocation review, or decided (shown, not a condition).
    revocations: list[RevocationReview] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        statuses = {line.status for line in self.lines}
        if Status.NOT_MET in statuses:
            return Verdict.NOT_ELIGIBLE
        if statuses & {Status.MISSING, Status.UNAVAILABLE}:
            return Verdict.INCOMPLETE
        return Verdict.ELIGIBLE

    @property
    def verdict_label(self) -> str:
        return str(Verdict(self.verdict).label)

    @property
    def nominee_name(self) -> str:
        return self.official.full_name if self.official else self.unit.display_name

    def as_dict(self) -> dict:
        """One nominee of an eligibility list, as the API gives it."""
        return {
            "official_id": self.official.pk if self.official else None,
            "unit_id": self.unit.pk,
            "name": self.nominee_name,
            "verdict": self.verdict,
            "lines": [line.as_dict() for line in self.lines],
        }

    def snapshot(self) -> dict:
        return {
            "verdict": self.verdict,
            "year": self.year,
            "title_id": self.title.pk,
            "title_key": self.title.key,
            "title_version": self.title.version,
            "rule_set": self.title.rule_set,
            "computed_at": timezone.now().isoformat(),
            "sources": facts.source_status(),
            "lines": [line.as_dict() for line in self.lines],
        }


def _classification_label(level: str) -> str:
    if level == facts.NOT_CLASSIFIED:
        return _("not classified (e.g. worked under six months)")
    return str(Classification(level).label)


def _threshold_label(threshold: str) -> str:
    return str(DisciplineThreshold(threshold).label).lower()


def _unassessed(count: int) -> str:
    """The sentence about members without the data to assess them (`%(unknown)s` inside)."""
    return ngettext(
        "%(unknown)s member cannot be assessed: data missing.",
        "%(unknown)s members cannot be assessed: data missing.",
        count,
    )


def _names(officials: list[Official], limit: int = 5) -> str:
    names = [official.full_name for official in officials[:limit]]
    if len(officials) > limit:
        names.append(_("and %(count)s more") % {"count": format_number(len(officials) - limit)})
    return ", ".join(names)


def title_for(unit: OrgUnit, key: str, year: int) -> AwardTitle | None:
    """The version of title `key` in the catalogue applying to `unit`, in force at the end of
    `year` (the year's achievements are judged under the rules of that year)."""
    return (
        AwardTitle.objects.for_unit(unit)
        .in_force(datetime.date(year, 12, 31))
        .filter(key=key)
        .order_by("-unit__depth")
        .first()
    )


def _province_path(unit: OrgUnit) -> str:
    return unit.path.split("/")[0] + "/"


# --- Quotas ------------------------------------------------------------------------------


@dataclass
class QuotaUse:
    quota: Quota
    limit: int
    used: int

    @property
    def remaining(self) -> int:
        return self.limit - self.used


def quota_limit(quota: Quota, year: int) -> int:
    limits: list[int] = []
    if quota.max_count is not None:
        limits.append(quota.max_count)
    if quota.max_percent is not None:
        if quota.percent_of == QuotaBase.TITLE:
            base = (
                Nomination.objects.counted()
                .under(quota.unit)
                .filter(title__key=quota.percent_of_key, year=year)
                .count()
            )
        else:
            base = Official.objects.under(quota.unit).active().count()
        limits.append(math.floor(base * quota.max_percent / 100))
    return min(limits)


def quota_uses(
    *, unit: OrgUnit, title_key: str, year: int, awarded_only: bool = False
) -> list[QuotaUse]:
    """Every quota that applies to a nominee in `unit`, with what is used of it: counted
    nominations at proposal, awards at decision."""
    uses = []
    for quota in Quota.objects.applying_to(unit, title_key, year).select_related("unit"):
        if awarded_only:
            used = (
                Award.objects.counted()
                .under(quota.unit)
                .filter(title_key=title_key, year=year)
                .count()
            )
        else:
            used = (
                Nomination.objects.counted()
                .under(quota.unit)
                .filter(title__key=title_key, year=year)
                .count()
            )
        uses.append(QuotaUse(quota=quota, limit=quota_limit(quota, year), used=used))
    return uses


def _no_quota_line() -> Line:
    return Line(
        "quota",
        Status.MET,
        _("No quota set for this title (no legal quota is known; a unit may set one)."),
    )


def quota_line(*, unit: OrgUnit, title: AwardTitle, year: int, already_counted: bool) -> Line:
    uses = quota_uses(unit=unit, title_key=title.key, year=year)
    if not uses:
        return _no_quota_line()
    texts, status = [], Status.MET
    for use in uses:
        params = {
            "unit": use.quota.unit.display_name,
            "used": format_number(use.used),
            "limit": format_number(use.limit),
            "source": use.quota.source,
        }
        if use.remaining <= 0 and not already_counted:
            status = Status.NOT_MET
            texts.append(
                ngettext(
                    "Quota of %(unit)s reached: %(used)s of %(limit)s place taken (%(source)s).",
                    "Quota of %(unit)s reached: %(used)s of %(limit)s places taken (%(source)s).",
                    use.limit,
                )
                % params
            )
        else:
            texts.append(
                ngettext(
                    "Quota of %(unit)s: %(used)s of %(limit)s place taken (%(source)s).",
                    "Quota of %(unit)s: %(used)s of %(limit)s places taken (%(source)s).",
                    use.limit,
                )
                % params
            )
    return Line("quota", status, " ".join(texts))


# --- The assessor ------------------------------------------------------------------------


class Assessor:
    """Assesses officials and collectives for titles in one year, from facts loaded once."""

    def __init__(
        self,
        *,
        year: int,
        officials: list[Official],
        today: datetime.date | None = None,
        check_quotas: bool = True,
        official_ids: QuerySet | None = None,
    ):
        """`official_ids`, the query of the ids of `officials` (`values_list`), is used instead
        of their ids to read the facts."""
        self.year = year
        self.today = today or timezone.localdate()
        self.check_quotas = check_quotas
        self.officials = {official.pk: official for official in officials}
        ids = list(self.officials) if official_ids is None else official_ids
        self.levels = facts.classifications(ids, year)
        self.discipline = facts.disciplines(year=year, official_ids=ids)
        self.pending = facts.pending_for_officials(ids, on=self.today)
        self.initiatives: dict[int, list[GoodModel]] = defaultdict(list)
        for model in (
            GoodModel.objects.initiatives()
            .recognised_in(year)
            .filter(authors__in=ids)
            .prefetch_related("authors")
        ):
            for author in model.authors.all():
                if author.pk in self.officials and model not in self.initiatives[author.pk]:
                    self.initiatives[author.pk].append(model)
        self._titles: dict[tuple[int, str], AwardTitle | None] = {}
        self._versions: dict[str, list[AwardTitle]] = {}
        self._held: dict[tuple[str, int], set[int]] = {}
        self._held_units: dict[tuple[str, int], set[int]] = {}
        self._years_recorded: dict[tuple[str, str, int], bool] = {}
        self._memo: dict[tuple[int, int | None, int], Assessment] = {}
        self._nominated: dict[tuple[int, str], set[int]] = {}
        self._quota_lines: dict[tuple[int, int], Line] = {}
        self._reviews: dict[tuple[str, int], list[RevocationReview]] | None = None
        self._settings: dict[tuple[str, int], PolicyValue] = {}
        self._explained: dict[tuple, str] = {}
        self._by_unit: dict[str, list[tuple[int, Official]]] | None = None
        # Lines that do not depend on who is assessed (most of a city's million lines), made
        # once and shared: a Line is never changed once made.
        self._lines: dict[tuple, Line] = {}
        self._quota_keys: set[str] | None = None
        self._extras: dict[tuple, list[Line]] = {}

    @classmethod
    def for_unit(cls, unit: OrgUnit, *, year: int, **options) -> Assessor:
        """Everyone active in the subtree. A city's 150,000 officials share a few hundred
        units: each unit is read once, not once per official."""
        query = Official.objects.under(unit).active()
        units = {u.pk: u for u in OrgUnit.objects.filter(path__startswith=unit.path)}
        officials = list(query)
        for official in officials:
            official.unit = units[official.unit_id]
        return cls(
            year=year,
            officials=officials,
            official_ids=query.values_list("pk", flat=True),
            **options,
        )

    # Lookups ---------------------------------------------------------------------------

    def title(self, unit: OrgUnit, key: str) -> AwardTitle | None:
        """`title_for(unit, key, year)`, from the versions of the title read once for every
        unit (a city's officials work in hundreds of units)."""
        cache_key = (unit.pk, key)
        if cache_key not in self._titles:
            if key not in self._versions:
                self._versions[key] = list(
                    AwardTitle.objects.in_force(datetime.date(self.year, 12, 31))
                    .filter(key=key)
                    .select_related("unit")
                    .order_by("-unit__depth", "pk")
                )
            self._titles[cache_key] = next(
                (t for t in self._versions[key] if unit.path.startswith(t.unit.path)), None
            )
        return self._titles[cache_key]

    def holders(self, key: str, year: int) -> set[int]:
        if (key, year) not in self._held:
            self._held[(key, year)] = set(
                Award.objects.counted()
                .filter(title_key=key, year=year, official__isnull=False)
                .values_list("official_id", flat=True)
            )
        return self._held[(key, year)]

    def unit_holders(self, key: str, year: int) -> set[int]:
        if (key, year) not in self._held_units:
            self._held_units[(key, year)] = set(
                Award.objects.counted()
                .filter(title_key=key, year=year, official__isnull=True)
                .values_list("unit_id", flat=True)
            )
        return self._held_units[(key, year)]

    def year_recorded(self, unit: OrgUnit, key: str, year: int) -> bool:
        """Whether any award of this title for this year is recorded in the province: if none
        is, earlier decisions were not entered and "not held" would be a guess."""
        province = _province_path(unit)
        cache_key = (province, key, year)
        if cache_key not in self._years_recorded:
            self._years_recorded[cache_key] = Award.objects.filter(
                title_key=key, year=year, unit__path__startswith=province
            ).exists()
        return self._years_recorded[cache_key]

    def nominated(self, title: AwardTitle, official: Official | None, unit: OrgUnit) -> bool:
        cache_key = (title.pk, "o" if official else "u")
        if cache_key not in self._nominated:
            rows = Nomination.objects.counted().filter(title__key=title.key, year=self.year)
            if official:
                ids = rows.filter(official__isnull=False).values_list("official_id", flat=True)
            else:
                ids = rows.filter(official__isnull=True).values_list("unit_id", flat=True)
            self._nominated[cache_key] = set(ids)
        return (official.pk if official else unit.pk) in self._nominated[cache_key]

    # Assessments -----------------------------------------------------------------------

    def assess(self, title: AwardTitle, *, official: Official | None = None, unit=None):
        """The full assessment, quota included, of an official or (collective title) a unit."""
        if title.is_collective():
            base, unit = self.assess_unit(title, unit), unit
        else:
            base, unit = self.assess_official(title, official), official.unit
        result = Assessment(
            title=title,
            year=self.year,
            official=base.official,
            unit=base.unit,
            lines=list(base.lines),
            revocations=self.revocations(base.official, base.unit),
        )
        if self.check_quotas:
            result.lines.append(self._quota_line(title, official, unit))
        return result

    def revocations(self, official: Official | None, unit: OrgUnit) -> list[RevocationReview]:
        if self._reviews is None:
            self._reviews = defaultdict(list)
            for review in RevocationReview.objects.filter(
                award__year__lte=self.year
            ).select_related("award__title", "award__decision", "record"):
                award = review.award
                key = ("o", award.official_id) if award.official_id else ("u", award.unit_id)
                self._reviews[key].append(review)
        return self._reviews.get(("o", official.pk) if official else ("u", unit.pk), [])

    def _shared(self, key: tuple, make) -> Line:
        if key not in self._lines:
            self._lines[key] = make()
        return self._lines[key]

    def _quota_line(self, title: AwardTitle, official: Official | None, unit: OrgUnit) -> Line:
        if self._quota_keys is None:  # most titles have no quota anywhere: no query per unit
            self._quota_keys = set(Quota.objects.values_list("title_key", flat=True))
        if title.key not in self._quota_keys:
            return self._shared(("quota",), _no_quota_line)
        cache_key = (unit.pk, title.pk)
        if cache_key not in self._quota_lines:
            self._quota_lines[cache_key] = quota_line(
                unit=unit, title=title, year=self.year, already_counted=False
            )
        line = self._quota_lines[cache_key]
        if line.status == Status.NOT_MET and self.nominated(title, official, unit):
            # A nominee already counted in the quota keeps their place.
            return quota_line(unit=unit, title=title, year=self.year, already_counted=True)
        return line

    def assess_official(self, title: AwardTitle, official: Official) -> Assessment:
        """The conditions of the title, without the quota (used for titles within titles)."""
        memo_key = (title.pk, official.pk, self.year)
        if memo_key in self._memo:
            return self._memo[memo_key]
        if official.pk not in self.officials:
            self.officials[official.pk] = official
            self._load_one(official)
        result = Assessment(title=title, year=self.year, official=official, unit=official.unit)
        lines = result.lines
        if title.min_classification:
            lines.append(self._classification_line(official, title.min_classification))
        if title.prerequisite_key:
            lines.append(self._prerequisite_line(title, official))
        if title.initiative_rule:
            lines.append(self._initiative_line(title, official))
        if title.key == ADVANCED_WORKER:
            lines.extend(self._advanced_worker_exclusions(official))
        elif title.no_discipline_from:
            lines.append(self._discipline_line(official, title.no_discipline_from))
        if title.consecutive_key and title.consecutive_years:
            lines.append(self._consecutive_line(title, official))
        if title.block_under_review:
            lines.append(self._pending_line(self.pending.get(official.pk, [])))
        lines.extend(self._extra_lines(title))
        self._memo[memo_key] = result
        return result

    def assess_unit(self, title: AwardTitle, unit: OrgUnit) -> Assessment:
        memo_key = (title.pk, -unit.pk, self.year)
        if memo_key in self._memo:
            return self._memo[memo_key]
        members = self.members_of(unit)
        result = Assessment(title=title, year=self.year, official=None, unit=unit)
        lines = result.lines
        if not members:
            lines.append(
                Line(
                    "members",
                    Status.MISSING,
                    _("No officials are recorded in %(unit)s.") % {"unit": unit.display_name},
                )
            )
        else:
            if title.member_share_key and title.member_share_percent:
                lines.append(self._share_line(title, unit, members))
            if title.member_min_classification:
                lines.append(self._members_level_line(members, title.member_min_classification))
            if title.member_at_least_one_key:
                lines.append(self._one_member_line(title, unit, members))
            if title.member_no_discipline_from:
                lines.append(self._members_discipline_line(members, title))
        if title.consecutive_key and title.consecutive_years:
            lines.append(self._consecutive_unit_line(title, unit))
        if title.block_under_review:
            lines.append(self._pending_line(facts.pending_for_unit(unit, on=self.today)))
        if title.open_actions_effect:
            lines.append(self._open_actions_line(title, unit))
        lines.extend(self._extra_lines(title))
        self._memo[memo_key] = result
        return result

    def _load_one(self, official: Official) -> None:
        """Facts for an official outside the set loaded at the start."""
        levels = facts.classifications([official.pk], self.year)
        if levels is not None and self.levels is not None:
            self.levels.update(levels)
        found = facts.disciplines(year=self.year, official_ids=[official.pk])
        if found is not None and self.discipline is not None:
            self.discipline.update(found)
        self.pending.update(facts.pending_for_officials([official.pk], on=self.today))
        for model in (
            GoodModel.objects.initiatives().recognised_in(self.year).filter(authors=official)
        ):
            self.initiatives[official.pk].append(model)

    def setting(self, spec_key: str, unit: OrgUnit) -> PolicyValue:
        """A setting in force for `unit` at the end of the year assessed. The first time a
        setting is asked, it is read for every unit of the officials assessed (one query):
        a city's list asks it for hundreds of units."""
        cache_key = (spec_key, unit.pk)
        if cache_key not in self._settings:
            units = {official.unit_id: official.unit for official in self.officials.values()}
            units[unit.pk] = unit
            values = policy_for_units(
                spec_key, units=units.values(), on=datetime.date(self.year, 12, 31)
            )
            for unit_id, value in values.items():
                self._settings.setdefault((spec_key, unit_id), value)
        return self._settings[cache_key]

    def explain(self, value: PolicyValue) -> str:
        """`value.explain()`, written once per setting and unit rather than once per line."""
        key = (value.spec.key, value.set_by.pk if value.set_by else None, value.valid_from)
        if key not in self._explained:
            self._explained[key] = value.explain()
        return self._explained[key]

    def members_of(self, unit: OrgUnit) -> list[Official]:
        """The officials assessed who work in `unit` or under it, from the officials grouped
        by unit (a few hundred units), not a scan of every official per collective."""
        if self._by_unit is None:
            self._by_unit = defaultdict(list)
            for position, official in enumerate(self.officials.values()):
                self._by_unit[official.unit.path].append((position, official))
        members = [
            pair
            for path, pairs in self._by_unit.items()
            if path.startswith(unit.path)
            for pair in pairs
        ]
        members.sort(key=lambda pair: pair[0])  # in the order of the officials, as before
        return [official for _position, official in members]

    # Lines -----------------------------------------------------------------------------

    def _advanced_worker_exclusions(self, official: Official) -> list[Line]:
        """Decree 91/2017's two exclusions from Advanced Worker, applied as the settings say:
        whether they survive under Decrees 98/2023 and 152/2025 was not found, so neither is
        presented as law. (The 40-working-day absence exclusion was repealed in 2017: a long
        absence alone excludes no one.)"""
        recruited = self.setting(ADVANCED_WORKER_RECRUITED_UNDER_10_MONTHS.key, official.unit)
        disciplined = self.setting(ADVANCED_WORKER_DISCIPLINED.key, official.unit)
        if self.discipline is not None and self.discipline.get(official.pk):
            return self._advanced_worker_lines(official, recruited, disciplined)
        # Without a disciplinary record, the lines depend only on the unit's two settings
        # (kept in self._settings, so their ids stay theirs).
        key = ("advanced-worker", id(recruited), id(disciplined))
        if key not in self._lines:
            recruitment, discipline = self._advanced_worker_lines(official, recruited, disciplined)
            self._lines[key] = recruitment
            self._lines[(*key, "discipline")] = discipline
        return [self._lines[key], self._lines[(*key, "discipline")]]

    def _advanced_worker_lines(self, official, recruited, disciplined) -> list[Line]:
        if recruited.value:
            recruitment = Line(
                "recruitment",
                Status.TO_CHECK,
                _(
                    "Recruited at least 10 months before the review: recruitment dates are not "
                    "recorded in Civility, the board checks it."
                ),
            )
        else:
            recruitment = Line(
                "recruitment",
                Status.MET,
                _("Officials recruited less than 10 months before are not excluded."),
            )
        recruitment.text = f"{recruitment.text} {self.explain(recruited)}"
        if disciplined.value:
            discipline = self._discipline_line(official, DisciplineThreshold.REPRIMAND)
        else:
            discipline = Line(
                "discipline",
                Status.MET,
                _("A disciplinary measure does not exclude from this title."),
            )
        discipline = Line(
            discipline.condition,
            discipline.status,
            f"{discipline.text} {self.explain(disciplined)}",
        )
        return [recruitment, discipline]

    def _classification_line(self, official: Official, required: str) -> Line:
        level = None if self.levels is None else self.levels.get(official.pk)
        return self._shared(
            ("classification", level, required), lambda: self._level_line(level, required)
        )

    def _level_line(self, level: str | None, required: str) -> Line:
        params = {"required": _classification_label(required).lower(), "year": self.year}
        if self.levels is None:
            return Line(
                "classification",
                Status.UNAVAILABLE,
                _(
                    "Annual classification (%(required)s or better): unknown, the evaluations "
                    "source is not available."
                )
                % params,
            )
        if level is None:
            return Line(
                "classification",
                Status.MISSING,
                _(
                    "No annual classification for %(year)d is recorded (%(required)s or better "
                    "is required)."
                )
                % params,
            )
        params["level"] = _classification_label(level)
        if at_least(level, required):
            return Line(
                "classification",
                Status.MET,
                _("Classified %(level)s for %(year)d (%(required)s or better is required).")
                % params,
            )
        return Line(
            "classification",
            Status.NOT_MET,
            _("Classified %(level)s for %(year)d; %(required)s or better is required.") % params,
        )

    def _prerequisite_line(self, title: AwardTitle, official: Official) -> Line:
        """The line says only which title and whether it is held, met, unknown or not met:
        one shared line per answer."""
        other = self.title(official.unit, title.prerequisite_key)
        if other is None:
            answer = None
        elif official.pk in self.holders(other.key, self.year):
            answer = "held"
        else:
            answer = self.assess_official(other, official).verdict
        return self._shared(
            ("prerequisite", title.prerequisite_key, other.pk if other else None, answer),
            lambda: self._prerequisite_result(title, other, answer),
        )

    def _prerequisite_result(self, title: AwardTitle, other: AwardTitle | None, answer) -> Line:
        if other is None:
            return Line(
                "prerequisite",
                Status.MISSING,
                _("The title '%(key)s' is not in the catalogue for %(year)d.")
                % {"key": title.prerequisite_key, "year": self.year},
            )
        params = {"title": other.display_name, "year": self.year}
        if answer == "held":
            return Line(
                "prerequisite",
                Status.MET,
                _("Holds the title %(title)s for %(year)d.") % params,
            )
        if answer == Verdict.ELIGIBLE:
            return Line(
                "prerequisite",
                Status.MET,
                _("Meets the conditions of %(title)s for %(year)d.") % params,
            )
        if answer == Verdict.INCOMPLETE:
            return Line(
                "prerequisite",
                Status.MISSING,
                _(
                    "Whether the conditions of %(title)s for %(year)d are met cannot be told: "
                    "data missing."
                )
                % params,
            )
        return Line(
            "prerequisite",
            Status.NOT_MET,
            _("Does not meet the conditions of %(title)s for %(year)d.") % params,
        )

    def _initiative_line(self, title: AwardTitle, official: Official) -> Line:
        found = self.initiatives.get(official.pk, [])
        if found:
            return self._initiative_line_for(title.initiative_rule, official, found)
        # Without an initiative the line depends only on the rule and the level.
        level = None if self.levels is None else self.levels.get(official.pk, "")
        return self._shared(
            ("initiative", title.initiative_rule, level),
            lambda: self._initiative_line_for(title.initiative_rule, official, found),
        )

    def _initiative_line_for(self, rule: str, official: Official, found: list) -> Line:
        initiative_text = (
            _("recognised initiative: %(names)s") % {"names": ", ".join(m.name for m in found)}
            if found
            else _("no recognised initiative recorded for %(year)d") % {"year": self.year}
        )
        if rule == InitiativeRule.REQUIRED:
            status = Status.MET if found else Status.NOT_MET
            return Line(
                "initiative",
                status,
                _("Initiative required: %(found)s.") % {"found": initiative_text},
            )
        if self.levels is None:
            excellent: bool | None = None
            level_text = _("classification unknown (source not available)")
        elif official.pk not in self.levels:
            excellent = None
            level_text = _("no classification recorded")
        else:
            excellent = self.levels[official.pk] == Classification.EXCELLENT
            level_text = _classification_label(self.levels[official.pk])
        params = {"level": level_text, "found": initiative_text}
        unknown = Status.UNAVAILABLE if self.levels is None else Status.MISSING
        if rule == InitiativeRule.EXCELLENT_OR_INITIATIVE:
            text = (
                _("Excellently completed tasks or a recognised initiative: %(level)s; %(found)s.")
                % params
            )
            if found or excellent:
                return Line("initiative", Status.MET, text)
            return Line("initiative", unknown if excellent is None else Status.NOT_MET, text)
        text = (
            _("Excellently completed tasks and a recognised initiative: %(level)s; %(found)s.")
            % params
        )
        if not found or excellent is False:
            return Line("initiative", Status.NOT_MET, text)
        return Line("initiative", Status.MET if excellent else unknown, text)

    def _discipline_line(self, official: Official, threshold: str) -> Line:
        params = {"threshold": _threshold_label(threshold), "year": self.year}
        if self.discipline is None:
            return Line(
                "discipline",
                Status.UNAVAILABLE,
                _("Disciplinary measures: unknown, the conduct records source is not available."),
            )
        found = [
            d
            for d in self.discipline.get(official.pk, [])
            if discipline_at_least(d.form, threshold)
        ]
        if not found:
            return self._shared(
                ("discipline", threshold),
                lambda: Line(
                    "discipline",
                    Status.MET,
                    _("No disciplinary measure (%(threshold)s) for a violation in %(year)d.")
                    % params,
                ),
            )
        details = "; ".join(
            _("%(form)s, decision %(number)s (record %(record)s)")
            % {"form": d.form_label, "number": d.decision_number, "record": d.record_number}
            for d in found
        )
        return Line(
            "discipline",
            Status.NOT_MET,
            _("Disciplined in %(year)d: %(details)s.") % {**params, "details": details},
        )

    def _pending_line(self, pending: list[facts.Pending]) -> Line:
        if not pending:
            return self._shared(
                ("pending",),
                lambda: Line(
                    "pending",
                    Status.MET,
                    _(
                        "No disciplinary review, investigation, inspection or complaint "
                        "verification in progress."
                    ),
                ),
            )
        details = "; ".join(
            f"{item.label} ({item.reference})" if item.reference else item.label for item in pending
        )
        return Line(
            "pending",
            Status.NOT_MET,
            _("Under review, no proposal allowed meanwhile: %(details)s.") % {"details": details},
        )

    def _consecutive_line(self, title: AwardTitle, official: Official) -> Line:
        """The line says, for each year, whether the title was held, qualifies (this year),
        was not held or is not recorded: one shared line per sequence of answers."""
        other = self.title(official.unit, title.consecutive_key)
        years = list(range(self.year - title.consecutive_years + 1, self.year + 1))
        answers = []
        for year in years:
            if official.pk in self.holders(title.consecutive_key, year):
                answers.append("held")
            elif year == self.year and other is not None:
                answers.append(self.assess_official(other, official).verdict)
            elif self.year_recorded(official.unit, title.consecutive_key, year):
                answers.append("not_held")
            else:
                answers.append("unrecorded")
        return self._shared(
            ("consecutive", title.pk, other.pk if other else None, *answers),
            lambda: self._consecutive_answers(title, other, years, answers),
        )

    def _consecutive_answers(self, title, other, years, answers) -> Line:
        name = other.display_name if other else title.consecutive_key
        statuses, parts = [], []
        for year, answer in zip(years, answers, strict=True):
            if answer == "held":
                statuses.append(Status.MET)
                parts.append(_("%(year)d held") % {"year": year})
            elif answer == "not_held":
                statuses.append(Status.NOT_MET)
                parts.append(_("%(year)d not held") % {"year": year})
            elif answer == "unrecorded":
                statuses.append(Status.MISSING)
                parts.append(_("%(year)d: no decisions recorded") % {"year": year})
            else:
                status = {
                    Verdict.ELIGIBLE: Status.MET,
                    Verdict.INCOMPLETE: Status.MISSING,
                    Verdict.NOT_ELIGIBLE: Status.NOT_MET,
                }[answer]
                statuses.append(status)
                parts.append(
                    _("%(year)d qualifies") % {"year": year}
                    if status == Status.MET
                    else _("%(year)d: %(verdict)s")
                    % {"year": year, "verdict": str(Verdict(answer).label).lower()}
                )
        return self._consecutive_result(title, name, statuses, parts)

    def _consecutive_unit_line(self, title: AwardTitle, unit: OrgUnit) -> Line:
        other = self.title(unit, title.consecutive_key)
        name = other.display_name if other else title.consecutive_key
        years = list(range(self.year - title.consecutive_years + 1, self.year + 1))
        statuses, parts = [], []
        for year in years:
            if unit.pk in self.unit_holders(title.consecutive_key, year):
                statuses.append(Status.MET)
                parts.append(_("%(year)d held") % {"year": year})
            elif year == self.year and other is not None:
                verdict = self.assess_unit(other, unit).verdict
                status = {
                    Verdict.ELIGIBLE: Status.MET,
                    Verdict.INCOMPLETE: Status.MISSING,
                    Verdict.NOT_ELIGIBLE: Status.NOT_MET,
                }[verdict]
                statuses.append(status)
                parts.append(
                    _("%(year)d qualifies") % {"year": year}
                    if status == Status.MET
                    else _("%(year)d: %(verdict)s")
                    % {"year": year, "verdict": str(Verdict(verdict).label).lower()}
                )
            elif self.year_recorded(unit, title.consecutive_key, year):
                statuses.append(Status.NOT_MET)
                parts.append(_("%(year)d not held") % {"year": year})
            else:
                statuses.append(Status.MISSING)
                parts.append(_("%(year)d: no decisions recorded") % {"year": year})
        return self._consecutive_result(title, name, statuses, parts)

    def _consecutive_result(self, title, name, statuses, parts) -> Line:
        if Status.NOT_MET in statuses:
            status = Status.NOT_MET
        elif Status.MISSING in statuses:
            status = Status.MISSING
        else:
            status = Status.MET
        return Line(
            "consecutive",
            status,
            ngettext(
                "%(title)s in %(count)s consecutive year: %(years)s.",
                "%(title)s in %(count)s consecutive years: %(years)s.",
                title.consecutive_years,
            )
            % {
                "title": name,
                "count": format_number(title.consecutive_years),
                "years": ", ".join(parts),
            },
        )

    def _member_has(self, key: str, other: AwardTitle | None, official) -> bool | None:
        if official.pk in self.holders(key, self.year):
            return True
        if other is None:
            return None
        verdict = self.assess_official(other, official).verdict
        if verdict == Verdict.INCOMPLETE:
            return None
        return verdict == Verdict.ELIGIBLE

    def _share_line(self, title: AwardTitle, unit: OrgUnit, members: list[Official]) -> Line:
        other = self.title(unit, title.member_share_key)
        answers = [self._member_has(title.member_share_key, other, member) for member in members]
        yes = sum(1 for answer in answers if answer is True)
        unknown = sum(1 for answer in answers if answer is None)
        total = len(members)
        needed = math.ceil(total * title.member_share_percent / 100)
        params = {
            "yes": format_number(yes),
            "total": format_number(total),
            "percent": format_percent(round(100 * yes / total)),
            "required": format_percent(title.member_share_percent),
            "title": other.display_name if other else title.member_share_key,
            "unknown": format_number(unknown),
        }
        if yes >= needed:
            status = Status.MET
        elif yes + unknown < needed:
            status = Status.NOT_MET
        else:
            status = Status.MISSING
        text = (
            ngettext(
                "%(yes)s of %(total)s member (%(percent)s) holds or qualifies for %(title)s; "
                "%(required)s required.",
                "%(yes)s of %(total)s members (%(percent)s) hold or qualify for %(title)s; "
                "%(required)s required.",
                total,
            )
            % params
        )
        if unknown:
            text += " " + _unassessed(unknown) % params
        return Line("member_share", status, text)

    def _one_member_line(self, title: AwardTitle, unit: OrgUnit, members: list[Official]) -> Line:
        """At least one member holds (or qualifies for) a title, e.g. a Grassroots Emulation
        Fighter in an Excellent Labour Collective (Law 06/2022 Art. 27 cl. 1)."""
        key = title.member_at_least_one_key
        other = self.title(unit, key)
        answers = [(member, self._member_has(key, other, member)) for member in members]
        holders = [member for member, answer in answers if answer is True]
        unknown = sum(1 for _member, answer in answers if answer is None)
        params = {
            "title": other.display_name if other else key,
            "year": self.year,
            "names": _names(holders),
            "unknown": unknown,
        }
        if holders:
            return Line(
                "member_at_least_one",
                Status.MET,
                _("Members holding or qualifying for %(title)s for %(year)d: %(names)s.") % params,
            )
        if unknown:
            return Line(
                "member_at_least_one",
                Status.MISSING,
                _(
                    "At least one member must hold or qualify for %(title)s for %(year)d; none "
                    "is known to, and %(unassessed)s"
                )
                % {**params, "unassessed": _unassessed(unknown) % params},
            )
        return Line(
            "member_at_least_one",
            Status.NOT_MET,
            _(
                "At least one member must hold or qualify for %(title)s for %(year)d; no member "
                "does."
            )
            % params,
        )

    def _members_level_line(self, members: list[Official], required: str) -> Line:
        params = {"required": _classification_label(required).lower(), "year": self.year}
        if self.levels is None:
            return Line(
                "member_classification",
                Status.UNAVAILABLE,
                _(
                    "Every member %(required)s or better: unknown, the evaluations source is not "
                    "available."
                )
                % params,
            )
        below = [
            m for m in members if m.pk in self.levels and not at_least(self.levels[m.pk], required)
        ]
        missing = [m for m in members if m.pk not in self.levels]
        if below:
            return Line(
                "member_classification",
                Status.NOT_MET,
                _(
                    "Every member must be classified %(required)s or better for %(year)d; below: "
                    "%(names)s."
                )
                % {**params, "names": _names(below)},
            )
        if missing:
            return Line(
                "member_classification",
                Status.MISSING,
                _(
                    "Every member must be classified %(required)s or better for %(year)d; no "
                    "classification recorded for: %(names)s."
                )
                % {**params, "names": _names(missing)},
            )
        return Line(
            "member_classification",
            Status.MET,
            ngettext(
                "The %(count)s member is classified %(required)s or better for %(year)d.",
                "All %(count)s members are classified %(required)s or better for %(year)d.",
                len(members),
            )
            % {**params, "count": format_number(len(members))},
        )

    def _members_discipline_line(self, members: list[Official], title: AwardTitle) -> Line:
        params = {"threshold": _threshold_label(title.member_no_discipline_from), "year": self.year}
        if self.discipline is None:
            return Line(
                "member_discipline",
                Status.UNAVAILABLE,
                _(
                    "Members' disciplinary measures: unknown, the conduct records source is not "
                    "available."
                ),
            )
        disciplined = [
            m
            for m in members
            if any(
                discipline_at_least(d.form, title.member_no_discipline_from)
                for d in self.discipline.get(m.pk, [])
            )
        ]
        if disciplined:
            return Line(
                "member_discipline",
                Status.NOT_MET,
                _("Members disciplined (%(threshold)s) in %(year)d: %(names)s.")
                % {**params, "names": _names(disciplined)},
            )
        return Line(
            "member_discipline",
            Status.MET,
            _("No member disciplined (%(threshold)s) in %(year)d.") % params,
        )

    def _open_actions_line(self, title: AwardTitle, unit: OrgUnit) -> Line:
        """Corrective actions still open at review time, as the title's setting says: they
        block the title, or lower it to the title named."""
        found = facts.open_corrective_actions(unit)
        if found is None:
            return Line(
                "corrective_actions",
                Status.UNAVAILABLE,
                _("Open corrective actions: unknown, the inspections source is not available."),
            )
        params = {
            "count": format_number(len(found)),
            "tolerated": format_number(title.open_actions_tolerated),
        }
        if len(found) <= title.open_actions_tolerated:
            return Line(
                "corrective_actions",
                Status.MET,
                ngettext(
                    "%(count)s corrective action from inspections still open at review time "
                    "(at most %(tolerated)s tolerated).",
                    "%(count)s corrective actions from inspections still open at review time "
                    "(at most %(tolerated)s tolerated).",
                    len(found),
                )
                % params,
            )
        details = "; ".join(
            _("%(unit)s: %(description)s (due %(date)s)")
            % {
                "unit": action.unit_name,
                "description": action.description[:80],
                "date": action.deadline.strftime("%d/%m/%Y"),
            }
            for action in found[:5]
        )
        if title.open_actions_effect == OpenActionsEffect.LOWER:
            lower = self.title(unit, title.open_actions_lower_key)
            params["lower"] = lower.display_name if lower else title.open_actions_lower_key
            text = ngettext(
                "%(count)s corrective action from inspections still open at review time (at "
                "most %(tolerated)s tolerated): the title's conditions lower it to %(lower)s; "
                "assess the unit for that title instead.",
                "%(count)s corrective actions from inspections still open at review time (at "
                "most %(tolerated)s tolerated): the title's conditions lower it to %(lower)s; "
                "assess the unit for that title instead.",
                len(found),
            )
        else:
            text = ngettext(
                "%(count)s corrective action from inspections still open at review time (at "
                "most %(tolerated)s tolerated): the title's conditions block it.",
                "%(count)s corrective actions from inspections still open at review time (at "
                "most %(tolerated)s tolerated): the title's conditions block it.",
                len(found),
            )
        return Line("corrective_actions", Status.NOT_MET, f"{text % params} {details}.")

    def _extra_lines(self, title: AwardTitle) -> list[Line]:
        key = ("extra", title.pk)
        if key not in self._extras:
            self._extras[key] = [
                Line("extra", Status.TO_CHECK, text) for text in title.extra_condition_lines()
            ]
        return self._extras[key]


# Villages and residential groups receive cultural titles (Decree 86/2023/NĐ-CP), not the
# titles of labour collectives.
NOT_LABOUR_COLLECTIVES = (UnitKind.VILLAGE, UnitKind.RESIDENTIAL_GROUP)


def can_hold(title: AwardTitle, unit: OrgUnit) -> bool:
    return not (title.is_labour_collective() and unit.kind in NOT_LABOUR_COLLECTIVES)


def candidate_units(unit: OrgUnit, title: AwardTitle) -> list[OrgUnit]:
    """Collectives to assess for `title` under `unit`: the unit itself and the units directly
    under it, leaving out those that cannot hold the title."""
    units = [unit, *unit.children.order_by("name")]
    return [candidate for candidate in units if can_hold(title, candidate)]


def eligibility_rows(assessor: Assessor, unit: OrgUnit, title: AwardTitle) -> list[Assessment]:
    """The list the eligibility page, the API and the background job show: the officials of
    the subtree by name, or, for a collective title, the candidate units."""
    if title.is_collective():
        return [assessor.assess(title, unit=u) for u in candidate_units(unit, title)]
    return [
        assessor.assess(title, official=o)
        for o in sorted(assessor.officials.values(), key=lambda o: o.full_name)
    ]
