"""The three steps through the pages: self-assessment, supervisor's rating, head's approval,
with deadlines, who may act at each step, and scope."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from civility.evaluations import actions
from civility.evaluations.models import Evaluation, Step
from civility.orgs.scopes import Role
from tests.factories import make_official, make_user

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def self_post(**extra):
    data = {
        "items-TOTAL_FORMS": "4",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "60",
        "items-0-title": "Tiếp nhận hồ sơ",
        "items-0-weight": "2",
        "items-0-done": "on",
        "items-0-delays": "0",
        "items-0-quality_failures": "0",
        "items-1-title": "Báo cáo tháng",
        "items-1-weight": "1",
        "items-1-done": "on",
        "items-1-delays": "1",
        "items-1-quality_failures": "0",
        "account": "Hoàn thành đúng hạn phần lớn công việc.",
        "self_level": "good",
        "self_general": "18",
        "self_tasks": "60",
        "self_bonus": "2",
    }
    data.update(extra)
    return data


def rate_post(**extra):
    data = {
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "2",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "60",
        "items-0-title": "Tiếp nhận hồ sơ",
        "items-0-weight": "2",
        "items-0-done": "on",
        "items-0-delays": "0",
        "items-0-quality_failures": "0",
        "items-1-title": "Báo cáo tháng",
        "items-1-weight": "1",
        "items-1-done": "on",
        "items-1-delays": "1",
        "items-1-quality_failures": "0",
        "points_general": "19",
        "points_tasks": "63",
        "points_bonus": "3",
        "comment": "Tốt.",
    }
    data.update(extra)
    return data


def test_opening_a_period_creates_one_evaluation_per_official_with_the_nearest_supervisor(
    cast, people, open_period
):
    period = open_period()
    evaluations = {e.official_id: e for e in period.evaluations.all()}
    assert set(evaluations) == {cast.a.official.pk, people.colleague.pk, cast.b.official.pk}
    assert evaluations[cast.a.official.pk].supervisor == people.evaluator
    # Ward b has no evaluator: its head supervises.
    assert evaluations[cast.b.official.pk].supervisor == cast.b.head
    assert period.self_deadline == datetime.date(2025, 4, 3)
    assert evaluations[cast.a.official.pk].rule_set == "hanoi-3814-2018"


def test_the_three_steps_through_the_pages(client, cast, people, open_period):
    period = open_period()
    evaluation = period.evaluations.get(official=cast.a.official)
    url = reverse("evaluations:evaluation_detail", args=[evaluation.pk])

    login(client, cast.a.official_user)
    page = client.get(url)
    assert page.status_code == 200
    assert "Your self-assessment" in page.content.decode()
    response = client.post(
        reverse("evaluations:evaluation_self", args=[evaluation.pk]), self_post(submit="1")
    )
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.step == Step.REVIEW
    assert len(evaluation.work_items) == 2 and evaluation.self_level == "good"
    assert evaluation.facts_taken_at is not None

    client.logout()
    login(client, people.evaluator)
    assert (
        client.get(reverse("evaluations:evaluation_home"))
        .content.decode()
        .count(cast.a.official.full_name)
    )
    response = client.post(
        reverse("evaluations:evaluation_rate", args=[evaluation.pk]), rate_post()
    )
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.step == Step.APPROVAL
    assert evaluation.total == 85 and evaluation.grade == "B" and evaluation.level == "good"

    client.logout()
    login(client, cast.a.head)
    response = client.post(
        reverse("evaluations:evaluation_approve", args=[evaluation.pk]),
        {"points_general": "19", "points_tasks": "63", "points_bonus": "3", "note": ""},
    )
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.step == Step.DONE and evaluation.approved_by == cast.a.head


def test_a_draft_is_saved_without_the_required_fields(client, cast, people, open_period):
    evaluation = open_period().evaluations.get(official=cast.a.official)
    login(client, cast.a.official_user)
    data = self_post(account="", self_level="", self_general="")
    client.post(reverse("evaluations:evaluation_self", args=[evaluation.pk]), data)
    evaluation.refresh_from_db()
    assert evaluation.step == Step.SELF and len(evaluation.work_items) == 2


def test_submitting_without_an_account_names_the_field(client, cast, people, open_period):
    evaluation = open_period().evaluations.get(official=cast.a.official)
    login(client, cast.a.official_user)
    response = client.post(
        reverse("evaluations:evaluation_self", args=[evaluation.pk]),
        self_post(account="", submit="1"),
    )
    assert response.status_code == 422
    assert "Write a short account of the month." in response.content.decode()


def test_a_work_item_error_names_its_row(client, cast, people, open_period):
    evaluation = open_period().evaluations.get(official=cast.a.official)
    login(client, cast.a.official_user)
    response = client.post(
        reverse("evaluations:evaluation_self", args=[evaluation.pk]),
        self_post(**{"items-1-done": "", "submit": "1"}),
    )
    assert response.status_code == 422
    assert "Work item 2" in response.content.decode()


def test_only_the_official_fills_their_self_assessment(client, cast, people, open_period):
    evaluation = open_period().evaluations.get(official=cast.a.official)
    login(client, people.evaluator)
    response = client.post(
        reverse("evaluations:evaluation_self", args=[evaluation.pk]), self_post(submit="1")
    )
    assert response.status_code == 403


def test_an_official_cannot_rate_or_approve_themself(cast, people, open_period, walk):
    evaluation = walk(open_period().evaluations.get(official=cast.a.official), to="review")
    with pytest.raises(actions.PermissionDenied):
        actions.rate_evaluation(
            actor=cast.a.official_user,
            evaluation=evaluation,
            points={"general": 20, "tasks": 70, "bonus": 10},
        )


def test_the_supervisor_cannot_approve(client, cast, people, open_period, walk):
    evaluation = walk(open_period().evaluations.get(official=cast.a.official), to="approval")
    login(client, people.evaluator)
    response = client.post(reverse("evaluations:evaluation_approve", args=[evaluation.pk]), {})
    assert response.status_code == 403


def test_the_head_of_an_agency_is_approved_by_the_level_above(cast, people, walk):
    leader_user = make_user("leader_a", roles={Role.UNIT_HEAD: cast.a.department})
    leader = make_official(
        "Phạm Chánh Văn Phòng",
        unit=cast.a.department,
        user=leader_user,
        is_leader=True,
        agency_role="head",
    )
    dept_head = make_user("dept_head", roles={Role.UNIT_HEAD: cast.a.department})
    period = actions.open_period(
        actor=cast.city_coordinator, unit=cast.a.ward, month=datetime.date(2025, 3, 1)
    )
    evaluation = period.evaluations.get(official=leader)
    # The leader's supervisor comes from above the leader's own unit.
    assert evaluation.supervisor in (people.evaluator, cast.a.head)
    walk(evaluation, to="approval")
    evaluation.refresh_from_db()
    assert not actions.can_approve(dept_head, evaluation)
    assert actions.can_approve(cast.a.head, evaluation)


def test_the_head_changing_points_must_give_a_reason(client, cast, people, open_period, walk):
    evaluation = walk(open_period().evaluations.get(official=cast.a.official), to="approval")
    login(client, cast.a.head)
    response = client.post(
        reverse("evaluations:evaluation_approve", args=[evaluation.pk]),
        {"points_general": "15", "points_tasks": "62", "points_bonus": "0", "note": ""},
    )
    assert response.status_code == 422
    assert "Give the reason for changing the supervisor" in response.content.decode()
    response = client.post(
        reverse("evaluations:evaluation_approve", args=[evaluation.pk]),
        {
            "points_general": "15",
            "points_tasks": "62",
            "points_bonus": "0",
            "note": "Đi muộn hai lần.",
        },
    )
    evaluation.refresh_from_db()
    assert evaluation.step == Step.DONE and evaluation.total == 77


def test_sending_back_returns_one_step_with_the_reason(client, cast, people, open_period, walk):
    evaluation = walk(open_period().evaluations.get(official=cast.a.official), to="approval")
    login(client, cast.a.head)
    client.post(
        reverse("evaluations:evaluation_return", args=[evaluation.pk]),
        {"reason": "Xem lại điểm nhiệm vụ."},
    )
    evaluation.refresh_from_db()
    assert evaluation.step == Step.REVIEW and evaluation.returned_note == "Xem lại điểm nhiệm vụ."


def test_an_approved_evaluation_is_locked(cast, people, open_period, walk):
    evaluation = walk(open_period().evaluations.get(official=cast.a.official))
    with pytest.raises(actions.ValidationError):
        actions.return_evaluation(actor=cast.a.head, evaluation=evaluation, reason="x")
    with pytest.raises(actions.ValidationError):
        actions.rate_evaluation(
            actor=people.evaluator,
            evaluation=evaluation,
            points={"general": 1, "tasks": 1, "bonus": 1},
        )


def test_the_period_page_shows_who_is_late_at_each_step(client, cast, people, open_period, walk):
    period = open_period()
    walk(period.evaluations.get(official=cast.a.official), to="review")
    login(client, cast.city_coordinator)
    with time_machine.travel(datetime.datetime(2025, 4, 8, 9, tzinfo=datetime.UTC)):
        page = client.get(reverse("evaluations:period_detail", args=[period.pk]) + "?late=1")
    body = page.content.decode()
    # Two self-assessments (due 3/4) and one rating (due 6/4) are late on 8/4.
    late = Evaluation.objects.late(datetime.date(2025, 4, 8))
    assert late.count() == 3
    assert cast.b.official.full_name in body and people.colleague.full_name in body


def test_another_wards_head_gets_404(client, cast, people, open_period):
    evaluation = open_period().evaluations.get(official=cast.a.official)
    login(client, cast.b.head)
    assert (
        client.get(reverse("evaluations:evaluation_detail", args=[evaluation.pk])).status_code
        == 404
    )


def test_a_colleague_cannot_read_an_evaluation(client, cast, people, open_period):
    evaluation = open_period().evaluations.get(official=cast.a.official)
    login(client, people.colleague_user)
    assert (
        client.get(reverse("evaluations:evaluation_detail", args=[evaluation.pk])).status_code
        == 404
    )


def test_a_ward_head_cannot_open_a_period_for_the_city(cast, people):
    with pytest.raises(actions.PermissionDenied):
        actions.open_period(actor=cast.a.head, unit=cast.city, month=datetime.date(2025, 3, 1))


def test_an_official_is_evaluated_once_a_month(cast, people, open_period):
    open_period(unit=cast.a.ward)
    period = open_period()
    assert not period.evaluations.filter(official=cast.a.official).exists()
    assert period.evaluations.filter(official=cast.b.official).exists()


def test_the_head_changes_the_direct_supervisor(client, cast, people, open_period):
    evaluation = open_period().evaluations.get(official=cast.a.official)
    evaluation.supervisor = None
    evaluation.save()
    login(client, cast.a.head)
    url = reverse("evaluations:evaluation_supervisor", args=[evaluation.pk])

    response = client.post(url, {"supervisor": people.evaluator.pk})

    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.supervisor == people.evaluator


def test_choosing_no_supervisor_leaves_the_rating_to_the_head(client, cast, people, open_period):
    evaluation = open_period().evaluations.get(official=cast.a.official)
    assert evaluation.supervisor == people.evaluator
    login(client, cast.a.head)
    url = reverse("evaluations:evaluation_supervisor", args=[evaluation.pk])

    response = client.post(url, {"supervisor": ""})  # the list's first option, "—"

    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.supervisor is None
