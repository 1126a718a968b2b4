"""Awards that stay deserved: a violation confirmed for the period of an award flags it for
revocation review; the board's decision (kept or revoked) is recorded and audited, and a
revoked award stops counting."""

from __future__ import annotations

import datetime
from decimal import Decimal

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


# --- Other grounds of the Law, and recovery of the bonus ------------------------------------


def test_the_board_reviews_an_award_for_false_declaration_law_06_2022(client, cast, award):
    """Law 06/2022 lets an award be revoked on grounds other than a later violation; the
    article was not found, so the page says it is to be confirmed."""
    with pytest.raises(ValidationError) as error:
        actions.open_revocation_review(
            actor=cast.city_coordinator, award=award, ground="violation", detail="x"
        )
    assert "ground" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        actions.open_revocation_review(
            actor=cast.city_coordinator, award=award, ground="false_declaration", detail=" "
        )
    assert "ground_detail" in error.value.message_dict
    client.force_login(cast.city_coordinator)
    response = client.post(
        f"/awards/awards/{award.pk}/revocation/",
        {"ground": "false_declaration", "detail": "Kết luận thanh tra 3/KL-TTr: kê khai sai."},
    )
    assert response.status_code == 302
    review = RevocationReview.objects.get()
    assert (review.ground, review.record, review.opened_by) == (
        "false_declaration",
        None,
        cast.city_coordinator,
    )
    assert review.rule.startswith("Luật Thi đua, khen thưởng số 06/2022/QH15")
    page = client.get(award.get_absolute_url()).content.decode()
    assert "Achievements declared falsely to obtain the award" in page
    assert "Kết luận thanh tra 3/KL-TTr" in page and "to be confirmed" in page
    with pytest.raises(ValidationError):  # one open review per ground
        actions.open_revocation_review(
            actor=cast.city_coordinator, award=award, ground="false_declaration", detail="again"
        )


def test_a_unit_head_cannot_open_a_review(cast, award):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        actions.open_revocation_review(
            actor=cast.a.head, award=award, ground="improper_award", detail="Sai thẩm quyền."
        )


def test_a_revoked_award_records_the_bonus_to_recover_and_its_recovery_audited(cast, award):
    review = actions.open_revocation_review(
        actor=cast.city_coordinator,
        award=award,
        ground="improper_award",
        detail="Xét tặng không đúng tiêu chuẩn.",
    )
    assert award.bonus == Decimal("710000")
    with pytest.raises(ValidationError) as error:
        actions.decide_revocation_review(
            actor=cast.city_coordinator,
            review=review,
            outcome="revoked",
            decision_number="50/QĐ-UBND",
            decided_on=datetime.date(YEAR + 1, 6, 1),
            recovery_amount=Decimal("900000"),
        )
    assert "recovery_amount" in error.value.message_dict
    review = actions.decide_revocation_review(
        actor=cast.city_coordinator,
        review=review,
        outcome="revoked",
        decision_number="50/QĐ-UBND",
        decided_on=datetime.date(YEAR + 1, 6, 1),
    )
    assert review.recovery_amount == Decimal("710000") and review.recovery_due()
    with pytest.raises(ValidationError) as error:
        actions.record_bonus_recovery(
            actor=cast.city_coordinator,
            review=review,
            recovered_on=datetime.date(YEAR + 1, 5, 1),
            recovered_by="Phòng Tài chính",
        )
    assert "recovered_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        actions.record_bonus_recovery(
            actor=cast.city_coordinator,
            review=review,
            recovered_on=datetime.date(YEAR + 1, 6, 20),
            recovered_by=" ",
        )
    assert "recovered_by" in error.value.message_dict
    actions.record_bonus_recovery(
        actor=cast.city_coordinator,
        review=review,
        recovered_on=datetime.date(YEAR + 1, 6, 20),
        recovered_by="Phòng Tài chính – Kế hoạch phường",
    )
    review.refresh_from_db()
    assert review.recovered_on == datetime.date(YEAR + 1, 6, 20) and not review.recovery_due()
    assert review.recovered_by == "Phòng Tài chính – Kế hoạch phường"
    assert AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(RevocationReview),
        object_pk=str(review.pk),
        actor=cast.city_coordinator,
        changes__has_key="recovered_on",
    ).exists()
    with pytest.raises(ValidationError):  # recorded once
        actions.record_bonus_recovery(
            actor=cast.city_coordinator,
            review=review,
            recovered_on=datetime.date(YEAR + 1, 6, 21),
            recovered_by="Phòng Tài chính",
        )


def test_a_kept_award_has_nothing_to_recover(cast, award, discipline):
    discipline(cast.a.official)
    review = actions.decide_revocation_review(
        actor=cast.city_coordinator,
        review=RevocationReview.objects.get(),
        outcome="kept",
        decision_number="51/QĐ-UBND",
        decided_on=datetime.date(YEAR + 1, 6, 1),
        recovery_amount=Decimal("710000"),
    )
    assert review.recovery_amount is None and not review.recovery_due()


def test_the_award_page_records_a_partial_recovery(client, cast, award, discipline):
    discipline(cast.a.official)
    review = RevocationReview.objects.get()
    client.force_login(cast.city_coordinator)
    client.post(
        f"/awards/revocations/{review.pk}/decide/",
        {
            "outcome": "revoked",
            "decision_number": "52/QĐ-UBND",
            "decided_on": "2026-06-01",
            "recovery_amount": "300000",
        },
    )
    page = client.get(award.get_absolute_url()).content.decode()
    assert "Bonus to recover: 300,000\u00a0đ." in page and "Not recovered yet." in page
    response = client.post(
        f"/awards/revocations/{review.pk}/recovery/",
        {"recovered_on": "2026-06-15", "recovered_by": "Kế toán phường"},
    )
    assert response.status_code == 302
    page = client.get(award.get_absolute_url()).content.decode()
    assert "Recovered on 15/06/2026 by Kế toán phường." in page
