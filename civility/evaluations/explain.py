"""Reasons stored as codes with parameters, rendered in the reader's language, each rule line
followed by the sources stored with it (`rules.cite`)."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from civility.conduct.rules import DisciplineForm
from civility.evaluations.rules import ANNUAL_RULE_SETS, AnnualLevel
from civility.orgs.policies import PolicyValue, spec_for


def _level(value: str) -> str:
    try:
        return str(AnnualLevel(value).label)
    except ValueError:
        return value


def _rule_name(key: str) -> str:
    rule = next((rule for rule in ANNUAL_RULE_SETS if rule.key == key), None)
    return str(rule.name) if rule else key


def citation(source: dict) -> str:
    """ "Decree 90/2020/NĐ-CP, Art. 11, point b"; the article "to be confirmed" when the legal
    notes did not confirm it."""
    if not source.get("article"):
        return _("Decree %(act)s (article to be confirmed)") % source
    if source.get("clause"):
        return _("Decree %(act)s, Art. %(article)s, cl. %(clause)s") % source
    if source.get("point"):
        return _("Decree %(act)s, Art. %(article)s, point %(point)s") % source
    return _("Decree %(act)s, Art. %(article)s") % source


def _form(value: str) -> str:
    try:
        return str(DisciplineForm(value).label)
    except ValueError:
        return value


def setting_line(stored: dict) -> str:
    """The setting a reason used, as stored with it: value, who chose it, its ground or
    "to be confirmed"."""
    value = PolicyValue(
        spec=spec_for(stored["key"]),
        value=stored["value"],
        source=stored.get("source", ""),
        set_by=stored.get("by") or None,
        valid_from=datetime.date.fromisoformat(stored["from"]) if stored.get("from") else None,
    )
    return value.explain()


def explain(reason: dict) -> str:
    text = _explain(reason)
    sources = reason.get("sources")
    if sources:
        text = _("%(text)s Source: %(sources)s.") % {
            "text": text,
            "sources": "; ".join(citation(source) for source in sources),
        }
    if reason.get("setting"):
        text = f"{text} {setting_line(reason['setting'])}."
    return text


def _explain(reason: dict) -> str:
    code, p = reason.get("code", ""), dict(reason.get("params", {}))
    if code == "rule_set":
        return _("Rule set: %(name)s.") % {"name": _rule_name(p.get("key", ""))}
    if code == "no_rule_set":
        return _("No rule set applies to this staff category in %(year)s.") % p
    if code == "too_few_months":
        return (
            _("Worked %(months)s months in the year, fewer than %(minimum)s: not classified.") % p
        )
    if code == "maternity_exception":
        return (
            _("Worked %(months)s months, but maternity leave is excepted from the 6-month minimum.")
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
            _(
                "%(short)s of %(items)s work items (%(percent)s%%) short of quality, timeliness or "
                "effectiveness: more than the 20%% allowed for “completed tasks”, but not more "
                "than the 50%% that means “did not complete tasks”. The law sets no level for this "
                "band. Not enough grounds — to be assessed."
            )
            % p
        )
    if code == "criteria_over_half":
        return (
            _(
                "%(short)s of %(items)s work items (%(percent)s%%) short of quality, timeliness or "
                "effectiveness: more than 50%%, so “did not complete tasks”."
            )
            % p
        )
    if code == "criteria_disagree":
        return (
            _(
                "%(short)s of %(items)s work items (%(percent)s%%) short of quality, timeliness or "
                "effectiveness, more than 50%%, but the approved monthly scores average "
                "%(average)s points (50 or more is at least “completed” in the monthly scale): "
                "the records disagree. Not enough grounds — to be assessed."
            )
            % p
        )
    if code == "criteria_unconfirmed":
        return (
            _(
                "%(short)s of %(items)s work items (%(percent)s%%) short of quality, timeliness or "
                "effectiveness, more than 50%%; this ground of “did not complete tasks” is "
                "confirmed in Civility's legal notes only for civil servants and public employees "
                "not in a leadership post. Not enough grounds — to be assessed."
            )
            % p
        )
    if code == "average":
        return _(
            "Average of %(count)s period scores: %(average)s points, which gives “%(level)s” "
            "(cut-offs 90 / 70 / 50)."
        ) % {**p, "level": _level(p.get("level", ""))}
    if code == "criteria":
        return _(
            "%(items)s work items in the year: %(short)s short of quality or schedule, "
            "%(not_done)s not done, %(exceeded)s exceeded expectations; the task criteria give "
            "“%(level)s”."
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
            _(
                "Excellent is capped at %(percent)s%% of those rated well completed in the "
                "agency: %(cap)s of %(candidates)s candidates keep it (best average scores "
                "first); proposed “well completed”."
            )
            % p
        )
    if code == "annual_lowest":
        return _("Classified “did not complete tasks” for %(year)s.") % p
    if code == "monthly_consecutive":
        return _("Rated “did not complete tasks” in %(count)s monthly periods in a row.") % p
    if code == "unit_targets":
        return (
            _(
                "Leader of %(unit)s, which has %(tasks)s programme tasks overdue or done late this "
                "year."
            )
            % p
        )
    return code
