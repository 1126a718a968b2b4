"""Golden cases for discipline and the rotation of posts, written for a legal officer: the rule
set, the situation in plain words, the verdict expected and its source, one row per case, at
the boundaries the texts set. tests/golden/test_discipline_cases.py runs every row; `case`
holds the same situation in Civility's terms (a `check` names how it is run).

Annual classification rows start from a year whose records alone give "well completed tasks"
(one work item on time, monthly scores averaging 80) and add the disciplinary decisions."""

from __future__ import annotations

DECREE_90_C = "Decree 90/2020/NĐ-CP, Art. 11, point c"
DECREE_48 = "Decree 90/2020/NĐ-CP, Art. 11, point c; Decree 48/2023/NĐ-CP, Art. 1, cl. 4"
DECREE_48_EXCEPTION = "Decree 90/2020/NĐ-CP, Art. 2, cl. 5; Decree 48/2023/NĐ-CP, Art. 1, cl. 4"
DECREE_335 = "Decree 335/2025/NĐ-CP, Art. 20, cl. 1–4"
ANTI_CORRUPTION = "Law on Anti-Corruption 2018, Art. 25, cl. 2"
DECREE_59 = "Decree 59/2019/NĐ-CP (amended by Decree 134/2021/NĐ-CP), Art. 36, 38, 39"
NOT_COMPLETED = "Did not complete tasks"
UNCHANGED = "Unchanged: well completed tasks"


def decision(decided: str, *, duties: bool, occurred: str | None = None, form="reprimand"):
    return {
        "decision_date": decided,
        "occurred_on": occurred or decided,
        "related_to_duties": duties,
        "form": form,
    }


def annual(year, rated_on, decisions, level, **extra) -> dict:
    return {
        "check": "annual",
        "year": year,
        "rated_on": rated_on,
        "decisions": decisions,
        "level": level,
        **extra,
    }


CASES: list[dict] = [
    # --- Decree 90/2020 (2020-2022, and 2023 ratings made before 15/09/2023) --------------
    {
        "rule_set": "Decree 90/2020/NĐ-CP",
        "situation": "Civil servant, 2022: reprimanded on 01/06/2022 for a violation "
        "committed in performing duties.",
        "expected": NOT_COMPLETED,
        "source": DECREE_90_C,
        "case": annual(2022, "2022-12-10", [decision("2022-06-01", duties=True)], "not_completed"),
    },
    {
        "rule_set": "Decree 90/2020/NĐ-CP",
        "situation": "Civil servant, 2022: reprimanded on 01/06/2022 for conduct at home "
        "(off duty).",
        "expected": UNCHANGED,
        "source": DECREE_90_C,
        "case": annual(2022, "2022-12-10", [decision("2022-06-01", duties=False)], "good"),
    },
    {
        "rule_set": "Decree 90/2020/NĐ-CP",
        "situation": "Public employee, 2021: warned for a violation committed in performing "
        "duties.",
        "expected": NOT_COMPLETED,
        "source": "Decree 90/2020/NĐ-CP, Art. 15, point c",
        "case": annual(
            2021,
            "2021-12-10",
            [decision("2021-05-01", duties=True, form="warning")],
            "not_completed",
            category="public_employee",
        ),
    },
    {
        "rule_set": "Decree 90/2020/NĐ-CP as amended by Decree 48/2023/NĐ-CP (2023)",
        "situation": "Civil servant, 2023 rating made on 14/09/2023, the day before Decree 48 "
        "took effect: reprimanded in March 2023 for conduct in a public place (off duty).",
        "expected": UNCHANGED,
        "source": DECREE_90_C,
        "case": annual(2023, "2023-09-14", [decision("2023-03-01", duties=False)], "good"),
    },
    {
        "rule_set": "Decree 90/2020/NĐ-CP as amended by Decree 48/2023/NĐ-CP (2023)",
        "situation": "Civil servant, 2023 rating made on 14/09/2023: reprimanded in March "
        "2023 for a violation committed in performing duties.",
        "expected": NOT_COMPLETED,
        "source": DECREE_90_C,
        "case": annual(2023, "2023-09-14", [decision("2023-03-01", duties=True)], "not_completed"),
    },
    # --- Decree 48/2023 (in force 15/09/2023) ---------------------------------------------
    {
        "rule_set": "Decree 90/2020/NĐ-CP as amended by Decree 48/2023/NĐ-CP",
        "situation": "Civil servant, 2023 rating made in December: reprimanded for conduct at "
        "home by a decision of 15/09/2023, the day Decree 48 took effect.",
        "expected": NOT_COMPLETED,
        "source": DECREE_48,
        "case": annual(2023, "2023-12-10", [decision("2023-09-15", duties=False)], "not_completed"),
    },
    {
        "rule_set": "Decree 90/2020/NĐ-CP as amended by Decree 48/2023/NĐ-CP",
        "situation": "Civil servant, 2023 rating made in December: reprimanded for conduct at "
        "home by a decision of 14/09/2023; the province has not chosen whether such a decision "
        "counts.",
        "expected": UNCHANGED + " (setting to be confirmed: not counted by default)",
        "source": DECREE_48 + "; setting “2023 rating counts discipline for off-duty "
        "conduct decided before 15/09/2023”",
        "case": annual(
            2023,
            "2023-12-10",
            [decision("2023-09-14", duties=False)],
            "good",
            shows="No, chosen by Civility's default (ground: to be confirmed)",
        ),
    },
    {
        "rule_set": "Decree 90/2020/NĐ-CP as amended by Decree 48/2023/NĐ-CP",
        "situation": "The same, in a province that set “counted” from 01/01/2023 without "
        "naming a ground.",
        "expected": NOT_COMPLETED + " (setting to be confirmed)",
        "source": DECREE_48 + "; setting “2023 rating counts discipline for off-duty "
        "conduct decided before 15/09/2023”",
        "case": annual(
            2023,
            "2023-12-10",
            [decision("2023-09-14", duties=False)],
            "not_completed",
            setting=True,
            shows="Yes, chosen by Thành phố Hà Nội from 01/01/2023 (ground: to be confirmed)",
        ),
    },
    {
        "rule_set": "Decree 90/2020/NĐ-CP as amended by Decree 48/2023/NĐ-CP",
        "situation": "Civil servant, 2024: reprimanded for conduct in a public place (off duty).",
        "expected": NOT_COMPLETED,
        "source": DECREE_48,
        "case": annual(2024, "2024-12-10", [decision("2024-04-01", duties=False)], "not_completed"),
    },
    {
        "rule_set": "Decree 90/2020/NĐ-CP as amended by Decree 48/2023/NĐ-CP",
        "situation": "Civil servant, 2025: decision of 15/01/2025 for a violation of "
        "November 2024; 2024 was already confirmed “did not complete tasks”.",
        "expected": UNCHANGED + " (not counted again)",
        "source": DECREE_48_EXCEPTION,
        "case": annual(
            2025,
            "2025-12-10",
            [decision("2025-01-15", occurred="2024-11-01", duties=True)],
            "good",
            earlier_fails=[2024],
        ),
    },
    {
        "rule_set": "Decree 90/2020/NĐ-CP as amended by Decree 48/2023/NĐ-CP",
        "situation": "Civil servant, 2025: decision of 15/01/2025 for a violation of "
        "November 2024; 2024 was not “did not complete tasks”.",
        "expected": NOT_COMPLETED,
        "source": DECREE_48,
        "case": annual(
            2025,
            "2025-12-10",
            [decision("2025-01-15", occurred="2024-11-01", duties=True)],
            "not_completed",
        ),
    },
    {
        "rule_set": "Decree 90/2020/NĐ-CP as amended by Decree 48/2023/NĐ-CP",
        "situation": "Public employee, 2026 (Decree 335 covers civil servants only): "
        "reprimanded for conduct at home.",
        "expected": NOT_COMPLETED,
        "source": "Decree 90/2020/NĐ-CP, Art. 15, point c; Decree 48/2023/NĐ-CP, Art. 1, cl. 4",
        "case": annual(
            2026,
            "2026-12-10",
            [decision("2026-03-01", duties=False)],
            "not_completed",
            category="public_employee",
        ),
    },
    # --- Decree 335/2025 (civil servants, from 2026) ---------------------------------------
    {
        "rule_set": "Decree 335/2025/NĐ-CP",
        "situation": "Civil servant, 2026: reprimanded on 01/01/2026 for a violation related "
        "to public-service activity committed in December 2025.",
        "expected": NOT_COMPLETED,
        "source": DECREE_335,
        "case": annual(
            2026,
            "2026-12-10",
            [decision("2026-01-01", occurred="2025-12-20", duties=True)],
            "not_completed",
        ),
    },
    {
        "rule_set": "Decree 335/2025/NĐ-CP",
        "situation": "Civil servant, 2026: reprimanded for conduct in a public place (off duty).",
        "expected": UNCHANGED,
        "source": DECREE_335,
        "case": annual(2026, "2026-12-10", [decision("2026-05-01", duties=False)], "good"),
    },
    {
        "rule_set": "Decree 335/2025/NĐ-CP",
        "situation": "Civil servant, 2026: warned for conduct at home (off duty).",
        "expected": UNCHANGED,
        "source": DECREE_335,
        "case": annual(
            2026, "2026-12-10", [decision("2026-05-01", duties=False, form="warning")], "good"
        ),
    },
    # --- "Disciplined in year Y" counts the decision date ----------------------------------
    {
        "rule_set": "Every rule set (one definition for evaluations and awards)",
        "situation": "Violation on 20/12/2025, disciplinary decision on 10/01/2026.",
        "expected": "Disciplined in 2026, not in 2025",
        "source": "Decree 48/2023/NĐ-CP, Art. 1, cl. 4; Decree 335/2025/NĐ-CP, Art. 20 "
        "(discipline “in the year” of evaluation)",
        "case": {
            "check": "decision_year",
            "occurred": "2025-12-20",
            "decided": "2026-01-10",
            "years": {2025: False, 2026: True},
        },
    },
    # --- Disciplinary forms (Decree 112/2020; Decree 172/2025) -----------------------------
    {
        "rule_set": "Decree 112/2020/NĐ-CP",
        "situation": "Civil servant not in a leadership post, decision of 20/06/2025: "
        "salary-step reduction.",
        "expected": "Allowed",
        "source": "Decree 112/2020/NĐ-CP, Art. 7",
        "case": {
            "check": "form",
            "decided": "2025-06-20",
            "leader": False,
            "form": "salary_step_reduction",
            "allowed": True,
        },
    },
    {
        "rule_set": "Decree 112/2020/NĐ-CP",
        "situation": "Leader (head of division), decision of 20/06/2025: salary-step reduction.",
        "expected": "Refused: for non-leaders only",
        "source": "Decree 112/2020/NĐ-CP, Art. 7",
        "case": {
            "check": "form",
            "decided": "2025-06-20",
            "leader": True,
            "form": "salary_step_reduction",
            "allowed": False,
        },
    },
    {
        "rule_set": "Decree 112/2020/NĐ-CP",
        "situation": "Leader, decision of 20/06/2025: demotion.",
        "expected": "Allowed",
        "source": "Decree 112/2020/NĐ-CP, Art. 7",
        "case": {
            "check": "form",
            "decided": "2025-06-20",
            "leader": True,
            "form": "demotion",
            "allowed": True,
        },
    },
    {
        "rule_set": "Decree 112/2020/NĐ-CP",
        "situation": "Civil servant not in a leadership post, decision of 20/06/2025: demotion.",
        "expected": "Refused: for leaders only",
        "source": "Decree 112/2020/NĐ-CP, Art. 7",
        "case": {
            "check": "form",
            "decided": "2025-06-20",
            "leader": False,
            "form": "demotion",
            "allowed": False,
        },
    },
    {
        "rule_set": "Decree 172/2025/NĐ-CP",
        "situation": "Leader, decision of 01/07/2025, the day Decree 172 took effect: demotion.",
        "expected": "Refused: no longer a form",
        "source": "Decree 172/2025/NĐ-CP",
        "case": {
            "check": "form",
            "decided": "2025-07-01",
            "leader": True,
            "form": "demotion",
            "allowed": False,
        },
    },
    # --- Rotation of posts (Law on Anti-Corruption 2018; Decree 59/2019) --------------------
    {
        "rule_set": "Law on Anti-Corruption 2018",
        "situation": "A post subject to periodic rotation with a period of 23 months.",
        "expected": "Refused: from a full 2 years to 5 years",
        "source": ANTI_CORRUPTION,
        "case": {"check": "period", "months": 23, "valid": False},
    },
    {
        "rule_set": "Law on Anti-Corruption 2018",
        "situation": "A period of 24 months (a full 2 years).",
        "expected": "Accepted",
        "source": ANTI_CORRUPTION,
        "case": {"check": "period", "months": 24, "valid": True},
    },
    {
        "rule_set": "Law on Anti-Corruption 2018",
        "situation": "A period of 60 months (5 years).",
        "expected": "Accepted",
        "source": ANTI_CORRUPTION,
        "case": {"check": "period", "months": 60, "valid": True},
    },
    {
        "rule_set": "Law on Anti-Corruption 2018",
        "situation": "A period of 61 months.",
        "expected": "Refused: from a full 2 years to 5 years",
        "source": ANTI_CORRUPTION,
        "case": {"check": "period", "months": 61, "valid": False},
    },
    {
        "rule_set": "Law on Anti-Corruption 2018",
        "situation": "Leader in a post subject to periodic rotation, overdue on 10/06/2025.",
        "expected": "Not listed: leaders move under a separate scheme",
        "source": "Law on Anti-Corruption 2018, Art. 24 cl. 1, Art. 25 cl. 2",
        "case": {"check": "rotation", "leader": True, "retirement": "2050-01-01", "listed": "none"},
    },
    {
        "rule_set": "Decree 59/2019/NĐ-CP",
        "situation": "Official overdue for rotation on 10/06/2025, retiring on 09/12/2026 "
        "(17 months and 29 days later).",
        "expected": "No rotation: under 18 months to retirement",
        "source": DECREE_59,
        "case": {"check": "rotation", "retirement": "2026-12-09", "listed": "exempt"},
    },
    {
        "rule_set": "Decree 59/2019/NĐ-CP",
        "situation": "Official overdue for rotation on 10/06/2025, retiring on 10/12/2026 "
        "(exactly 18 months later).",
        "expected": "Due for rotation",
        "source": DECREE_59,
        "case": {"check": "rotation", "retirement": "2026-12-10", "listed": "due"},
    },
    {
        "rule_set": "Decree 59/2019/NĐ-CP",
        "situation": "Official overdue for rotation; no retirement date recorded.",
        "expected": "Due for rotation; the retirement exemption is to be assessed",
        "source": DECREE_59,
        "case": {"check": "rotation", "retirement": None, "listed": "to_assess"},
    },
    {
        "rule_set": "Decree 59/2019/NĐ-CP",
        "situation": "Official overdue for rotation, raising a child under 36 months: deferral "
        "recorded from 01/06/2025 to 01/03/2027.",
        "expected": "Deferred",
        "source": DECREE_59,
        "case": {
            "check": "rotation",
            "retirement": "2050-01-01",
            "deferral": ("child_under_36_months", "2025-06-01", "2027-03-01"),
            "listed": "deferred",
        },
    },
]
