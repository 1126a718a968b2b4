"""docs/rules.md, written from the rules themselves and the golden cases, for a legal officer.

Every rule set of the code (evaluations, discipline, awards, rotation), every setting the
law leaves open, and every golden case of tests/golden/*_cases.py, each with its source or
the setting that decides it. tests/golden/test_rules_doc.py checks that the file matches;
`UPDATE_RULES_DOC=1 pytest tests/golden/test_rules_doc.py` writes it again.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "rules.md"
CASE_MODULES = ("evaluation_cases", "discipline_cases", "awards_cases")
TO_BE_CONFIRMED = "**to be confirmed**"


def render() -> str:
    with translation.override("en"):
        parts = [
            _intro(),
            _monthly(),
            _annual(),
            _discipline(),
            _rotation(),
            _awards(),
            _settings(),
            _golden_cases(),
        ]
    return "\n".join(parts).rstrip() + "\n"


def _cell(text) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _table(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(value) for value in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _intro() -> str:
    return """# Rules about people, and their sources

Civility writes verdicts on officials' records: monthly grades, annual classifications,
follow-up lists, award eligibility, bonuses, disciplinary forms, rotation. This page lists
every rule it applies, each with its legal source (document, article, clause) or, where the
law leaves the choice open or its text was not found, the **setting** that decides it, with
its default. A setting is chosen by a province or an agency on the page "Settings" of a unit
(`/units/<id>/settings/`); a setting with no ground recorded is shown as "to be confirmed"
next to every verdict that used it. Missing data never gives a level: it gives "to be
assessed".

Sources are those of `../shared/domain/` (framework.md and its audit of December 2026);
facts marked NOT FOUND there are settings here, never law.

This file is generated from the code and the golden cases (tests/golden/rules_doc.py);
`make test` fails when it is out of date. To write it again:
`UPDATE_RULES_DOC=1 .venv/bin/pytest tests/golden/test_rules_doc.py`.
"""


def _ground(line) -> str:
    from civility.evaluations.explain import citation
    from civility.orgs.policies import spec_for

    if line.setting:
        spec = spec_for(line.setting)
        return f"setting “{spec.label}” (`{spec.key}`)"
    if line.source:
        return citation(line.source)
    return TO_BE_CONFIRMED


def _scope(rules) -> str:
    from civility.orgs.models import StaffCategory

    where = "nationwide" if rules.provinces is None else "province " + ", ".join(rules.provinces)
    categories = ", ".join(str(StaffCategory(value).label) for value in rules.staff_categories)
    until = rules.valid_to.isoformat() if rules.valid_to else "no end"
    return f"{where}; {categories}; from {rules.valid_from.isoformat()} to {until}"


def _monthly() -> str:
    from civility.evaluations.rules import MONTHLY_RULE_SETS

    out = ["## Monthly evaluation\n"]
    for rules in MONTHLY_RULE_SETS:
        parts = " + ".join(f"{part.label} {part.maximum}" for part in rules.parts)
        cuts = ", ".join(f"{level} ≥ {lowest}" for level, lowest in rules.thresholds)
        out.append(f"### {rules.name} (`{rules.key}`)\n")
        out.append(f"- Legal basis: {rules.legal_basis}")
        out.append(f"- Applies to: {_scope(rules)}")
        out.append(f"- Points: {parts}; levels: {cuts}; anything lower is not completed")
        if rules.quota is not None:
            out.append(
                f"- Quota: at most {rules.quota.percent}% at the top level "
                f"({rules.quota.exceptional_percent}% for agencies with outstanding results), "
                "counted per agency"
            )
        out.append("")
        out.append(
            _table(["rule", "source or setting"], [[n.text, _ground(n)] for n in rules.notes])
        )
    return "\n".join(out)


def _annual() -> str:
    from civility.evaluations.rules import ANNUAL_RULE_SETS

    out = ["## Annual classification\n"]
    for rules in ANNUAL_RULE_SETS:
        out.append(f"### {rules.name} (`{rules.key}`)\n")
        out.append(f"- Legal basis: {rules.legal_basis}")
        out.append(f"- Applies to: {_scope(rules)}")
        out.append("")
        out.append(
            _table(["rule", "source or setting"], [[n.text, _ground(n)] for n in rules.notes])
        )
    return "\n".join(out)


def _discipline() -> str:
    from civility.conduct.rules import RULE_SETS, DisciplineForm
    from civility.orgs.models import StaffCategory

    out = ["## Disciplinary forms\n"]
    for rules in RULE_SETS:
        start = rules.valid_from.isoformat() if rules.valid_from else "…"
        until = rules.valid_to.isoformat() if rules.valid_to else "no end"
        out.append(f"### {rules.name} (`{rules.key}`, decisions from {start} to {until})\n")
        rows = []
        for category, forms in rules.forms.items():
            labels = []
            for form in forms:
                label = str(DisciplineForm(form).label)
                if form in rules.leader_only:
                    label += " (leaders only)"
                if form in getattr(rules, "non_leader_only", ()):
                    label += " (non-leaders only)"
                labels.append(label)
            rows.append([StaffCategory(category).label, "; ".join(labels), rules.legal_basis])
        out.append(_table(["staff category", "forms", "source"], rows))
        for category, note in rules.notes.items():
            out.append(f"- {StaffCategory(category).label}: {note} ({TO_BE_CONFIRMED})")
        out.append("")
    return "\n".join(out)


def _rotation() -> str:
    from civility.evaluations import rules

    return "## Rotation of posts\n\n" + _table(
        ["rule", "source"],
        [
            [
                "Posts subject to periodic rotation rotate after a full 2 to 5 years "
                "(24 to 60 months, by sector); the rule applies to staff not in a "
                "leadership post.",
                rules.ROTATION_LAW,
            ],
            [
                f"No rotation when fewer than {rules.RETIREMENT_EXEMPTION_MONTHS} months "
                "are left before retirement; deferred during a disciplinary review, an "
                "investigation, serious illness, pregnancy or raising a child under 36 "
                "months. Without a retirement date the exemption is to be assessed.",
                rules.ROTATION_EXEMPTIONS,
            ],
        ],
    )


def _awards() -> str:
    from civility.awards.seed import BASE_SALARIES, TITLES

    titles = [
        [
            title["name_en"],
            title["name"],
            title.get("multiplier", "—"),
            title["legal_basis"],
            title.get("conditions_note", ""),
        ]
        for title in TITLES
    ]
    from civility.awards.rules import LAW_2003
    from civility.awards.seed import PRE_2024_NOTE, pre_2024_version

    earlier = [pre_2024_version(title) for title in TITLES]
    pre_2024 = [
        [
            title["name_en"],
            title["name"],
            title["legal_basis"],
            title["conditions_note"].removeprefix(PRE_2024_NOTE).strip() or "—",
        ]
        for title in earlier
    ]
    salaries = [
        [
            row[0].isoformat(),
            f"{row[1]:,.0f}",
            row[2] + (f" ({TO_BE_CONFIRMED})" if len(row) > 3 and row[3] else ""),
        ]
        for row in BASE_SALARIES
    ]
    return (
        "## Awards and bonuses\n\n"
        "A bonus is the multiplier × the base salary in force on the decision date, rounded up "
        "to the tens of thousands of đồng (Decree 98/2023/NĐ-CP Art. 53 cl. 1–2; multipliers "
        "Art. 54). Titles a province names in its own words are shipped once, in a centrally-"
        "run city's words, and reworded per province.\n\n"
        + _table(["title", "Vietnamese", "multiplier", "source", "conditions"], titles)
        + f"\n### Before 2024 (`{LAW_2003.key}`, decisions until {LAW_2003.valid_to})\n\n"
        "Version 0 of every title, for recording decisions taken before 1 January 2024 "
        f"under {LAW_2003.legal_basis}. {TO_BE_CONFIRMED}: {PRE_2024_NOTE.split('. ', 1)[1]}\n\n"
        + _table(["title", "Vietnamese", "source", "noted about the old law"], pre_2024)
        + "\n### Base salaries (national)\n\n"
        + _table(["from", "amount (đồng)", "source"], salaries)
    )


def _settings() -> str:
    from civility.orgs.policies import declared

    rows = [
        [
            f"`{spec.key}`",
            spec.label,
            spec.display(spec.default),
            spec.default_source or TO_BE_CONFIRMED,
            spec.help_text,
        ]
        for spec in declared()
        if not spec.key.startswith("test.")
    ]
    return (
        "## Settings\n\n"
        "Each is chosen by a unit (usually the province) from a date, with its ground; the "
        "nearest unit's choice applies to the units under it. Until one is recorded the default "
        "applies, with the ground shown here.\n\n"
        + _table(["key", "setting", "default", "ground of the default", "what it decides"], rows)
    )


def _golden_cases() -> str:
    out = [
        "## Golden cases\n",
        "Each row is a test (tests/golden/): the situation in plain words, the verdict "
        "Civility must give, and the source.\n",
    ]
    total = 0
    for name in CASE_MODULES:
        module = importlib.import_module(f"tests.golden.{name}")
        cases = next(
            value
            for value in vars(module).values()
            if isinstance(value, list)
            and value
            and isinstance(value[0], dict)
            and "situation" in value[0]
        )
        total += len(cases)
        title = name.removesuffix("_cases").replace("_", " ").capitalize()
        out.append(f"### {title} ({len(cases)} cases)\n")
        rows = [
            [
                index,
                case.get("rule_set") or case.get("rule", ""),
                case["situation"],
                case["expected"],
                case["source"],
            ]
            for index, case in enumerate(cases, 1)
        ]
        out.append(_table(["#", "rule", "situation", "expected", "source"], rows))
    out.insert(2, f"{total} cases in all.\n")
    return "\n".join(out)
