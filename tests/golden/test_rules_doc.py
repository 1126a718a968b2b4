"""docs/rules.md lists every rule with its source or its setting, and every golden case; it
is generated (tests/golden/rules_doc.py), so it cannot drift from the code."""

import os

from tests.golden.rules_doc import DOC, render


def test_docs_rules_md_matches_the_rules_and_golden_cases():
    text = render()
    if os.environ.get("UPDATE_RULES_DOC"):
        DOC.write_text(text)

    assert DOC.read_text() == text, (
        "docs/rules.md is out of date: UPDATE_RULES_DOC=1 .venv/bin/pytest "
        "tests/golden/test_rules_doc.py"
    )


def test_there_are_at_least_forty_golden_cases():
    text = render()

    total = int(text.split(" cases in all.")[0].rsplit("\n", 1)[-1])
    assert total >= 40
