"""Reasons stored as codes with parameters, rendered in the reader's language."""

from __future__ import annotations

from django.utils.translation import gettext as _

from civility.evaluations.rules import ANNUAL_RULE_SETS, AnnualLevel


def _level(value: str) -> str:
    try:
        return str(AnnualLevel(value).label)
    except ValueError:
        return value


def _rule_name(key: str) -> str:
    rule = next((rule for rule in ANNUAL_RULE_SETS if rule.key == key), None)
    return str(rule.name) if rule else key


def explain(reason: dict) -> str:
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
        return _("No work items recorded in the approved monthly evaluations of the year.")
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
        return (
            _(
                "Disciplined in the year (%(form)s, decision of %(date)s, record %(number)s): "
                "“did not complete tasks” whatever the score."
            )
            % p
        )
    if code == "discipline_counted_before":
        return (
            _(
                "Record %(number)s already led to “did not complete tasks” in %(year)s; "
                "not counted again (Decree 48/2023)."
            )
            % p
        )
    if code == "discipline_not_duty":
        return (
            _(
                "Record %(number)s is not a duty-related breach; it does not change the "
                "level under this rule set."
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
