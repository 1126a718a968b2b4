"""Wherever a proposed annual classification appears it is labelled a proposal, distinct from a
confirmed one (issue 19: "proposals are labelled as proposals wherever they appear"): the
API gives each row its state, and a proposal has no final level."""

from __future__ import annotations

import datetime

import pytest

from civility.evaluations import actions
from tests.evaluations.test_classification import propose, scores

pytestmark = pytest.mark.django_db


def states(client, year: int) -> dict[int, tuple[str, str, str]]:
    rows = client.get("/api/v1/evaluations/classifications", {"year": year}).json()["items"]
    return {
        row["official_id"]: (row["state"], row["proposed_level"], row["final_level"])
        for row in rows
    }


def test_the_api_labels_a_proposal_as_proposed_until_the_head_confirms_it(client, cast):
    scores(cast, cast.a.official, 2026, [75])  # Decree 335/2025 Art. 20: 70 to < 90, good
    row = propose(cast, 2026)[cast.a.official.pk]
    assert row.proposed_level == "good"
    client.force_login(cast.a.head)

    assert states(client, 2026)[cast.a.official.pk] == ("proposed", "good", "")

    actions.confirm_classification(
        actor=cast.a.head, classification=row, today=datetime.date(2026, 12, 1)
    )
    assert states(client, 2026)[cast.a.official.pk] == ("confirmed", "good", "good")


def test_the_api_says_to_be_assessed_when_no_level_is_proposed(client, cast):
    rows = propose(cast, 2024)  # no approved monthly evaluation: no grounds for a level
    assert rows[cast.a.official.pk].is_to_assess()
    client.force_login(cast.a.head)

    assert states(client, 2024)[cast.a.official.pk] == ("to_assess", "", "")
