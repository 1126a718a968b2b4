"""The facts an assessor loads once for a whole set of officials and a year, and the lookups
the conditions read from them (titles, holders, settings, members of a unit)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from typing import Any, Self

from django.db.models import QuerySet
from django.utils import timezone

from civility.awards import facts
from civility.awards.eligibility.lines import Assessment, Line, Status
from civility.awards.models.catalogue import AwardTitle
from civility.awards.models.decisions import Award, RevocationReview
from civility.awards.models.good_models import GoodModel
from civility.awards.models.nominations import Nomination
from civility.orgs.models import Official, OrgUnit
from civility.orgs.policies import PolicyValue, policy_for_units


def _province_path(unit: OrgUnit) -> str:
    return unit.path.split("/")[0] + "/"


class AssessorBase:
    """Facts of a set of officials for one year, loaded in a handful of queries
    (civility.awards.facts), and the lookups every condition reads, each made once."""

    def __init__(
        self,
        *,
        year: int,
        officials: list[Official],
        today: datetime.date | None = None,
        check_quotas: bool = True,
        official_ids: QuerySet[Any, int] | None = None,
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
        self._explained: dict[tuple[object, ...], str] = {}
        self._by_unit: dict[str, list[tuple[int, Official]]] | None = None
        # Lines that do not depend on who is assessed (most of a city's million lines), made
        # once and shared: a Line is never changed once made.
        self._lines: dict[tuple[object, ...], Line] = {}
        self._quota_keys: set[str] | None = None
        self._extras: dict[tuple[object, ...], list[Line]] = {}

    @classmethod
    def for_unit(cls, unit: OrgUnit, *, year: int, **options: Any) -> Self:
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

    def _shared(self, key: tuple[object, ...], make: Callable[[], Line]) -> Line:
        if key not in self._lines:
            self._lines[key] = make()
        return self._lines[key]

    def _load_one(self, official: Official) -> None:
        """Facts for an official outside the set loaded at the start."""
        self.levels.update(facts.classifications([official.pk], self.year))
        self.discipline.update(facts.disciplines(year=self.year, official_ids=[official.pk]))
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
        # set_by is the OrgUnit whose record applies (typed `object` by orgs.policies).
        key = (value.spec.key, getattr(value.set_by, "pk", None), value.valid_from)
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

    def _extra_lines(self, title: AwardTitle) -> list[Line]:
        key = ("extra", title.pk)
        if key not in self._extras:
            self._extras[key] = [
                Line("extra", Status.TO_CHECK, text) for text in title.extra_condition_lines()
            ]
        return self._extras[key]
