"""Golden cases of the evaluation rules, at the boundaries the texts set, for a legal officer
to read: the rule set, the situation in plain words, the expected verdict and its source (or
the setting that decides it, with Civility's default). `check` and `given` tell
tests/golden/test_evaluation_cases.py how to compute the verdict.
"""

from __future__ import annotations

H3814 = "Hà Nội 3814-QĐ/TU (monthly)"
D335M = "Decree 335/2025/NĐ-CP (monthly)"
D335A = "Decree 335/2025/NĐ-CP (annual)"
D90 = "Decree 90/2020/NĐ-CP as amended by Decree 48/2023/NĐ-CP (annual)"
SRC_3814 = "Decision 3814-QĐ/TU"
SRC_335_1 = "Decree 335/2025/NĐ-CP, Art. 1"
SRC_335_20 = "Decree 335/2025/NĐ-CP, Art. 20 cl. 1–4"
SRC_335_20_5 = "Decree 335/2025/NĐ-CP, Art. 20 cl. 5"
SRC_335_LEADERS = "Decree 335/2025/NĐ-CP (article to be confirmed)"
SRC_90_16 = "Decree 90/2020/NĐ-CP, Art. 16"
ROUNDING = "setting “Rounding of a quota” (default: round down, to be confirmed)"
OVERLAP = "setting “Monthly rule set where both apply” (default: national, 335/2025 Art. 1)"
DEPUTY = "setting “Who approves a deputy head's monthly evaluation” (default: own agency head, to be confirmed)"  # noqa: E501
WEIGHT = "setting “Weight of the unit's results” (default 50%, to be confirmed)"


def _score(rule_set, situation, points, expected, source, items=None):
    return {
        "rule_set": rule_set,
        "situation": situation,
        "expected": expected,
        "source": source,
        "check": "score",
        "given": {"points": points, "items": items or []},
    }


def _total(rule_set, situation, total, expected, source):
    return {
        "rule_set": rule_set,
        "situation": situation,
        "expected": expected,
        "source": source,
        "check": "level_for_total",
        "given": {"total": total},
    }


def _scope(situation, category, province, month, expected, source, overlap="national"):
    return {
        "rule_set": "monthly rule sets",
        "situation": situation,
        "expected": expected,
        "source": source,
        "check": "monthly_rule_set",
        "given": {
            "category": category,
            "province": province,
            "month": month,
            "overlap": overlap,
        },
    }


def _quota_3814(people, rounding, expected, *, outstanding=False):
    share = "40%, agency with outstanding results" if outstanding else "30%"
    return {
        "rule_set": H3814,
        "situation": f"{people} evaluated in the agency, grade A at most {share}, "
        f"rounded {rounding}",
        "expected": expected,
        "source": f"{SRC_3814}; {ROUNDING}",
        "check": "quota_3814",
        "given": {"people": people, "rounding": rounding, "outstanding": outstanding},
    }


def _quota_335(good, rounding, expected):
    return {
        "rule_set": D335A,
        "situation": f"{good} rated “well completed” in the agency, excellent at most 20% of "
        f"them, rounded {rounding}",
        "expected": expected,
        "source": f"{SRC_335_20_5}; {ROUNDING}",
        "check": "quota_335",
        "given": {"good": good, "rounding": rounding},
    }


def _approval(rule_set, situation, given, expected, source):
    return {
        "rule_set": rule_set,
        "situation": situation,
        "expected": expected,
        "source": source,
        "check": "approval",
        "given": given,
    }


A, B, C, D = "grade A", "grade B", "grade C", "grade D"
EXCELLENT, GOOD, COMPLETED, NOT_COMPLETED = (
    "excellent",
    "well completed",
    "completed",
    "did not complete",
)
OK_ITEM = {"title": "Hồ sơ", "weight": "1", "done": True}

CASES: list[dict] = [
    # --- Cut-offs ------------------------------------------------------------------------
    _score(H3814, "20 + 70 + 0 = exactly 90 points", {"general": 20, "tasks": 70}, A, SRC_3814),
    _score(H3814, "19 + 70 = 89 points, one under 90", {"general": 19, "tasks": 70}, B, SRC_3814),
    _score(H3814, "10 + 60 = exactly 70 points", {"general": 10, "tasks": 60}, B, SRC_3814),
    _score(H3814, "10 + 59 = 69 points, one under 70", {"general": 10, "tasks": 59}, C, SRC_3814),
    _score(H3814, "0 + 50 = exactly 50 points", {"general": 0, "tasks": 50}, C, SRC_3814),
    _score(H3814, "0 + 49 = 49 points, one under 50", {"general": 0, "tasks": 49}, D, SRC_3814),
    _score(
        H3814,
        "15 + 70 + 5 bonus = 90 points: the bonus counts",
        {"general": 15, "tasks": 70, "bonus": 5},
        A,
        SRC_3814,
    ),
    _total(D335M, "exactly 90 points", 90, EXCELLENT, SRC_335_20),
    _total(D335M, "89 points, one under 90", 89, GOOD, SRC_335_20),
    _total(D335M, "exactly 70 points", 70, GOOD, SRC_335_20),
    _total(D335M, "69 points, one under 70", 69, COMPLETED, SRC_335_20),
    _total(D335M, "exactly 50 points", 50, COMPLETED, SRC_335_20),
    _total(D335M, "49 points, one under 50", 49, NOT_COMPLETED, SRC_335_20),
    _score(
        D335M,
        "20 general points and every work item done on time to quality (70): 90",
        {"general": 20},
        EXCELLENT,
        "Decree 335/2025/NĐ-CP (article to be confirmed); Art. 20 cl. 1–4",
        items=[OK_ITEM],
    ),
    _score(
        D335M,
        "19 general points and every work item done on time to quality (70): 89",
        {"general": 19},
        GOOD,
        "Decree 335/2025/NĐ-CP (article to be confirmed); Art. 20 cl. 1–4",
        items=[OK_ITEM],
    ),
    # --- Which monthly rule set ----------------------------------------------------------
    _scope("A cadre of Hà Nội in March 2025", "cadre", "01", "2025-03-01", H3814, SRC_3814),
    _scope(
        "A civil servant of Hà Nội in December 2025",
        "civil_servant",
        "01",
        "2025-12-01",
        H3814,
        SRC_3814,
    ),
    _scope(
        "A civil servant of Hà Nội in January 2026, the month Decree 335 takes effect",
        "civil_servant",
        "01",
        "2026-01-01",
        D335M,
        f"{SRC_335_1}; {OVERLAP}",
    ),
    _scope(
        "A civil servant of Hà Nội in 2026 where the city chose its own rule set",
        "civil_servant",
        "01",
        "2026-03-01",
        H3814,
        OVERLAP,
        overlap="provincial",
    ),
    _scope(
        "A public employee of Hà Nội in 2026",
        "public_employee",
        "01",
        "2026-03-01",
        H3814,
        f"{SRC_3814}; {SRC_335_1}",
    ),
    _scope(
        "A contract worker of Hà Nội in 2026",
        "worker",
        "01",
        "2026-03-01",
        H3814,
        f"{SRC_3814}; {SRC_335_1}",
    ),
    _scope(
        "A public employee of Sơn La in 2026",
        "public_employee",
        "14",
        "2026-03-01",
        "not scored (no monthly rule set)",
        f"{SRC_335_1}; {SRC_3814} (Hà Nội only)",
    ),
    _scope(
        "A civil servant of Sơn La in 2026",
        "civil_servant",
        "14",
        "2026-03-01",
        D335M,
        SRC_335_1,
    ),
    _scope(
        "A civil servant of Sơn La in December 2025",
        "civil_servant",
        "14",
        "2025-12-01",
        "not scored (no monthly rule set)",
        f"{SRC_3814} (Hà Nội only); {SRC_335_1} (from 2026)",
    ),
    _scope(
        "A cadre of Hà Nội in May 2018 (3814 from 16/05/2018, after the month began)",
        "cadre",
        "01",
        "2018-05-01",
        "not scored (no monthly rule set)",
        SRC_3814,
    ),
    _scope("A cadre of Hà Nội in June 2018", "cadre", "01", "2018-06-01", H3814, SRC_3814),
    # --- Quotas of grade A (3814), per agency --------------------------------------------
    _quota_3814(3, "down", "at most 0 grade A"),
    _quota_3814(3, "nearest", "at most 1 grade A"),
    _quota_3814(3, "up", "at most 1 grade A"),
    _quota_3814(4, "down", "at most 1 grade A"),
    _quota_3814(4, "nearest", "at most 1 grade A"),
    _quota_3814(4, "up", "at most 2 grade A"),
    _quota_3814(10, "down", "at most 3 grade A"),
    _quota_3814(10, "nearest", "at most 3 grade A"),
    _quota_3814(10, "up", "at most 3 grade A"),
    _quota_3814(3, "down", "at most 1 grade A", outstanding=True),
    _quota_3814(3, "nearest", "at most 1 grade A", outstanding=True),
    _quota_3814(3, "up", "at most 2 grade A", outstanding=True),
    _quota_3814(4, "down", "at most 1 grade A", outstanding=True),
    _quota_3814(4, "nearest", "at most 2 grade A", outstanding=True),
    _quota_3814(4, "up", "at most 2 grade A", outstanding=True),
    _quota_3814(10, "down", "at most 4 grade A", outstanding=True),
    _quota_3814(10, "nearest", "at most 4 grade A", outstanding=True),
    _quota_3814(10, "up", "at most 4 grade A", outstanding=True),
    # --- Quotas of "excellent" (Decree 335), per agency ----------------------------------
    _quota_335(3, "down", "at most 0 excellent"),
    _quota_335(3, "nearest", "at most 1 excellent"),
    _quota_335(3, "up", "at most 1 excellent"),
    _quota_335(4, "down", "at most 0 excellent"),
    _quota_335(4, "nearest", "at most 1 excellent"),
    _quota_335(4, "up", "at most 1 excellent"),
    _quota_335(10, "down", "at most 2 excellent"),
    _quota_335(10, "nearest", "at most 2 excellent"),
    _quota_335(10, "up", "at most 2 excellent"),
    {
        "rule_set": D335A,
        "situation": "3 proposed excellent and 9 well completed, rounded down: those who "
        "fall back count as well completed",
        "expected": "2 keep excellent",
        "source": f"{SRC_335_20_5}; {ROUNDING}",
        "check": "excellent_kept",
        "given": {"excellent": 3, "good": 9, "rounding": "down"},
    },
    # --- Who approves ----------------------------------------------------------------------
    _approval(
        D90,
        "A deputy head's annual classification, confirmed by the head of their own agency",
        {"role": "deputy", "annual": True, "approver": "agency"},
        "may confirm",
        SRC_90_16,
    ),
    _approval(
        D90,
        "The head of an agency's annual classification, by a head role on the same agency",
        {"role": "head", "annual": True, "approver": "agency"},
        "may not confirm",
        SRC_90_16,
    ),
    _approval(
        D90,
        "The head of an agency's annual classification, by the head of the level above",
        {"role": "head", "annual": True, "approver": "above"},
        "may confirm",
        SRC_90_16,
    ),
    _approval(
        D90,
        "A staff member's annual classification, by the head of their division",
        {"role": "", "annual": True, "approver": "division"},
        "may not confirm",
        SRC_90_16,
    ),
    _approval(
        H3814,
        "A deputy head's monthly evaluation, by the head of their own agency",
        {"role": "deputy", "annual": False, "approver": "agency"},
        "may approve",
        DEPUTY,
    ),
    _approval(
        H3814,
        "A deputy head's monthly evaluation where the province chose the level above, by the "
        "head of their own agency",
        {"role": "deputy", "annual": False, "approver": "agency", "deputy": "level_above"},
        "may not approve",
        DEPUTY,
    ),
    _approval(
        H3814,
        "A staff member's monthly evaluation, by the head of their division",
        {"role": "", "annual": False, "approver": "division"},
        "may approve",
        "Civility's workflow (the monthly approver is not set by a text found)",
    ),
    # --- Leaders scored on their unit's results (Decree 335) -----------------------------
    {
        "rule_set": D335M,
        "situation": "A leader whose subordinates all reach at least “completed”",
        "expected": "unit's results 100%",
        "source": SRC_335_LEADERS,
        "check": "unit_results",
        "given": {"levels": ["excellent", "good", "completed"]},
    },
    {
        "rule_set": D335M,
        "situation": "A deputy head whose subordinates include one who did not complete tasks",
        "expected": "unit's results 50%",
        "source": SRC_335_LEADERS,
        "check": "unit_results",
        "given": {"levels": ["good", "not_completed", "good"]},
    },
    {
        "rule_set": D335M,
        "situation": "A leader none of whose subordinates is rated yet",
        "expected": "unit's results not counted",
        "source": SRC_335_LEADERS,
        "check": "unit_results",
        "given": {"levels": []},
    },
    {
        "rule_set": D335M,
        "situation": "A leader with every own work item done (70) and the unit's results at "
        "50%, weighted 50%",
        "expected": "52.50 task points",
        "source": f"{SRC_335_LEADERS}; {WEIGHT}",
        "check": "leader_task_points",
        "given": {"rate": 50, "weight": 50},
    },
]
