"""The conditions of a collective title, one line each: the share of members holding a
title, a member holding one, members' classification and discipline, consecutive years,
open corrective actions."""

from __future__ import annotations

import math

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civility.awards import facts
from civility.awards.eligibility.lines import (
    Assessment,
    Line,
    Status,
    classification_label,
    some_names,
    threshold_label,
    unassessed_sentence,
)
from civility.awards.eligibility.officials import OfficialConditions
from civility.awards.models.catalogue import AwardTitle, OpenActionsEffect
from civility.awards.models.nominations import Verdict
from civility.awards.rules import at_least, discipline_at_least
from civility.core.i18n import format_number, format_percent
from civility.orgs.models import Official, OrgUnit


class CollectiveConditions(OfficialConditions):
    """Assesses a unit for a collective title from its members' own assessments."""

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
                lines.append(self._share_line(title, unit, members, title.member_share_percent))
            if title.member_min_classification:
                lines.append(self._members_level_line(members, title.member_min_classification))
            if title.member_at_least_one_key:
                lines.append(self._one_member_line(title, unit, members))
            if title.member_no_discipline_from:
                lines.append(self._members_discipline_line(members, title))
        if title.consecutive_key and title.consecutive_years:
            lines.append(self._consecutive_unit_line(title, unit, title.consecutive_years))
        if title.block_under_review:
            lines.append(self._pending_line(facts.pending_for_unit(unit, on=self.today)))
        if title.open_actions_effect:
            lines.append(self._open_actions_line(title, unit))
        lines.extend(self._extra_lines(title))
        self._memo[memo_key] = result
        return result

    def _consecutive_unit_line(self, title: AwardTitle, unit: OrgUnit, span: int) -> Line:
        """As for an official (OfficialConditions._consecutive_line), with the unit's titles."""
        other = self.title(unit, title.consecutive_key)
        years = list(range(self.year - span + 1, self.year + 1))
        answers = []
        for year in years:
            if unit.pk in self.unit_holders(title.consecutive_key, year):
                answers.append("held")
            elif year == self.year and other is not None:
                answers.append(self.assess_unit(other, unit).verdict)
            elif self.year_recorded(unit, title.consecutive_key, year):
                answers.append("not_held")
            else:
                answers.append("unrecorded")
        return self._consecutive_answers(title, other, years, answers)

    def _member_has(self, key: str, other: AwardTitle | None, official: Official) -> bool | None:
        if official.pk in self.holders(key, self.year):
            return True
        if other is None:
            return None
        verdict = self.assess_official(other, official).verdict
        if verdict == Verdict.INCOMPLETE:
            return None
        return verdict == Verdict.ELIGIBLE

    def _share_line(
        self, title: AwardTitle, unit: OrgUnit, members: list[Official], percent: int
    ) -> Line:
        other = self.title(unit, title.member_share_key)
        answers = [self._member_has(title.member_share_key, other, member) for member in members]
        yes = sum(1 for answer in answers if answer is True)
        unknown = sum(1 for answer in answers if answer is None)
        total = len(members)
        needed = math.ceil(total * percent / 100)
        params = {
            "yes": format_number(yes),
            "total": format_number(total),
            "percent": format_percent(round(100 * yes / total)),
            "required": format_percent(percent),
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
            text += " " + unassessed_sentence(unknown) % params
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
            "names": some_names(holders),
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
                % {**params, "unassessed": unassessed_sentence(unknown) % params},
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
        params = {"required": classification_label(required).lower(), "year": self.year}
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
                % {**params, "names": some_names(below)},
            )
        if missing:
            return Line(
                "member_classification",
                Status.MISSING,
                _(
                    "Every member must be classified %(required)s or better for %(year)d; no "
                    "classification recorded for: %(names)s."
                )
                % {**params, "names": some_names(missing)},
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
        params = {"threshold": threshold_label(title.member_no_discipline_from), "year": self.year}
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
                % {**params, "names": some_names(disciplined)},
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
