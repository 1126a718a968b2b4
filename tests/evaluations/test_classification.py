"""Annual classification: the proposal's arithmetic and rules under each rule set, the head's
confirmation, the lock, the deadline, and award eligibility."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from civility.evaluations import actions
from civility.evaluations.models import (
    AnnualClassification,
    Evaluation,
    EvaluationPeriod,
    Step,
    classification_of,
)
from civility.orgs.models import StaffCategory
from tests.factories import make_official

pytestmark = pytest.mark.django_db


def scores(cast, official, year, totals, *, items=None, rule_set=None):
    """Approved monthly evaluations with these totals, from January."""
    rule_set = rule_set or ("decree-335-2025" if year >= 2026 else "hanoi-3814-2018")
    for index, total in enumerate(totals):
        month = datetime.date(year, index + 1, 1)
        period, _ = EvaluationPeriod.objects.get_or_create(
            unit=cast.city,
            month=month,
            defaults={
                "self_deadline": month.replace(day=20),
                "review_deadline": month.replace(day=25),
                "approval_deadline": month.replace(day=28),
            },
        )
        Evaluation.objects.create(
            period=period,
            official=official,
            unit=official.unit,
            agency=official.unit.agency,
            rule_set=rule_set,
            step=Step.DONE,
            total=Decimal(total),
            level="good",
            approved_at=timezone.now(),
            work_items=items or [],
        )


def propose(cast, year, unit=None):
    actions.propose_classifications(actor=cast.city_coordinator, unit=unit or cast.city, year=year)
    return {row.official_id: row for row in AnnualClassification.objects.filter(year=year)}


def test_decree_335_averages_the_period_scores_with_cut_offs(cast):
    scores(cast, cast.a.official, 2026, [92, 88, 95])  # 91.67
    scores(cast, cast.b.official, 2026, [70, 69.98])  # 69.99
    rows = propose(cast, 2026)
    a, b = rows[cast.a.official.pk], rows[cast.b.official.pk]
    assert a.rule_set == "decree-335-2025" and a.average_score == Decimal("91.67")
    assert b.average_score == Decimal("69.99") and b.proposed_level == "completed"
    # Alone in its agency with nobody rated good, excellent is over the 20% cap.
    assert a.proposed_level == "good"
    assert [r["code"] for r in a.reasons] == ["rule_set", "average", "quota_excellent"]


def test_decree_335_keeps_excellent_within_20_percent_of_good(cast):
    best = cast.a.official
    scores(cast, best, 2026, [96])
    second = make_official("Hai", unit=cast.a.department)
    scores(cast, second, 2026, [93])
    for n in range(5):
        scores(cast, make_official(f"Tốt {n}", unit=cast.a.department), 2026, [80])
    rows = propose(cast, 2026)
    # 2 candidates + 5 good: k ≤ 0.2 × (7 − k) → k = 1, the best average.
    assert rows[best.pk].proposed_level == "excellent"
    assert rows[second.pk].proposed_level == "good"


def test_decree_335_applies_to_civil_servants_only(cast):
    cast.a.official.staff_category = StaffCategory.PUBLIC_EMPLOYEE
    cast.a.official.save()
    rows = propose(cast, 2026)
    assert rows[cast.a.official.pk].rule_set == "decree-48-2023"
    assert rows[cast.b.official.pk].rule_set == "decree-335-2025"


def test_discipline_for_a_duty_breach_means_not_completed_under_335(cast, discipline):
    scores(cast, cast.a.official, 2026, [95, 95])
    discipline(
        cast.a.official,
        occurred_on=datetime.date(2025, 12, 20),
        decision_date=datetime.date(2026, 2, 3),
    )
    row = propose(cast, 2026)[cast.a.official.pk]
    assert row.proposed_level == "not_completed"
    assert row.reasons[-1]["code"] == "discipline"


def test_off_duty_reprimand_does_not_fail_a_civil_servant_under_decree_335_art_20(cast, discipline):
    """Conduct in public places (Decision 522, QD522-9) is off duty: the decision says so
    and the reprimand does not make the civil servant "did not complete tasks"."""
    discipline(
        cast.a.official,
        occurred_on=datetime.date(2026, 1, 5),
        decision_date=datetime.date(2026, 1, 10),
        type_key="QD522-9",
    )
    scores(cast, cast.a.official, 2026, [80])
    row = propose(cast, 2026)[cast.a.official.pk]
    assert row.proposed_level == "good"
    assert row.reasons[-1]["code"] == "discipline_not_duty"
    assert row.reasons[-1]["sources"] == [
        {"act": "335/2025/NĐ-CP", "article": "20", "clause": "1–4", "point": ""}
    ]


def test_under_decree_48_any_discipline_in_the_year_means_not_completed(cast, discipline):
    items = [{"title": "Việc", "weight": "1", "done": True}]
    scores(cast, cast.a.official, 2024, [90, 90], items=items)
    discipline(
        cast.a.official,
        occurred_on=datetime.date(2024, 5, 1),
        decision_date=datetime.date(2024, 6, 1),
    )
    row = propose(cast, 2024)[cast.a.official.pk]
    assert row.rule_set == "decree-48-2023" and row.proposed_level == "not_completed"


def test_decree_48_does_not_count_a_violation_twice(cast, discipline):
    discipline(
        cast.a.official,
        occurred_on=datetime.date(2024, 11, 1),
        decision_date=datetime.date(2025, 1, 15),
    )
    AnnualClassification.objects.create(
        official=cast.a.official,
        year=2024,
        unit=cast.a.department,
        agency=cast.a.department,
        rule_set="decree-48-2023",
        staff_category="civil_servant",
        proposed_level="not_completed",
        final_level="not_completed",
        confirmed_at=timezone.now(),
    )
    scores(cast, cast.a.official, 2025, [80], items=[{"title": "Việc", "done": True}])
    row = propose(cast, 2025)[cast.a.official.pk]
    assert row.proposed_level == "good"
    assert row.reasons[-1]["code"] == "discipline_counted_before"


def test_criteria_levels_under_decree_90(cast):
    on_time = {"title": "Đúng hạn", "done": True}
    exceeded = {"title": "Vượt", "done": True, "exceeded": True}
    late = {"title": "Muộn", "done": True, "delays": 1}
    scores(cast, cast.a.official, 2022, [80], items=[on_time, exceeded])
    scores(cast, cast.b.official, 2022, [80], items=[on_time, on_time, on_time, on_time, late])
    rows = propose(cast, 2022)
    assert rows[cast.a.official.pk].rule_set == "decree-90-2020"
    assert rows[cast.a.official.pk].proposed_level == "excellent"  # 50% exceeded
    assert rows[cast.b.official.pk].proposed_level == "completed"  # 1 of 5 short (20%)


def test_fewer_than_six_months_worked_is_not_classified_except_maternity_leave(cast):
    scores(cast, cast.a.official, 2025, [80] * 5, items=[{"title": "Việc", "done": True}])
    row = propose(cast, 2025)[cast.a.official.pk]
    assert row.months_worked == 12 and row.proposed_level == "good"
    row = actions.update_classification_inputs(
        actor=cast.a.head,
        classification=row,
        months_worked=5,
        months_absent=0,
        maternity_leave=False,
    )
    assert row.proposed_level == "not_classified"
    assert row.reasons[-1]["code"] == "too_few_months"
    assert row.reasons[-1]["params"] == {"months": "5", "minimum": "6"}
    with pytest.raises(ValidationError, match="fewer than 6 months"):
        actions.confirm_classification(
            actor=cast.a.head,
            classification=row,
            level="good",
            change_reason="…",
            today=datetime.date(2025, 12, 1),
        )
    row = actions.update_classification_inputs(
        actor=cast.a.head,
        classification=row,
        months_worked=5,
        months_absent=0,
        maternity_leave=True,
    )
    assert row.proposed_level == "good"


def test_absent_three_to_six_months_is_at_most_completed(cast):
    scores(cast, cast.a.official, 2025, [80] * 8, items=[{"title": "Việc", "done": True}])
    row = propose(cast, 2025)[cast.a.official.pk]
    row = actions.update_classification_inputs(
        actor=cast.a.head,
        classification=row,
        months_worked=8,
        months_absent=4,
        maternity_leave=False,
    )
    assert row.proposed_level == "completed"
    with pytest.raises(ValidationError) as error:
        actions.confirm_classification(
            actor=cast.a.head,
            classification=row,
            level="good",
            change_reason="Tốt",
            today=datetime.date(2025, 12, 1),
        )
    assert "absent 4 months" in error.value.message_dict["level"][0]


def test_the_head_cannot_lift_a_disciplined_official(cast, discipline):
    scores(cast, cast.a.official, 2026, [95])
    discipline(
        cast.a.official,
        occurred_on=datetime.date(2026, 1, 5),
        decision_date=datetime.date(2026, 1, 10),
    )
    row = propose(cast, 2026)[cast.a.official.pk]
    with pytest.raises(ValidationError) as error:
        actions.confirm_classification(
            actor=cast.a.head,
            classification=row,
            level="good",
            change_reason="…",
            today=datetime.date(2026, 12, 1),
        )
    message = error.value.message_dict["level"][0]
    assert "335/2025/NĐ-CP" in message and "disciplined" in message


def test_confirming_an_excellent_over_the_agency_cap_is_refused(cast):
    scores(cast, cast.a.official, 2026, [85])
    row = propose(cast, 2026)[cast.a.official.pk]
    with pytest.raises(ValidationError) as error:
        actions.confirm_classification(
            actor=cast.a.head,
            classification=row,
            level="excellent",
            change_reason="Xuất sắc",
            today=datetime.date(2026, 12, 1),
        )
    assert "at most 20%" in error.value.message_dict["level"][0]


def test_confirmation_through_the_page_locks_the_result(client, cast):
    scores(cast, cast.a.official, 2025, [80] * 12, items=[{"title": "Việc", "done": True}])
    row = propose(cast, 2025)[cast.a.official.pk]
    client.force_login(cast.a.head)
    url = reverse("evaluations:classification_confirm", args=[row.pk])
    response = client.post(url, {"level": "completed", "change_reason": ""})
    assert response.status_code == 422
    assert "Give the reason for changing the proposal." in response.content.decode()
    import time_machine

    with time_machine.travel(datetime.datetime(2025, 12, 10, 3, tzinfo=datetime.UTC)):
        response = client.post(url, {"level": "completed", "change_reason": "Chậm báo cáo."})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.is_locked() and row.final_level == "completed"
    assert classification_of(cast.a.official, 2025) == "completed"
    with pytest.raises(ValidationError, match="locked"):
        actions.confirm_classification(actor=cast.a.head, classification=row)
    # Computing again leaves the locked row alone.
    propose(cast, 2025)
    row.refresh_from_db()
    assert row.final_level == "completed"


def test_confirming_on_or_after_15_december_needs_a_reason(cast):
    scores(cast, cast.a.official, 2025, [80] * 12, items=[{"title": "Việc", "done": True}])
    row = propose(cast, 2025)[cast.a.official.pk]
    with pytest.raises(ValidationError) as error:
        actions.confirm_classification(
            actor=cast.a.head, classification=row, today=datetime.date(2025, 12, 15)
        )
    assert "before 15/12/2025" in error.value.message_dict["late_reason"][0]
    actions.confirm_classification(
        actor=cast.a.head,
        classification=row,
        late_reason="Chờ kết luận thanh tra.",
        today=datetime.date(2025, 12, 15),
    )


def test_the_head_of_an_agency_is_confirmed_by_the_level_above_decree_90_art_16(cast):
    from civility.orgs.scopes import Role
    from tests.factories import make_user

    dept_head = make_user("dept_head", roles={Role.UNIT_HEAD: cast.a.department})
    leader = make_official(
        "Chánh Văn phòng", unit=cast.a.department, is_leader=True, agency_role="head"
    )
    row = propose(cast, 2025)[leader.pk]
    assert not actions.can_confirm(dept_head, row)
    assert actions.can_confirm(cast.a.head, row)


def test_the_explanation_page_reads_in_words(client, cast):
    scores(cast, cast.a.official, 2026, [92, 70])
    row = propose(cast, 2026)[cast.a.official.pk]
    client.force_login(cast.a.head)
    body = client.get(reverse("evaluations:classification_detail", args=[row.pk])).content.decode()
    assert "Average of 2 period scores: 81.00 points" in body


def test_another_wards_head_cannot_see_a_classification(client, cast):
    row = propose(cast, 2025)[cast.a.official.pk]
    client.force_login(cast.b.head)
    response = client.get(reverse("evaluations:classification_detail", args=[row.pk]))
    assert response.status_code == 404
