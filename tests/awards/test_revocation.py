"""Awards that stay deserved: a violation confirmed for the period of an award flags it for
revocation review; the board's decision (kept or revoked) is recorded and audited, and a
revoked award stops counting."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from procrastinate.contrib.django import app

from civility.awards import actions
from civility.awards.eligibility import Assessor
from civility.awards.models import Award, ReviewOutcome, RevocationReview
from civility.core.models import AuditEvent
from tests.awards.conftest import YEAR


@pytest.fixture
def award(cast, catalogue, earlier) -> Award:
    """Official A was Advanced Worker for YEAR (decided 20 January of the next year)."""
    decision = earlier("advanced-worker", YEAR, officials=[cast.a.official])
    return decision.awards.get()


def test_a_violation_confirmed_inside_the_award_year_flags_the_award(cast, award, discipline):
    record = discipline(cast.a.official, occurred_on=datetime.date(YEAR, 3, 10))
    review = RevocationReview.objects.get(award=award)
    assert review.record == record and review.is_pending()
    # The rule quotes the Law (its revocation article was not found) and the title's basis.
    assert review.rule == "Luật Thi đua, khen thưởng số 06/2022/QH15; Luật 06/2022/QH15, Điều 24"


def test_a_violation_outside_the_award_year_does_not_flag_it(cast, award, discipline):
    discipline(cast.a.official, occurred_on=datetime.date(YEAR - 1, 6, 1))
    assert not RevocationReview.objects.exists()


def test_someone_elses_violation_does_not_flag_it(cast, award, discipline):
    discipline(cast.b.official, occurred_on=datetime.date(YEAR, 3, 10))
    assert not RevocationReview.objects.exists()


def test_a_collective_award_is_flagged_for_a_members_violation(
    cast, catalogue, earlier, discipline
):
    decision = earlier("advanced-collective", YEAR, units=[cast.a.department])
    discipline(cast.a.official, occurred_on=datetime.date(YEAR, 5, 1))
    review = RevocationReview.objects.get()
    assert review.award == decision.awards.get()
    assert "06/2022" in review.rule


def test_the_daily_check_flags_awards_recorded_after_the_record_was_confirmed(
    cast, catalogue, earlier, discipline
):
    discipline(cast.a.official, occurred_on=datetime.date(YEAR, 3, 10))
    decision = earlier("advanced-worker", YEAR, officials=[cast.a.official])
    task = app.tasks["awards.flag_awards_for_revocation"]
    assert task(timestamp=0) == 1
    assert task(timestamp=0) == 0  # once per award and record
    assert RevocationReview.objects.get().award == decision.awards.get()


def test_the_decision_is_recorded_and_audited(cast, award, discipline):
    discipline(cast.a.official)
    review = RevocationReview.objects.get()
    with pytest.raises(ValidationError) as error:
        actions.decide_revocation_review(
            actor=cast.city_coordinator,
            review=review,
            outcome="revoked",
            decision_number="",
            decided_on=datetime.date(YEAR + 1, 6, 1),
        )
    assert "decision_number" in error.value.message_dict
    actions.decide_revocation_review(
        actor=cast.city_coordinator,
        review=review,
        outcome="kept",
        decision_number="45/QĐ-UBND",
        decided_on=datetime.date(YEAR + 1, 6, 1),
        note="Vi phạm nhẹ, không ảnh hưởng danh hiệu.",
    )
    review.refresh_from_db()
    assert review.outcome == ReviewOutcome.KEPT and review.decided_by == cast.city_coordinator
    assert (review.decision_number, review.decided_on) == ("45/QĐ-UBND", datetime.date(2026, 6, 1))
    assert AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(RevocationReview),
        object_pk=str(review.pk),
        actor=cast.city_coordinator,
    ).exists()
    assert Award.objects.counted().filter(pk=award.pk).exists()  # kept: still counts
    with pytest.raises(ValidationError):  # decided once
        actions.decide_revocation_review(
            actor=cast.city_coordinator,
            review=review,
            outcome="revoked",
            decision_number="46/QĐ-UBND",
            decided_on=datetime.date(YEAR + 1, 6, 2),
        )


def test_a_revoked_award_is_not_counted(client, cast, award, discipline):
    discipline(cast.a.official)
    assert cast.a.official.pk in Assessor(year=YEAR, officials=[]).holders("advanced-worker", YEAR)
    actions.decide_revocation_review(
        actor=cast.city_coordinator,
        review=RevocationReview.objects.get(),
        outcome="revoked",
        decision_number="47/QĐ-UBND",
        decided_on=datetime.date(YEAR + 1, 6, 1),
    )
    assert award.is_revoked()
    assert not Award.objects.counted().filter(pk=award.pk).exists()
    assert cast.a.official.pk not in Assessor(year=YEAR, officials=[]).holders(
        "advanced-worker", YEAR
    )


def test_the_award_page_shows_the_flag_and_records_the_decision(client, cast, award, discipline):
    record = discipline(cast.a.official)
    client.force_login(cast.city_coordinator)
    page = client.get(award.get_absolute_url()).content.decode()
    assert "Flagged for revocation review" in page and record.number in page
    assert "Luật 06/2022/QH15, Điều 24" in page
    review = RevocationReview.objects.get()
    response = client.post(
        f"/awards/revocations/{review.pk}/decide/",
        {"outcome": "revoked", "decision_number": "48/QĐ-UBND", "decided_on": "2026-06-01"},
    )
    assert response.status_code == 302
    page = client.get(award.get_absolute_url()).content.decode()
    assert "Revoked: no longer counted" in page and "48/QĐ-UBND" in page
    listing = client.get("/awards/revocations/?show=all").content.decode()
    assert "48/QĐ-UBND" in listing


def test_a_bad_date_names_the_field(client, cast, award, discipline):
    discipline(cast.a.official)
    review = RevocationReview.objects.get()
    client.force_login(cast.city_coordinator)
    response = client.post(
        f"/awards/revocations/{review.pk}/decide/",
        {"outcome": "revoked", "decision_number": "49/QĐ-UBND", "decided_on": "nope"},
        follow=True,
    )
    assert response.status_code == 200 and "Decision date" in response.content.decode()
    assert RevocationReview.objects.get().is_pending()


def test_eligibility_shows_the_flag(client, cast, award, discipline):
    discipline(cast.a.official)
    client.force_login(cast.city_coordinator)
    title = award.title
    page = client.get(
        f"/awards/eligibility/?title={title.pk}&year={YEAR}&unit={cast.a.ward.pk}"
    ).content.decode()
    assert "flagged for revocation review" in page


def test_a_peer_unit_gets_404(client, cast, award, discipline):
    discipline(cast.a.official)
    review = RevocationReview.objects.get()
    client.force_login(cast.b.coordinator)
    assert client.get(award.get_absolute_url()).status_code == 404
    response = client.post(
        f"/awards/revocations/{review.pk}/decide/",
        {"outcome": "revoked", "decision_number": "1/QĐ", "decided_on": "2026-06-01"},
    )
    assert response.status_code == 404
    assert "1/QĐ" not in client.get("/awards/revocations/?show=all").content.decode()


def test_a_unit_head_may_read_but_not_decide(client, cast, award, discipline):
    discipline(cast.a.official)
    review = RevocationReview.objects.get()
    client.force_login(cast.a.head)
    assert client.get(award.get_absolute_url()).status_code == 200
    response = client.post(
        f"/awards/revocations/{review.pk}/decide/",
        {"outcome": "revoked", "decision_number": "2/QĐ", "decided_on": "2026-06-01"},
    )
    assert response.status_code == 403
    assert RevocationReview.objects.get().is_pending()
