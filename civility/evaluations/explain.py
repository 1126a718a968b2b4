"""Reasons stored as codes with parameters, rendered in the reader's language, each rule line
followed by the sources stored with it (`rules.cite`) and the settings it used
(`policies.snapshot`)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civility.conduct.rules import DisciplineForm
from civility.core.i18n import format_number, format_percent
from civility.evaluations import policies
from civility.evaluations.rules import (
    ANNUAL_RULE_SETS,
    DECREE_335,
    MONTHLY_RULE_SETS,
    AnnualLevel,
    AnnualRuleSet,
    MonthlyRuleSet,
    RuleLine,
    cite,
    monthly_rule_set,
)
from civility.orgs.models import OrgUnit, StaffCategory
from civility.orgs.policies import policy

_DECIMAL = re.compile(r"-?\d+\.(\d+)")
# The stored parameters that are shares in per cent: shown with the language's per-cent
# sign ("75,5 %" / "75.5%"), which the sentences leave out.
_PERCENTS = frozenset({"percent", "rate", "weight"})


def _numbers(params: Mapping[str, Any]) -> dict[str, Any]:
    """The stored parameters with their decimals written as the reader's language writes
    them (84,35 in Vietnamese): they are kept as "84.35" in the JSON of the reason."""
    shown: dict[str, Any] = {}
    for key, value in params.items():
        if isinstance(value, float | Decimal):
            value = str(value)
        match = _DECIMAL.fullmatch(value) if isinstance(value, str) else None
        decimals = len(match.group(1)) if match else None
        if key in _PERCENTS and value not in (None, "") and not isinstance(value, bool):
            shown[key] = format_percent(value, decimals)
        else:
            shown[key] = format_number(value, decimals) if match else value
    return shown


def _how_many(value: object) -> int:
    """The count a plural form is chosen by: stored parameters hold 6 or "6"."""
    try:
        return int(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return 0


# The shares the criteria for the annual levels set (Decree 335/2025 Art. 13-16).
_CRITERIA_LIMITS = {"allowed": 20, "half": 50}


def _level(value: str) -> str:
    try:
        return str(AnnualLevel(value).label)
    except ValueError:
        return value


def _rule_name(key: str) -> str:
    rule_sets: tuple[AnnualRuleSet | MonthlyRuleSet, ...] = (*ANNUAL_RULE_SETS, *MONTHLY_RULE_SETS)
    rule = next((rule for rule in rule_sets if rule.key == key), None)
    return str(rule.name) if rule else key


def _category(value: str) -> str:
    try:
        return str(StaffCategory(value).label).lower()
    except ValueError:
        return value


def citation(source: Mapping[str, str]) -> str:
    """ "Decree 90/2020/NĐ-CP, Art. 11, point b"; the article "to be confirmed" when the legal
    notes did not confirm it."""
    if source.get("kind") == "decision":
        document = _("Decision %(act)s") % source
    else:
        document = _("Decree %(act)s") % source
    parts = {**source, "document": document}
    if not source.get("article"):
        return _("%(document)s (article to be confirmed)") % parts
    if source.get("clause"):
        return _("%(document)s, Art. %(article)s, cl. %(clause)s") % parts
    if source.get("point"):
        return _("%(document)s, Art. %(article)s, point %(point)s") % parts
    return _("%(document)s, Art. %(article)s") % parts


def _form(value: str) -> str:
    try:
        return str(DisciplineForm(value).label)
    except ValueError:
        return value


def explain(reason: Mapping[str, Any]) -> str:
    return _with_grounds(_explain(reason), reason.get("sources"), reason.get("policies"))


def _with_grounds(
    text: str, sources: list[dict[str, str]] | None, used: list[dict[str, Any]] | None
) -> str:
    """The text, then its sources, then each setting it used with who chose it."""
    if sources:
        text = _("%(text)s Source: %(sources)s.") % {
            "text": text,
            "sources": "; ".join(citation(source) for source in sources),
        }
    lines = [policies.from_snapshot(value).explain() for value in used or ()]
    return " ".join([text, *lines])


def rule_lines(
    rules: AnnualRuleSet | MonthlyRuleSet, *, unit: OrgUnit, on: datetime.date
) -> list[tuple[str, str]]:
    """Each rule of a rule set in words with its source, or with the setting in force for
    `unit` on `on`; with neither, the source is to be confirmed."""
    return [(str(line.text), _line_ground(line, unit=unit, on=on)) for line in rules.notes]


def _line_ground(line: RuleLine, *, unit: OrgUnit, on: datetime.date) -> str:
    if line.setting:
        return policy(line.setting, unit=unit, on=on).explain()
    if line.source:
        return _("Source: %(source)s.") % {"source": citation(line.source)}
    return _("Source: to be confirmed.")


def _explain(reason: Mapping[str, Any]) -> str:
    raw = reason.get("params", {})
    code: str = reason.get("code", "")
    p = _numbers(raw)
    p.update({key: format_percent(value) for key, value in _CRITERIA_LIMITS.items()})
    if code == "rule_set":
        return _("Rule set: %(name)s.") % {"name": _rule_name(p.get("key", ""))}
    if code in ("monthly_rule_one", "monthly_rule_overlap", "monthly_rule_none"):
        return _explain_monthly_choice(code, p)
    if code == "period_rule_set":
        return _(
            "Scored under %(name)s, chosen for the whole period before rule sets were "
            "chosen per official."
        ) % {"name": _rule_name(p.get("key", ""))}
    if code == "quota_monthly":
        return _explain_monthly_quota(p)
    if code == "quota_head_decides":
        return (
            ngettext(
                "Excellent is capped at %(percent)s of those rated well completed in the "
                "agency: %(cap)s in all; %(places)s place remains for %(among)s candidates "
                "the order does not separate. The head decides — to be assessed.",
                "Excellent is capped at %(percent)s of those rated well completed in the "
                "agency: %(cap)s in all; %(places)s places remain for %(among)s candidates "
                "the order does not separate. The head decides — to be assessed.",
                _how_many(raw.get("places")),
            )
            % p
        )
    if code == "no_rule_set":
        return _("No rule set applies to this staff category in %(year)s.") % p
    if code == "too_few_months":
        return (
            ngettext(
                "Worked %(months)s month in the year, fewer than %(minimum)s: not classified.",
                "Worked %(months)s months in the year, fewer than %(minimum)s: not classified.",
                _how_many(raw.get("months")),
            )
            % p
        )
    if code == "maternity_exception":
        return (
            ngettext(
                "Worked %(months)s month, but maternity leave is excepted from the 6-month "
                "minimum.",
                "Worked %(months)s months, but maternity leave is excepted from the 6-month "
                "minimum.",
                _how_many(raw.get("months")),
            )
            % p
        )
    if code == "no_scores":
        return _("No approved period score in the year: not classified.")
    if code == "no_items":
        return _(
            "No work items recorded in the approved monthly evaluations of the year: missing "
            "records are no ground for a level. Not enough grounds — to be assessed."
        )
    if code == "criteria_between":
        return (
            ngettext(
                "%(short)s of %(items)s work item (%(percent)s) short of quality, timeliness or "
                "effectiveness: more than the %(allowed)s allowed for “completed tasks”, but not "
                "more than the %(half)s that means “did not complete tasks”. The law sets no "
                "level for this band. Not enough grounds — to be assessed.",
                "%(short)s of %(items)s work items (%(percent)s) short of quality, timeliness or "
                "effectiveness: more than the %(allowed)s allowed for “completed tasks”, but not "
                "more than the %(half)s that means “did not complete tasks”. The law sets no "
                "level for this band. Not enough grounds — to be assessed.",
                _how_many(raw.get("items")),
            )
            % p
        )
    if code == "criteria_over_half":
        return (
            ngettext(
                "%(short)s of %(items)s work item (%(percent)s) short of quality, timeliness or "
                "effectiveness: more than %(half)s, so “did not complete tasks”.",
                "%(short)s of %(items)s work items (%(percent)s) short of quality, timeliness or "
                "effectiveness: more than %(half)s, so “did not complete tasks”.",
                _how_many(raw.get("items")),
            )
            % p
        )
    if code == "criteria_disagree":
        return (
            ngettext(
                "%(short)s of %(items)s work item (%(percent)s) short of quality, timeliness or "
                "effectiveness, more than %(half)s, but the approved monthly scores average "
                "%(average)s points (50 or more is at least “completed” in the monthly scale): "
                "the records disagree. Not enough grounds — to be assessed.",
                "%(short)s of %(items)s work items (%(percent)s) short of quality, timeliness or "
                "effectiveness, more than %(half)s, but the approved monthly scores average "
                "%(average)s points (50 or more is at least “completed” in the monthly scale): "
                "the records disagree. Not enough grounds — to be assessed.",
                _how_many(raw.get("items")),
            )
            % p
        )
    if code == "criteria_unconfirmed":
        return (
            ngettext(
                "%(short)s of %(items)s work item (%(percent)s) short of quality, timeliness or "
                "effectiveness, more than %(half)s; this ground of “did not complete tasks” is "
                "confirmed in Civility's legal notes only for civil servants and public "
                "employees not in a leadership post. Not enough grounds — to be assessed.",
                "%(short)s of %(items)s work items (%(percent)s) short of quality, timeliness or "
                "effectiveness, more than %(half)s; this ground of “did not complete tasks” is "
                "confirmed in Civility's legal notes only for civil servants and public "
                "employees not in a leadership post. Not enough grounds — to be assessed.",
                _how_many(raw.get("items")),
            )
            % p
        )
    if code == "average":
        return ngettext(
            "Average of %(count)s period score: %(average)s points, which gives “%(level)s” "
            "(cut-offs 90 / 70 / 50).",
            "Average of %(count)s period scores: %(average)s points, which gives “%(level)s” "
            "(cut-offs 90 / 70 / 50).",
            _how_many(raw.get("count")),
        ) % {**p, "level": _level(p.get("level", ""))}
    if code == "criteria":
        return ngettext(
            "%(items)s work item in the year: %(short)s short of quality or schedule, "
            "%(not_done)s not done, %(exceeded)s beyond expectations; the task criteria give "
            "“%(level)s”.",
            "%(items)s work items in the year: %(short)s short of quality or schedule, "
            "%(not_done)s not done, %(exceeded)s beyond expectations; the task criteria give "
            "“%(level)s”.",
            _how_many(raw.get("items")),
        ) % {**p, "level": _level(p.get("level", ""))}
    if code == "absence_cap":
        return _("Absent %(months)s months (3 to under 6): at most “%(cap)s”.") % {
            **p,
            "cap": _level(p.get("cap", "")),
        }
    if code == "discipline":
        p["form"] = _form(p.get("form", ""))
        if p.get("ground") == "duty":
            return (
                _(
                    "Disciplined in the year for a violation related to duties (%(form)s, "
                    "decision of %(date)s, record %(number)s): “did not complete tasks” "
                    "whatever the score."
                )
                % p
            )
        return (
            _(
                "Disciplined in the year (%(form)s, decision of %(date)s, record %(number)s): "
                "“did not complete tasks” whatever the score."
            )
            % p
        )
    if code == "discipline_before_decree_48":
        return (
            _(
                "Record %(number)s: disciplined for conduct off duty by a decision of "
                "%(date)s, before Decree 48/2023 took effect (15/09/2023): not counted in this "
                "rating, as the setting named after the source decides."
            )
            % p
        )
    if code == "discipline_counted_before":
        return (
            _(
                "Record %(number)s already led to “did not complete tasks” in %(year)s; "
                "not counted again."
            )
            % p
        )
    if code == "discipline_not_duty":
        return (
            _(
                "Record %(number)s: disciplined for a violation not related to duties (conduct "
                "off duty); under this rule set only discipline for a violation related to "
                "duties counts, so it does not change the level."
            )
            % p
        )
    if code == "quota_excellent":
        return (
            ngettext(
                "Excellent is capped at %(percent)s of those rated well completed in the "
                "agency: %(cap)s of %(candidates)s candidate keeps it (best average scores "
                "first); proposed “well completed”.",
                "Excellent is capped at %(percent)s of those rated well completed in the "
                "agency: %(cap)s of %(candidates)s candidates keep it (best average scores "
                "first); proposed “well completed”.",
                _how_many(raw.get("candidates")),
            )
            % p
        )
    if code == "annual_lowest":
        return _("Classified “did not complete tasks” for %(year)s.") % p
    if code == "monthly_consecutive":
        return (
            ngettext(
                "Rated “did not complete tasks” in %(count)s monthly period in a row.",
                "Rated “did not complete tasks” in %(count)s monthly periods in a row.",
                _how_many(raw.get("count")),
            )
            % p
        )
    if code == "unit_targets":
        return (
            ngettext(
                "Leader of %(unit)s, which has %(tasks)s programme task overdue or done late "
                "this year.",
                "Leader of %(unit)s, which has %(tasks)s programme tasks overdue or done late "
                "this year.",
                _how_many(raw.get("tasks")),
            )
            % p
        )
    return code


def _explain_monthly_choice(code: str, p: dict[str, Any]) -> str:
    where = {
        **p,
        "category": _category(p.get("category", "")),
        "province": p.get("province") or _("no province"),
    }
    if code == "monthly_rule_none":
        return (
            _(
                "No monthly rule set applies to a %(category)s in %(province)s in %(month)s: "
                "not scored — to be assessed."
            )
            % where
        )
    rules = monthly_rule_set(p.get("key", ""))
    where["name"] = str(rules.name) if rules else p.get("key", "")
    text = _("%(name)s applies to a %(category)s in %(province)s in %(month)s.") % where
    if rules is not None and rules.notes and rules.notes[0].source:
        text = _("%(text)s Source: %(sources)s.") % {
            "text": text,
            "sources": citation(rules.notes[0].source),
        }
    if code == "monthly_rule_overlap":
        others = ", ".join(_rule_name(key) for key in p.get("others", "").split(",") if key)
        text = " ".join(
            [text, _("%(others)s also applies; the setting below chooses.") % {"others": others}]
        )
    return text


def _explain_monthly_quota(p: dict[str, Any]) -> str:
    params = {
        **p,
        "level": p.get("grade") or _level(p.get("level", "")),
        "to": p.get("to_grade") or _level(p.get("to", "")),
    }
    text = (
        _(
            "Grade %(level)s is limited to %(percent)s of the %(population)s evaluated in "
            "%(agency)s under %(rule)s, that is %(cap)s; %(held)s already approved with it and "
            "%(ahead)s awaiting approval with a higher score: grade %(to)s."
        )
        % params
    )
    if p.get("outstanding"):
        text = " ".join([text, _("The agency is named as having outstanding results.")])
    return text


def unit_results_line(record: Mapping[str, Any]) -> str:
    """A leader's unit results under Decree 335 as counted (`Evaluation.unit_results`)."""
    if not record:
        return ""
    params = {
        **_numbers(record),
        "rate": _numbers(record).get("rate") or "",
    }
    if not record.get("rate"):
        text = (
            ngettext(
                "Unit's results (%(scope)s): the %(subordinates)s subordinate is not rated "
                "yet, so the results are not counted.",
                "Unit's results (%(scope)s): none of the %(subordinates)s subordinates is rated "
                "yet, so they are not counted.",
                _how_many(record.get("subordinates")),
            )
            % params
        )
    else:
        text = (
            ngettext(
                "Unit's results (%(scope)s): %(rated)s of %(subordinates)s subordinate rated, "
                "%(not_completed)s did not complete their tasks: %(rate)s. They count for "
                "%(weight)s of the task points (own work items alone: %(own_tasks)s points).",
                "Unit's results (%(scope)s): %(rated)s of %(subordinates)s subordinates rated, "
                "%(not_completed)s did not complete their tasks: %(rate)s. They count for "
                "%(weight)s of the task points (own work items alone: %(own_tasks)s points).",
                _how_many(record.get("subordinates")),
            )
            % params
        )
    return _with_grounds(text, [cite(DECREE_335)], record.get("policies"))
