"""Quotas of the top level at the right level: grade A at most 30% (40% for agencies with
outstanding results) of those rated in the agency (Decision 3814-QĐ/TU), "excellent" at most
20% of those rated "well completed" in the agency or group of similar tasks (Decree
335/2025 Art. 20 cl. 5). Rounding, order, outstanding agencies and the group are settings,
shown with each verdict a quota changed."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from civility.evaluations import actions, policies
from civility.evaluations.actions.annual import TO_ASSESS
from civility.evaluations.explain import explain
from civility.evaluations.models import Evaluation
from civility.orgs.actions import set_policy
from civility.orgs.models import UnitKind
from civility.orgs.scopes import Role
from tests.evaluations.test_classification import propose, scores
from tests.factories import make_official, make_post, make_unit, make_user

pytestmark = pytest.mark.django_db
MONTH = datetime.date(2025, 3, 1)
JAN_1 = datetime.date(2025, 1, 1)
POINTS = {
    95: {"general": 20, "tasks": 70, "bonus": 5},
    92: {"general": 20, "tasks": 70, "bonus": 2},
    80: {"general": 20, "tasks": 60, "bonus": 0},
}


@pytest.fixture
def ward(cast):
    """Phường Quảng An: an agency (a ward) whose staff sit in divisions."""
    unit = make_unit("Phường Quảng An", parent=cast.city, kind=UnitKind.WARD, code="00094")
    unit.head = make_user("head_qa", roles={Role.UNIT_HEAD: unit})
    return unit


def staff(ward, *sizes, **fields):
    """Officials in divisions of the ward, one list per division."""
    return [
        [
            make_official(f"Cán bộ {number}-{index}", unit=division, **fields)
            for index in range(size)
        ]
        for number, (division, size) in enumerate(
            (make_unit(f"Phòng {n}", parent=ward, kind=UnitKind.DIVISION), size)
            for n, size in enumerate(sizes)
        )
    ]


def open_and_rate(cast, ward, scores_by_official: dict) -> dict:
    period = actions.open_period(actor=cast.city_coordinator, unit=ward, month=MONTH)
    evaluations = {}
    for official, total in scores_by_official.items():
        evaluation = period.evaluations.get(official=official)
        Evaluation.objects.filter(pk=evaluation.pk).update(step="review")
        evaluation.refresh_from_db()
        evaluations[official] = actions.rate_evaluation(
            actor=ward.head, evaluation=evaluation, points=POINTS[total]
        )
    return evaluations


def approve(ward, evaluation) -> Evaluation:
    actions.approve_evaluation(actor=ward.head, evaluation=evaluation)
    return Evaluation.objects.get(pk=evaluation.pk)


def test_grade_a_cap_is_counted_per_agency_not_per_division_3814(cast, ward):
    """Two divisions of three: per division 30% of 3 rounds down to 0; per agency 30% of 6
    is 1."""
    first_division, second_division = staff(ward, 3, 3)
    evaluations = open_and_rate(cast, ward, {first_division[0]: 95, second_division[0]: 95})
    first = approve(ward, evaluations[first_division[0]])
    second = approve(ward, evaluations[second_division[0]])
    assert (first.grade, first.quota) == ("A", {})
    assert second.grade == "B" and second.level == "good"
    line = explain(second.quota)
    assert "30% of the 6 evaluated in Phường Quảng An" in line and "that is 1" in line


def test_quota_rounding_is_a_setting_of_the_province_shown_with_the_verdict(cast, ward):
    set_policy(
        actor=cast.city_coordinator,
        unit=cast.city,
        key=policies.QUOTA_ROUNDING.key,
        value=policies.UP,
        valid_from=JAN_1,
        source="Hướng dẫn thử 1/HD",
    )
    (division,) = staff(ward, 4)
    evaluations = open_and_rate(cast, ward, dict.fromkeys(division[:3], 95))
    grades = [approve(ward, evaluations[official]).grade for official in division[:3]]
    assert grades == ["A", "A", "B"]  # 30% of 4 = 1.2, rounded up: 2
    line = explain(Evaluation.objects.get(official=division[2]).quota)
    assert "Setting “Rounding of a quota of the top level”: Round up" in line
    assert "chosen by Thành phố Hà Nội" in line and "Hướng dẫn thử 1/HD" in line


def test_a_higher_score_awaiting_approval_keeps_its_place_not_the_order_of_names(cast, ward):
    (division,) = staff(ward, 4)  # 30% of 4 rounded down: 1
    best, second = division[0], division[1]
    evaluations = open_and_rate(cast, ward, {best: 95, second: 92})
    assert approve(ward, evaluations[second]).grade == "B"
    assert approve(ward, evaluations[best]).grade == "A"
    line = explain(Evaluation.objects.get(official=second).quota)
    assert "1 awaiting approval with a higher score" in line
    assert "Higher score first; at equal scores the head decides" in line


def test_at_equal_scores_the_head_decides_by_approving_first(cast, ward):
    (division,) = staff(ward, 4)
    evaluations = open_and_rate(cast, ward, {division[3]: 95, division[0]: 95})
    assert approve(ward, evaluations[division[3]]).grade == "A"
    assert approve(ward, evaluations[division[0]]).grade == "B"


def test_where_the_head_decides_among_all_the_first_approved_keeps_grade_a(cast, ward):
    set_policy(
        actor=cast.city_coordinator,
        unit=cast.city,
        key=policies.QUOTA_ORDER.key,
        value=policies.HEAD_DECIDES,
        valid_from=JAN_1,
    )
    (division,) = staff(ward, 4)
    best, second = division[0], division[1]
    evaluations = open_and_rate(cast, ward, {best: 95, second: 92})
    assert approve(ward, evaluations[second]).grade == "A"
    assert approve(ward, evaluations[best]).grade == "B"


def test_the_approval_form_says_what_the_quota_would_do(client, cast, ward):
    (division,) = staff(ward, 3)  # 30% of 3 rounded down: 0
    evaluations = open_and_rate(cast, ward, {division[0]: 95})
    client.force_login(ward.head)
    url = reverse("evaluations:evaluation_detail", args=[evaluations[division[0]].pk])
    page = client.get(url).content.decode()
    assert "If approved now:" in page and "grade B" in page


def test_only_the_provinces_coordinators_name_agencies_with_outstanding_results(cast, people):
    with pytest.raises(ValidationError) as error:
        actions.open_period(
            actor=cast.a.coordinator,
            unit=cast.a.ward,
            month=MONTH,
            exceptional_units=[cast.a.department],
        )
    message = error.value.message_dict["exceptional_units"][0]
    assert "The province's coordinators" in message and "to be confirmed" in message
    set_policy(
        actor=cast.city_coordinator,
        unit=cast.city,
        key=policies.OUTSTANDING_UNITS_NAMED_BY.key,
        value=policies.BY_OPENER,
        valid_from=JAN_1,
    )
    period = actions.open_period(
        actor=cast.a.coordinator,
        unit=cast.a.ward,
        month=MONTH,
        exceptional_units=[cast.a.department],
    )
    assert period.exceptional_units_named_by == cast.a.coordinator


def test_an_outstanding_unit_must_be_an_agency(cast, ward):
    division = make_unit("Phòng Văn hóa", parent=ward, kind=UnitKind.DIVISION)
    with pytest.raises(ValidationError) as error:
        actions.open_period(
            actor=cast.city_coordinator, unit=ward, month=MONTH, exceptional_units=[division]
        )
    assert "is not an agency" in error.value.message_dict["exceptional_units"][0]


# --- Decree 335/2025: "excellent" at most 20% of "well completed" ---------------------


def test_excellent_is_counted_per_agency_not_per_division_decree_335_art_20_cl_5(cast, ward):
    (candidate,), good = staff(ward, 1, 5)
    scores(cast, candidate, 2026, [95])
    for official in good:
        scores(cast, official, 2026, [80])
    rows = propose(cast, 2026, unit=ward)
    # 1 candidate + 5 good in the ward: k ≤ 20% of (6 − k) → 1; alone in its division: 0.
    assert rows[candidate.pk].proposed_level == "excellent"
    assert rows[candidate.pk].agency == ward


def test_excellent_is_counted_per_post_where_the_province_chooses_it(cast, ward):
    set_policy(
        actor=cast.city_coordinator,
        unit=cast.city,
        key=policies.EXCELLENT_QUOTA_GROUP.key,
        value=policies.BY_POST,
        valid_from=JAN_1,
    )
    clerk = make_post("Văn thư", unit=cast.city)
    officer = make_post("Chuyên viên", unit=cast.city)
    ((candidate, *good),) = staff(ward, 6)
    candidate.post = clerk
    candidate.save()
    for official in good:
        official.post = officer
        official.save()
        scores(cast, official, 2026, [80])
    scores(cast, candidate, 2026, [95])
    row = propose(cast, 2026, unit=ward)[candidate.pk]
    assert row.proposed_level == "good"
    assert "Each post within the agency" in explain(row.reasons[-1])


def test_candidates_tied_at_the_last_place_are_left_to_the_head_decree_335(cast, ward):
    (first, second, *good), _ = staff(ward, 7, 0)
    scores(cast, first, 2026, [95])
    scores(cast, second, 2026, [95])
    for official in good:
        scores(cast, official, 2026, [80])
    rows = propose(cast, 2026, unit=ward)
    # 2 candidates + 5 good: one place, and nothing but the head separates them.
    assert rows[first.pk].proposed_level == rows[second.pk].proposed_level == TO_ASSESS
    line = explain(rows[first.pk].reasons[-1])
    assert "1 place remains for 2 candidates" in line and "The head decides" in line


def test_an_agency_recorded_as_outstanding_gets_its_higher_share_of_excellent(cast, ward):
    set_policy(
        actor=cast.city_coordinator,
        unit=ward,
        key=policies.EXCELLENT_SHARE_OUTSTANDING.key,
        value=40,
        valid_from=JAN_1,
        source="Quyết định thử 9/QĐ-UBND",
    )
    (first, second, *good), _ = staff(ward, 7, 0)
    scores(cast, first, 2026, [96])
    scores(cast, second, 2026, [93])
    for official in good:
        scores(cast, official, 2026, [80])
    other = make_official("Cán bộ phường khác", unit=cast.a.department)
    scores(cast, other, 2026, [96])
    rows = propose(cast, 2026)
    assert rows[first.pk].proposed_level == rows[second.pk].proposed_level == "excellent"
    assert rows[other.pk].proposed_level == "good"  # the 20% of its own agency


def test_confirming_excellent_counts_the_agency_with_its_rounding(cast, ward):
    (candidate, colleague), _ = staff(ward, 2, 0)
    scores(cast, candidate, 2026, [95])
    scores(cast, colleague, 2026, [80])
    rows = propose(cast, 2026, unit=ward)
    today = datetime.date(2026, 12, 1)
    actions.confirm_classification(actor=ward.head, classification=rows[colleague.pk], today=today)
    with pytest.raises(ValidationError) as error:
        actions.confirm_classification(
            actor=ward.head,
            classification=rows[candidate.pk],
            level="excellent",
            change_reason="Xuất sắc",
            today=today,
        )
    message = error.value.message_dict["level"][0]
    assert "in Phường Quảng An" in message and "Round down" in message
    set_policy(
        actor=cast.city_coordinator,
        unit=cast.city,
        key=policies.QUOTA_ROUNDING.key,
        value=policies.UP,
        valid_from=JAN_1,
    )
    confirmed = actions.confirm_classification(
        actor=ward.head,
        classification=rows[candidate.pk],
        level="excellent",
        change_reason="Xuất sắc",
        today=today,
    )
    assert confirmed.final_level == "excellent"  # 20% of 1 rounded up: 1
