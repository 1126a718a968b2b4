"""The assessor pages, the API and the job use: the full assessment of a nominee, quota
included, and the list of nominees for a title under a unit."""

from __future__ import annotations

from civility.awards.eligibility.collectives import CollectiveConditions
from civility.awards.eligibility.lines import Assessment, Line, Status
from civility.awards.eligibility.quotas import no_quota_line, quota_line
from civility.awards.models.catalogue import AwardTitle, Quota
from civility.orgs.models import Official, OrgUnit, UnitKind


class Assessor(CollectiveConditions):
    """Assesses officials and collectives for titles in one year, from facts loaded once."""

    def assess(
        self, title: AwardTitle, *, official: Official | None = None, unit: OrgUnit | None = None
    ) -> Assessment:
        """The full assessment, quota included, of an official or (collective title) a unit."""
        if title.is_collective():
            if unit is None:
                raise ValueError("A collective title assesses a unit.")
            base = self.assess_unit(title, unit)
        else:
            if official is None:
                raise ValueError("An individual title assesses an official.")
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

    def _quota_line(self, title: AwardTitle, official: Official | None, unit: OrgUnit) -> Line:
        if self._quota_keys is None:  # most titles have no quota anywhere: no query per unit
            self._quota_keys = set(Quota.objects.values_list("title_key", flat=True))
        if title.key not in self._quota_keys:
            return self._shared(("quota",), no_quota_line)
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
