"""Golden cases for emulation titles, bonuses and cultural-title money, readable by a legal
officer: each row says the rule, the situation in plain words, the expected verdict or
amount, and its source. `check` holds the same case for the machine
(tests/awards/test_golden_cases.py runs every row). Settings the law leaves open are named
with "setting" in the source; their default is "to be confirmed".
"""

ADVANCED_WORKER_DISCIPLINED = "awards.advanced_worker_disciplined"
BONUS_ROUNDING_DECREE_152 = "awards.bonus_rounding_decree_152"

LAW_24 = "Luật 06/2022/QH15, Điều 24"
LAW_23 = "Luật 06/2022/QH15, Điều 23"
LAW_27 = "Luật 06/2022/QH15, Điều 27 khoản 1"
LAW_28 = "Luật 06/2022/QH15, Điều 28 (medium confidence)"
ART_53 = "Nghị định 98/2023/NĐ-CP, Điều 53 khoản 1–2"
ART_54 = "Nghị định 98/2023/NĐ-CP, Điều 54"
DECREE_91 = (
    "Nghị định 91/2017/NĐ-CP (setting, to be confirmed under Nghị định 98/2023 and 152/2025)"
)

AWARDS_CASES: list[dict] = [
    # --- Advanced Worker (Lao động tiên tiến) ---------------------------------------------
    {
        "rule": "Advanced Worker",
        "situation": "Official rated 'well completed tasks' for the year, no discipline.",
        "expected": "eligible",
        "source": LAW_24,
        "check": {
            "kind": "official",
            "verdict": "eligible",
            "title": "advanced-worker",
            "level": "good",
        },
    },
    {
        "rule": "Advanced Worker",
        "situation": "Official rated 'excellently completed tasks'.",
        "expected": "eligible",
        "source": LAW_24,
        "check": {
            "kind": "official",
            "verdict": "eligible",
            "title": "advanced-worker",
            "level": "excellent",
        },
    },
    {
        "rule": "Advanced Worker",
        "situation": "Official rated only 'completed tasks' (one level under the requirement).",
        "expected": "not eligible",
        "source": LAW_24,
        "check": {
            "kind": "official",
            "verdict": "not_eligible",
            "title": "advanced-worker",
            "level": "completed",
        },
    },
    {
        "rule": "Advanced Worker",
        "situation": "No annual classification confirmed for the official yet.",
        "expected": "data missing",
        "source": LAW_24,
        "check": {
            "kind": "official",
            "verdict": "incomplete",
            "title": "advanced-worker",
            "level": None,
        },
    },
    {
        "rule": "Advanced Worker",
        "situation": "Rated 'well completed tasks' after three months' absence (more than 40 "
        "working days).",
        "expected": "eligible: the 40-day absence exclusion was repealed in 2017",
        "source": f"{LAW_24}; Nghị định 91/2017/NĐ-CP",
        "check": {
            "kind": "official",
            "verdict": "eligible",
            "title": "advanced-worker",
            "level": "good",
            "months_absent": 3,
        },
    },
    {
        "rule": "Advanced Worker: exclusion for discipline",
        "situation": "Rated 'well completed tasks' but reprimanded in the year; the province "
        "kept the default setting.",
        "expected": "not eligible (setting to be confirmed)",
        "source": DECREE_91,
        "check": {
            "kind": "official",
            "verdict": "not_eligible",
            "title": "advanced-worker",
            "level": "good",
            "discipline": "reprimand",
        },
    },
    {
        "rule": "Advanced Worker: exclusion for discipline",
        "situation": "Rated 'well completed tasks', reprimanded; the province recorded that "
        "discipline does not exclude.",
        "expected": "eligible",
        "source": f"{DECREE_91}; the province's choice",
        "check": {
            "kind": "official",
            "verdict": "eligible",
            "title": "advanced-worker",
            "level": "good",
            "discipline": "reprimand",
            "settings": {ADVANCED_WORKER_DISCIPLINED: False},
        },
    },
    # --- Grassroots Emulation Fighter --------------------------------------------------------
    {
        "rule": "Grassroots Emulation Fighter",
        "situation": "Rated 'excellently completed tasks', no initiative.",
        "expected": "eligible (initiative rule is a setting: excellent or an initiative)",
        "source": f"{LAW_23} (wording unconfirmed)",
        "check": {
            "kind": "official",
            "verdict": "eligible",
            "title": "grassroots-fighter",
            "level": "excellent",
        },
    },
    {
        "rule": "Grassroots Emulation Fighter",
        "situation": "Rated 'well completed tasks' with an initiative recognised in the year.",
        "expected": "eligible",
        "source": f"{LAW_23} (wording unconfirmed)",
        "check": {
            "kind": "official",
            "verdict": "eligible",
            "title": "grassroots-fighter",
            "level": "good",
            "initiative": True,
        },
    },
    {
        "rule": "Grassroots Emulation Fighter",
        "situation": "Rated 'well completed tasks', no initiative.",
        "expected": "not eligible",
        "source": f"{LAW_23} (wording unconfirmed)",
        "check": {
            "kind": "official",
            "verdict": "not_eligible",
            "title": "grassroots-fighter",
            "level": "good",
        },
    },
    # --- Advanced Labour Collective -----------------------------------------------------------
    {
        "rule": "Advanced Labour Collective",
        "situation": "10 members: exactly 7 Advanced Workers (70%), 3 rated 'completed'.",
        "expected": "eligible",
        "source": LAW_28,
        "check": {
            "kind": "collective",
            "verdict": "eligible",
            "title": "advanced-collective",
            "levels": ["good"] * 7 + ["completed"] * 3,
        },
    },
    {
        "rule": "Advanced Labour Collective",
        "situation": "10 members: 6 Advanced Workers (60%, one under the share).",
        "expected": "not eligible",
        "source": LAW_28,
        "check": {
            "kind": "collective",
            "verdict": "not_eligible",
            "title": "advanced-collective",
            "levels": ["good"] * 6 + ["completed"] * 4,
        },
    },
    {
        "rule": "Advanced Labour Collective",
        "situation": "10 members all Advanced Workers but one of them received a warning.",
        "expected": "not eligible",
        "source": LAW_28,
        "check": {
            "kind": "collective",
            "verdict": "not_eligible",
            "title": "advanced-collective",
            "levels": ["good"] * 10,
            "discipline": {3: "warning"},
        },
    },
    {
        "rule": "Advanced Labour Collective",
        "situation": "10 members rated 'well completed'; one reprimanded (below a warning).",
        "expected": "eligible",
        "source": LAW_28,
        "check": {
            "kind": "collective",
            "verdict": "eligible",
            "title": "advanced-collective",
            "levels": ["good"] * 10,
            "discipline": {3: "reprimand"},
        },
    },
    {
        "rule": "Labour-collective titles",
        "situation": "A residential group under a ward is offered for Advanced Labour Collective.",
        "expected": "not a candidate (it receives cultural titles instead)",
        "source": "Luật 06/2022/QH15, Điều 28; Nghị định 86/2023/NĐ-CP",
        "check": {
            "kind": "candidate",
            "title": "advanced-collective",
            "unit_kind": "residential_group",
            "candidate": False,
        },
    },
    {
        "rule": "Labour-collective titles",
        "situation": "A village is offered for Excellent Labour Collective.",
        "expected": "not a candidate",
        "source": f"{LAW_27}; Nghị định 86/2023/NĐ-CP",
        "check": {
            "kind": "candidate",
            "title": "excellent-collective",
            "unit_kind": "village",
            "candidate": False,
        },
    },
    {
        "rule": "Collective certificate of commendation",
        "situation": "A residential group is offered for a collective certificate of "
        "commendation (a commendation form, not a labour-collective title).",
        "expected": "a candidate",
        "source": "Luật 06/2022/QH15",
        "check": {
            "kind": "candidate",
            "title": "certificate-commendation-collective",
            "unit_kind": "residential_group",
            "candidate": True,
        },
    },
    # --- Excellent Labour Collective ----------------------------------------------------------
    {
        "rule": "Excellent Labour Collective",
        "situation": "10 members all Advanced Workers, one of them rated 'excellent' "
        "(a Grassroots Emulation Fighter).",
        "expected": "eligible",
        "source": LAW_27,
        "check": {
            "kind": "collective",
            "verdict": "eligible",
            "title": "excellent-collective",
            "levels": ["excellent"] + ["good"] * 9,
        },
    },
    {
        "rule": "Excellent Labour Collective",
        "situation": "10 members all Advanced Workers, none a Grassroots Emulation Fighter.",
        "expected": "not eligible",
        "source": LAW_27,
        "check": {
            "kind": "collective",
            "verdict": "not_eligible",
            "title": "excellent-collective",
            "levels": ["good"] * 10,
        },
    },
    {
        "rule": "Excellent Labour Collective",
        "situation": "One member of ten did not complete tasks.",
        "expected": "not eligible",
        "source": LAW_27,
        "check": {
            "kind": "collective",
            "verdict": "not_eligible",
            "title": "excellent-collective",
            "levels": ["excellent"] + ["good"] * 8 + ["not_completed"],
        },
    },
    {
        "rule": "Excellent Labour Collective",
        "situation": "Conditions met; one member received a warning.",
        "expected": "eligible: the Law sets no discipline condition for this title",
        "source": LAW_27,
        "check": {
            "kind": "collective",
            "verdict": "eligible",
            "title": "excellent-collective",
            "levels": ["excellent"] + ["good"] * 9,
            "discipline": {5: "warning"},
        },
    },
    # --- Bonus amounts ---------------------------------------------------------------------
    {
        "rule": "Bonus",
        "situation": "Advanced Worker (0.3×) decided on 1 March 2025, base salary 2,340,000: "
        "702,000.",
        "expected": "710,000 đồng (rounded up to the tens of thousands)",
        "source": f"{ART_53}; {ART_54}",
        "check": {"kind": "bonus", "multiplier": "0.3", "on": "2025-03-01", "amount": 710000},
    },
    {
        "rule": "Bonus",
        "situation": "Advanced Labour Collective (0.8×) decided on 1 March 2025: 1,872,000.",
        "expected": "1,880,000 đồng",
        "source": f"{ART_53}; {ART_54}",
        "check": {"kind": "bonus", "multiplier": "0.8", "on": "2025-03-01", "amount": 1880000},
    },
    {
        "rule": "Bonus",
        "situation": "Grassroots Emulation Fighter (1.0×) decided on 1 March 2025.",
        "expected": "2,340,000 đồng",
        "source": f"{ART_53}; {ART_54}",
        "check": {"kind": "bonus", "multiplier": "1.0", "on": "2025-03-01", "amount": 2340000},
    },
    {
        "rule": "Bonus",
        "situation": "Advanced Worker decided on 15 March 2023: base salary 1,490,000, 447,000.",
        "expected": "450,000 đồng",
        "source": "Nghị định 38/2019/NĐ-CP; Nghị định 91/2017/NĐ-CP, Điều 68",
        "check": {"kind": "bonus", "multiplier": "0.3", "on": "2023-03-15", "amount": 450000},
    },
    {
        "rule": "Bonus",
        "situation": "Advanced Worker decided on 30 June 2023, the day before the new base salary.",
        "expected": "450,000 đồng",
        "source": "Nghị định 38/2019/NĐ-CP",
        "check": {"kind": "bonus", "multiplier": "0.3", "on": "2023-06-30", "amount": 450000},
    },
    {
        "rule": "Bonus",
        "situation": "Advanced Worker decided on 1 July 2023, the day Decree 24/2023 takes "
        "effect: 0.3 × 1,800,000.",
        "expected": "540,000 đồng",
        "source": "Nghị định 24/2023/NĐ-CP",
        "check": {"kind": "bonus", "multiplier": "0.3", "on": "2023-07-01", "amount": 540000},
    },
    {
        "rule": "Bonus",
        "situation": "Advanced Worker decided on 1 July 2024, the day Decree 73/2024 takes effect.",
        "expected": "710,000 đồng",
        "source": f"Nghị định 73/2024/NĐ-CP; {ART_53}",
        "check": {"kind": "bonus", "multiplier": "0.3", "on": "2024-07-01", "amount": 710000},
    },
    {
        "rule": "Bonus under Decree 152/2025",
        "situation": "Advanced Worker decided on 1 July 2025 (Decree 152 in force); rounding "
        "kept by the default setting.",
        "expected": "710,000 đồng, to be confirmed",
        "source": f"{ART_53}; setting for Nghị định 152/2025/NĐ-CP (to be confirmed)",
        "check": {
            "kind": "bonus",
            "multiplier": "0.3",
            "on": "2025-07-01",
            "amount": 710000,
            "to_be_confirmed": True,
        },
    },
    {
        "rule": "Bonus under Decree 152/2025",
        "situation": "Same decision; the province recorded that bonuses are not rounded.",
        "expected": "702,000 đồng",
        "source": "setting for Nghị định 152/2025/NĐ-CP, the province's choice",
        "check": {
            "kind": "bonus",
            "multiplier": "0.3",
            "on": "2025-07-01",
            "amount": 702000,
            "settings": {BONUS_ROUNDING_DECREE_152: False},
        },
    },
    {
        "rule": "Bonus",
        "situation": "Advanced Worker decided on 1 July 2026: base salary 2,530,000 from one "
        "secondary source, 759,000.",
        "expected": "760,000 đồng, to be confirmed",
        "source": "Nghị định 161/2026/NĐ-CP (to be confirmed)",
        "check": {
            "kind": "bonus",
            "multiplier": "0.3",
            "on": "2026-07-01",
            "amount": 760000,
            "to_be_confirmed": True,
        },
    },
    # --- Cultural titles ---------------------------------------------------------------------
    {
        "rule": "Cultural-title bonus",
        "situation": "Exemplary ward recognised by a decision of 1 March 2025.",
        "expected": "4,680,000 đồng (2.0 × base salary)",
        "source": ART_54,
        "check": {
            "kind": "cultural_bonus",
            "title": "exemplary_commune",
            "on": "2025-03-01",
            "amount": 4680000,
        },
    },
    {
        "rule": "Cultural-title bonus",
        "situation": "Cultural residential group recognised on 1 March 2025.",
        "expected": "3,510,000 đồng (1.5 × base salary)",
        "source": ART_54,
        "check": {
            "kind": "cultural_bonus",
            "title": "residential_group",
            "on": "2025-03-01",
            "amount": 3510000,
        },
    },
    {
        "rule": "Cultural-title bonus",
        "situation": "Cultural village recognised on 15 March 2023: 1.5 × 1,490,000.",
        "expected": "2,240,000 đồng",
        "source": f"{ART_54}; Nghị định 38/2019/NĐ-CP",
        "check": {
            "kind": "cultural_bonus",
            "title": "village",
            "on": "2023-03-15",
            "amount": 2240000,
        },
    },
    {
        "rule": "Cultural-title bonus",
        "situation": "Cultural family recognised.",
        "expected": "no bonus set by law",
        "source": ART_54,
        "check": {"kind": "cultural_bonus", "title": "family", "on": "2025-03-01", "amount": None},
    },
]
