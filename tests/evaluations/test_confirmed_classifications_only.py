"""A proposal is Civility's arithmetic, not a decision: the follow-up list (Directive
24-CT/TU), the figures and the agency's excellent cap count confirmed classifications only,
and a page showing a proposal labels it as one."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from civility.evaluations import actions
from civility.evaluations.figures import follow_up, overview
from tests.evaluations.test_classification import propose, scores
from tests.factories import make_official

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2024, 12, 1)
MORE_THAN_HALF_SHORT = [{"title": "Chậm", "done": True, "delays": 1}] * 3 + [
    {"title": "Đúng hạn", "done": True}
]


def flagged(cast) -> list:
    return [row.official for row in follow_up(cast.city, today=TODAY)]


def test_an_unconfirmed_proposal_of_khtnv_is_not_followed_up_nor_counted(client, cast):
    scores(cast, cast.a.official, 2024, [40], items=MORE_THAN_HALF_SHORT)
    row = propose(cast, 2024)[cast.a.official.pk]
    assert row.proposed_level == "not_completed" and not row.is_locked()
    assert flagged(cast) == []
    assert overview(cast.city, TODAY, today=TODAY).flagged == 0
    client.force_login(cast.a.head)
    listing = client.get(reverse("evaluations:classification_list") + "?year=2024")
    assert listing.context["counts"][3] == ("Did not complete tasks", 0)
    assert listing.context["awaiting"] == 1
    assert "Proposed" in listing.content.decode()


def test_once_confirmed_a_khtnv_is_followed_up_and_counted(client, cast):
    scores(cast, cast.a.official, 2024, [40], items=MORE_THAN_HALF_SHORT)
    row = propose(cast, 2024)[cast.a.official.pk]
    actions.confirm_classification(actor=cast.a.head, classification=row, today=TODAY)
    assert flagged(cast) == [cast.a.official]
    assert follow_up(cast.city, today=TODAY)[0].reasons == [
        {"code": "annual_lowest", "params": {"year": "2024"}}
    ]
    assert overview(cast.city, TODAY, today=TODAY).flagged == 1
    client.force_login(cast.a.head)
    listing = client.get(reverse("evaluations:classification_list") + "?year=2024")
    assert listing.context["counts"][3] == ("Did not complete tasks", 1)
    assert listing.context["awaiting"] == 0


def test_a_proposal_changed_at_confirmation_counts_as_confirmed(cast):
    scores(cast, cast.a.official, 2024, [40], items=MORE_THAN_HALF_SHORT)
    row = propose(cast, 2024)[cast.a.official.pk]
    actions.confirm_classification(
        actor=cast.a.head,
        classification=row,
        level="completed",
        change_reason="Đã hoàn thành sau khi được bổ sung nhân lực.",
        today=TODAY,
    )
    assert flagged(cast) == []


def test_the_excellent_cap_weighs_confirmed_ratings_not_proposals(cast):
    """Decree 335/2025 Art. 20 cl. 5: excellent at most 20% of those rated well completed."""
    colleagues = [make_official(f"Cán bộ {n}", unit=cast.a.department) for n in range(5)]
    for colleague in colleagues:
        scores(cast, colleague, 2026, [75])
    scores(cast, cast.a.official, 2026, [95])
    rows = propose(cast, 2026)
    best = rows[cast.a.official.pk]
    assert best.proposed_level == "excellent"
    with pytest.raises(ValidationError, match="0 rated well completed"):
        actions.confirm_classification(
            actor=cast.a.head, classification=best, today=datetime.date(2026, 12, 1)
        )
    for colleague in colleagues:
        actions.confirm_classification(
            actor=cast.a.head, classification=rows[colleague.pk], today=datetime.date(2026, 12, 1)
        )
    best = actions.confirm_classification(
        actor=cast.a.head, classification=best, today=datetime.date(2026, 12, 1)
    )
    assert best.final_level == "excellent"
