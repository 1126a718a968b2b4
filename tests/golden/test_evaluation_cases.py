"""Each golden case of the evaluation rules (tests/golden/evaluation_cases.py) gives its
expected verdict, computed by the same pure functions the workflows use."""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from civility.evaluations import policies
from civility.evaluations.actions.common import approval_root, may_approve
from civility.evaluations.rules import (
    DECREE_335_MONTHLY,
    HANOI_3814,
    WorkItem,
    excellent_cap_per_good,
    monthly_rule_sets_for,
    pick_monthly_rule_set,
    score,
    share_of,
    unit_results_rate,
)
from tests.golden.evaluation_cases import CASES, D335M, H3814

RULE_SETS = {H3814: HANOI_3814, D335M: DECREE_335_MONTHLY}
LEVEL_WORDS = {
    "excellent": "excellent",
    "good": "well completed",
    "completed": "completed",
    "not_completed": "did not complete",
}
# The tree of the approval cases: a province, an agency in it, a division of the agency.
PATHS = {"above": "1/", "agency": "1/2/", "division": "1/2/3/"}


def _level(level: str, grade: str) -> str:
    return f"grade {grade}" if grade else LEVEL_WORDS[level]


def verdict(case: dict) -> str:
    given = case["given"]
    check = case["check"]
    if check == "score":
        rules = RULE_SETS[case["rule_set"]]
        items = [WorkItem.from_dict(item) for item in given["items"]]
        result = score(rules, points=given["points"], items=items)
        return _level(result.level, result.grade)
    if check == "level_for_total":
        rules = RULE_SETS[case["rule_set"]]
        level = rules.level_for(Decimal(given["total"]))
        return _level(level, rules.grade_for(level))
    if check == "monthly_rule_set":
        month = datetime.date.fromisoformat(given["month"])
        candidates = monthly_rule_sets_for(month, given["category"], given["province"])
        chosen = pick_monthly_rule_set(candidates, given["overlap"])
        if chosen is None:
            return "not scored (no monthly rule set)"
        return next(label for label, rules in RULE_SETS.items() if rules is chosen)
    if check == "quota_3814":
        cap = HANOI_3814.quota.cap(
            given["people"], exceptional=given["outstanding"], rounding=given["rounding"]
        )
        return f"at most {cap} grade A"
    if check == "quota_335":
        return f"at most {share_of(given['good'], 20, given['rounding'])} excellent"
    if check == "excellent_kept":
        kept = excellent_cap_per_good(
            given["excellent"], given["good"], 20, rounding=given["rounding"]
        )
        return f"{kept} keep excellent"
    if check == "approval":
        agency = SimpleNamespace(path=PATHS["agency"])
        unit = SimpleNamespace(path=PATHS["division"])
        root = approval_root(
            unit=agency if given["annual"] else unit,
            agency=agency,
            is_leader=bool(given["role"]),
            agency_role=given["role"],
            deputy_level_above=given.get("deputy") == policies.LEVEL_ABOVE,
        )
        allowed = may_approve([PATHS[given["approver"]]], root)
        verb = "confirm" if given["annual"] else "approve"
        return f"may {verb}" if allowed else f"may not {verb}"
    if check == "unit_results":
        rate = unit_results_rate(given["levels"])
        return "unit's results not counted" if rate is None else f"unit's results {rate}%"
    if check == "leader_task_points":
        points = DECREE_335_MONTHLY.task_points(
            [WorkItem("Hồ sơ")], unit_rate=Decimal(given["rate"]), unit_weight=given["weight"]
        )
        return f"{points} task points"
    raise AssertionError(f"unknown check {check}")


@pytest.mark.parametrize("case", CASES, ids=[case["situation"] for case in CASES])
def test_golden_evaluation_case(case):
    assert verdict(case) == case["expected"], case["source"]
