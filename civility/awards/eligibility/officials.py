"""The conditions of an individual title, one line each: classification, a prerequisite
title, initiatives, discipline, consecutive years, reviews in progress."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civility.awards import facts
from civility.awards.eligibility.base import AssessorBase
from civility.awards.eligibility.lines import (
    STATUS_OF_VERDICT,
    Assessment,
    Line,
    Status,
    classification_label,
    threshold_label,
)
from civility.awards.models.catalogue import AwardTitle, DisciplineThreshold, InitiativeRule
from civility.awards.models.good_models import GoodModel
from civility.awards.models.nominations import Verdict
from civility.awards.policies import (
    ADVANCED_WORKER_DISCIPLINED,
    ADVANCED_WORKER_RECRUITED_UNDER_10_MONTHS,
)
from civility.awards.rules import ADVANCED_WORKER, Classification, at_least, discipline_at_least
from civility.core.i18n import format_number
from civility.orgs.models import Official
from civility.orgs.policies import PolicyValue


class OfficialConditions(AssessorBase):
    """Assesses an official for a title, without the quota."""

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
            lines.append(self._consecutive_line(title, official, title.consecutive_years))
        if title.block_under_review:
            lines.append(self._pending_line(self.pending.get(official.pk, [])))
        lines.extend(self._extra_lines(title))
        self._memo[memo_key] = result
        return result

    # Lines -----------------------------------------------------------------------------

    def _advanced_worker_exclusions(self, official: Official) -> list[Line]:
        """Decree 91/2017's two exclusions from Advanced Worker, applied as the settings say:
        whether they survive under Decrees 98/2023 and 152/2025 was not found, so neither is
        presented as law. (The 40-working-day absence exclusion was repealed in 2017: a long
        absence alone excludes no one.)"""
        recruited = self.setting(ADVANCED_WORKER_RECRUITED_UNDER_10_MONTHS.key, official.unit)
        disciplined = self.setting(ADVANCED_WORKER_DISCIPLINED.key, official.unit)
        if self.discipline.get(official.pk):
            return self._advanced_worker_lines(official, recruited, disciplined)
        # Without a disciplinary record, the lines depend only on the unit's two settings
        # (kept in self._settings, so their ids stay theirs).
        key = ("advanced-worker", id(recruited), id(disciplined))
        if key not in self._lines:
            recruitment, discipline = self._advanced_worker_lines(official, recruited, disciplined)
            self._lines[key] = recruitment
            self._lines[(*key, "discipline")] = discipline
        return [self._lines[key], self._lines[(*key, "discipline")]]

    def _advanced_worker_lines(
        self, official: Official, recruited: PolicyValue, disciplined: PolicyValue
    ) -> list[Line]:
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
        level = self.levels.get(official.pk)
        return self._shared(
            ("classification", level, required), lambda: self._level_line(level, required)
        )

    def _level_line(self, level: str | None, required: str) -> Line:
        params = {"required": classification_label(required).lower(), "year": self.year}
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
        params["level"] = classification_label(level)
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

    def _prerequisite_result(
        self, title: AwardTitle, other: AwardTitle | None, answer: str | None
    ) -> Line:
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
        level = self.levels.get(official.pk, "")
        return self._shared(
            ("initiative", title.initiative_rule, level),
            lambda: self._initiative_line_for(title.initiative_rule, official, found),
        )

    def _initiative_line_for(self, rule: str, official: Official, found: list[GoodModel]) -> Line:
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
        excellent: bool | None
        if official.pk not in self.levels:
            excellent = None
            level_text = _("no classification recorded")
        else:
            excellent = self.levels[official.pk] == Classification.EXCELLENT
            level_text = classification_label(self.levels[official.pk])
        params = {"level": level_text, "found": initiative_text}
        unknown = Status.MISSING
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
        params = {"threshold": threshold_label(threshold), "year": self.year}
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

    def _consecutive_line(self, title: AwardTitle, official: Official, span: int) -> Line:
        """The line says, for each year, whether the title was held, qualifies (this year),
        was not held or is not recorded: one shared line per sequence of answers."""
        other = self.title(official.unit, title.consecutive_key)
        years = list(range(self.year - span + 1, self.year + 1))
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

    def _consecutive_answers(
        self, title: AwardTitle, other: AwardTitle | None, years: list[int], answers: list[str]
    ) -> Line:
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
                status = STATUS_OF_VERDICT[answer]
                statuses.append(status)
                parts.append(
                    _("%(year)d qualifies") % {"year": year}
                    if status == Status.MET
                    else _("%(year)d: %(verdict)s")
                    % {"year": year, "verdict": str(Verdict(answer).label).lower()}
                )
        return self._consecutive_result(name, statuses, parts)

    def _consecutive_result(self, name: str, statuses: list[str], parts: list[str]) -> Line:
        """One part per year of the span."""
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
                len(parts),
            )
            % {
                "title": name,
                "count": format_number(len(parts)),
                "years": ", ".join(parts),
            },
        )
