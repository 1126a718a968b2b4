"""Heads and deputy heads of an agency: who confirms their annual classification (Decree
90/2020 Art. 16), who approves a deputy's monthly evaluation (not found: a setting), and
Decree 335/2025's scoring of leaders on their unit's results (100% / 50%)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from civility.evaluations import actions, policies
from civility.evaluations.models import Evaluation
from civility.orgs.actions import set_policy
from civility.orgs.models import AgencyRole, UnitKind
from civility.orgs.scopes import Role
from tests.evaluations.test_classification import propose
from tests.factories import make_official, make_unit, make_user

pytestmark = pytest.mark.django_db
DONE = {"title": "Hồ sơ một cửa", "weight": "1", "done": True}
NOT_DONE = {"title": "Báo cáo tháng", "weight": "1", "done": False}


@pytest.fixture
def ward(cast):
    """Phường Quảng An: its chairman (head of the agency, with the head role), a deputy
    chairman and two civil servants in the ward's office; a head at the city above."""
    unit = make_unit("Phường Quảng An", parent=cast.city, kind=UnitKind.WARD, code="00094")
    office = make_unit("Văn phòng HĐND và UBND", parent=unit, kind=UnitKind.DIVISION)
    chair_user = make_user("chair_qa", roles={Role.UNIT_HEAD: unit})
    unit.office = office
    unit.chair_user = chair_user
    unit.city_head = make_user("city_head", roles={Role.UNIT_HEAD: cast.city})
    unit.chair = make_official(
        "Nguyễn Văn Chủ Tịch",
        unit=office,
        user=chair_user,
        is_leader=True,
        agency_role=AgencyRole.HEAD,
    )
    unit.deputy = make_official(
        "Trần Thị Phó", unit=office, is_leader=True, agency_role=AgencyRole.DEPUTY
    )
    unit.staff = [make_official(f"Chuyên viên {n}", unit=office) for n in range(2)]
    return unit


def test_deputy_annual_classification_is_confirmed_by_own_agency_head_decree_90_art_16(cast, ward):
    row = propose(cast, 2025, unit=ward)[ward.deputy.pk]
    assert actions.can_confirm(ward.chair_user, row)
    assert actions.can_confirm(ward.city_head, row)


def test_the_agency_head_is_confirmed_from_the_level_above_decree_90_art_16(cast, ward):
    second_head = make_user("deputy_with_head_role", roles={Role.UNIT_HEAD: ward})
    row = propose(cast, 2025, unit=ward)[ward.chair.pk]
    assert not actions.can_confirm(ward.chair_user, row)  # themself
    assert not actions.can_confirm(second_head, row)  # a head role on the same agency
    assert actions.can_confirm(ward.city_head, row)


def test_staff_annual_classification_is_confirmed_by_the_agency_head_not_a_division_head(
    cast, ward
):
    """Decree 90/2020 Art. 16: the head of the employing agency evaluates its staff."""
    division_head = make_user("office_head", roles={Role.UNIT_HEAD: ward.office})
    row = propose(cast, 2025, unit=ward)[ward.staff[0].pk]
    assert not actions.can_confirm(division_head, row)
    assert actions.can_confirm(ward.chair_user, row)


def test_the_classification_page_says_who_confirms_a_deputy_and_why(client, cast, ward):
    row = propose(cast, 2025, unit=ward)[ward.deputy.pk]
    client.force_login(ward.chair_user)
    page = client.get(reverse("evaluations:classification_detail", args=[row.pk])).content
    text = page.decode()
    assert "As deputy head of Phường Quảng An, confirmed by the head of Phường Quảng An." in text
    assert "Decree 90/2020/NĐ-CP, Art. 16" in text
    assert "Confirm and lock" in text


def _at_approval(cast, ward, month, ratings: dict) -> dict:
    """Open the ward's month and rate each official given: {official: (points, items)}."""
    period = actions.open_period(actor=cast.city_coordinator, unit=ward, month=month)
    rated = {}
    for official, (points, items) in ratings.items():
        evaluation = period.evaluations.get(official=official)
        Evaluation.objects.filter(pk=evaluation.pk).update(step="review")
        evaluation.refresh_from_db()
        rated[official] = actions.rate_evaluation(
            actor=evaluation.supervisor, evaluation=evaluation, points=points, work_items=items
        )
    return rated


def test_deputy_monthly_evaluation_is_approved_by_own_agency_head_by_default_3814(
    client, cast, ward
):
    """Who approves deputies monthly under 3814-QĐ/TU was not found: a setting, to be
    confirmed, by default the head of their own agency."""
    points = {"general": 18, "tasks": 60, "bonus": 0}
    evaluation = _at_approval(cast, ward, datetime.date(2025, 3, 1), {ward.deputy: (points, [])})[
        ward.deputy
    ]
    assert actions.can_approve(ward.chair_user, evaluation)
    client.force_login(ward.chair_user)
    page = client.get(evaluation.get_absolute_url()).content.decode()
    assert "As deputy head of Phường Quảng An:" in page
    assert "The head of their own agency" in page and "to be confirmed" in page


def test_a_province_may_have_deputies_approved_monthly_from_the_level_above(cast, ward):
    set_policy(
        actor=cast.city_coordinator,
        unit=cast.city,
        key=policies.MONTHLY_DEPUTY_APPROVER.key,
        value=policies.LEVEL_ABOVE,
        valid_from=datetime.date(2025, 1, 1),
    )
    points = {"general": 18, "tasks": 60, "bonus": 0}
    evaluation = _at_approval(cast, ward, datetime.date(2025, 3, 1), {ward.deputy: (points, [])})[
        ward.deputy
    ]
    assert not actions.can_approve(ward.chair_user, evaluation)
    assert actions.can_approve(ward.city_head, evaluation)


MARCH_2026 = datetime.date(2026, 3, 1)
FULL = ({"general": 30}, [DONE])
FAILED = ({"general": 0}, [NOT_DONE])


def test_decree_335_counts_the_units_results_in_the_heads_task_points_100_percent(cast, ward):
    rated = _at_approval(
        cast, ward, MARCH_2026, {ward.staff[0]: FULL, ward.staff[1]: FULL, ward.chair: FULL}
    )
    chair = rated[ward.chair]
    # The deputy is a subordinate too, counted once rated.
    assert chair.unit_results["subordinates"] == 3 and chair.unit_results["rated"] == 2
    assert chair.unit_results["rate"] == "100"
    assert chair.total == Decimal("100.00")


def test_any_subordinate_not_completing_halves_the_units_results_decree_335(client, cast, ward):
    rated = _at_approval(
        cast, ward, MARCH_2026, {ward.staff[0]: FULL, ward.staff[1]: FAILED, ward.chair: FULL}
    )
    chair = rated[ward.chair]
    # Own work items 70 points, unit's results 50%, weighted 50% (default): 70 × 0.75.
    assert chair.points["tasks"] == "52.50" and chair.total == Decimal("82.50")
    assert chair.level == "good"
    client.force_login(ward.city_head)
    page = client.get(chair.get_absolute_url()).content.decode()
    assert "1 did not complete their tasks: 50%" in page
    assert "Decree 335/2025/NĐ-CP (article to be confirmed)" in page
    assert "Weight of the unit" in page and "to be confirmed" in page


def test_the_units_results_are_counted_again_when_the_head_approves(cast, ward):
    rated = _at_approval(cast, ward, MARCH_2026, {ward.staff[0]: FULL, ward.chair: FULL})
    assert rated[ward.chair].total == Decimal("100.00")
    _later = Evaluation.objects.get(official=ward.staff[1], period__month=MARCH_2026)
    Evaluation.objects.filter(pk=_later.pk).update(step="review")
    _later.refresh_from_db()
    actions.rate_evaluation(
        actor=_later.supervisor, evaluation=_later, points=FAILED[0], work_items=FAILED[1]
    )
    actions.approve_evaluation(actor=ward.city_head, evaluation=rated[ward.chair])
    approved = Evaluation.objects.get(pk=rated[ward.chair].pk)
    assert approved.total == Decimal("82.50") and approved.unit_results["not_completed"] == 1


def test_a_deputy_is_scored_on_the_agency_without_its_head_decree_335(cast, ward):
    rated = _at_approval(
        cast,
        ward,
        MARCH_2026,
        {ward.staff[0]: FULL, ward.staff[1]: FULL, ward.chair: FAILED, ward.deputy: FULL},
    )
    deputy = rated[ward.deputy]
    assert deputy.unit_results["rated"] == 2 and deputy.unit_results["rate"] == "100"
    assert deputy.total == Decimal("100.00")
