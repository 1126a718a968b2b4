"""Fixtures for evaluations: the cast, an evaluator (direct supervisor) in ward a's
department, a colleague, and helpers that open a period and walk an evaluation through."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from civility.conduct import actions as conduct_actions
from civility.conduct.models import Handling, Source, ViolationType
from civility.evaluations import actions
from civility.evaluations.models import Evaluation, EvaluationPeriod
from civility.orgs.scopes import Role
from tests.factories import make_official, make_user

MONTH = datetime.date(2025, 3, 1)
ITEMS = [
    {"title": "Tiếp nhận hồ sơ một cửa", "weight": "2", "done": True},
    {"title": "Báo cáo tháng", "weight": "1", "done": True},
]


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def evaluator_a(cast):
    return make_user("evaluator_a", roles={Role.EVALUATOR: cast.a.department})


@dataclass
class People:
    evaluator: object
    colleague_user: object
    colleague: object


@pytest.fixture
def people(cast, evaluator_a) -> People:
    user = make_user("colleague_a", roles={Role.OFFICIAL: cast.a.department})
    colleague = make_official("Trần Thị Đồng Nghiệp", unit=cast.a.department, user=user)
    return People(evaluator=evaluator_a, colleague_user=user, colleague=colleague)


@pytest.fixture
def open_period(cast, people):
    def make(*, unit=None, month=MONTH, **kwargs) -> EvaluationPeriod:
        return actions.open_period(
            actor=cast.city_coordinator, unit=unit or cast.city, month=month, **kwargs
        )

    return make


@pytest.fixture
def walk(cast, people):
    """Take an evaluation to the given step: "review", "approval" or "done"."""

    def make(evaluation: Evaluation, *, to: str = "done", points=None, items=None):
        official_user = evaluation.official.user
        actions.save_self_assessment(
            actor=official_user,
            evaluation=evaluation,
            work_items=items if items is not None else ITEMS,
            account="Hoàn thành các việc được giao.",
            self_points={"general": 18, "tasks": 65, "bonus": 5},
            self_level="good",
            submit=True,
        )
        evaluation.refresh_from_db()
        if to == "review":
            return evaluation
        supervisor = evaluation.supervisor or cast.a.head
        actions.rate_evaluation(
            actor=supervisor,
            evaluation=evaluation,
            points=points or {"general": 18, "tasks": 62, "bonus": 0},
        )
        evaluation.refresh_from_db()
        if to == "approval":
            return evaluation
        actions.approve_evaluation(actor=cast.a.head, evaluation=evaluation)
        evaluation.refresh_from_db()
        return evaluation

    return make


@pytest.fixture
def discipline(cast):
    """Confirm a disciplinary record about an official (a working-hours breach unless
    `type_key` says otherwise); related to duties as its type suggests unless given."""

    def make(
        official,
        *,
        occurred_on,
        decision_date,
        form="reprimand",
        type_key="KTDX-1",
        related_to_duties=None,
    ):
        conduct_actions.load_catalogue_seed(actor=None, unit=cast.city)
        violation_type = ViolationType.objects.current().get(key=type_key)
        record = conduct_actions.report_violation(
            actor=cast.a.head,
            official=official,
            violation_type=violation_type,
            occurred_on=occurred_on,
            source=Source.SURPRISE_CHECK,
            description="Vắng mặt tại bộ phận một cửa.",
        )
        conduct_actions.start_verification(actor=cast.a.head, record=record)
        return conduct_actions.confirm_record(
            actor=cast.a.head,
            record=record,
            handling=Handling.DISCIPLINARY,
            discipline_form=form,
            decision_number="12/QĐ-UBND",
            decision_date=decision_date,
            related_to_duties=(
                violation_type.related_to_duties if related_to_duties is None else related_to_duties
            ),
        )

    return make
