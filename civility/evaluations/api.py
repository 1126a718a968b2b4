"""API for evaluations, mounted at /api/v1/evaluations/ (civility/api.py).

Reads are scoped like the pages; the three steps call the same actions as the pages, so a
rating that breaks a rule answers 422 with the rule named in `message`.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, Literal

from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from civility.core.api import JobAccepted, accepted
from civility.core.api_lists import (
    Limit,
    Offset,
    Ordering,
    PageBase,
    UnitFilter,
    ordered,
    paginate,
    property_examples,
)
from civility.core.http import AuthenticatedRequest
from civility.core.schemas import READ_ERRORS, WRITE_ERRORS, DecimalIn, DecimalString
from civility.evaluations import actions, figures
from civility.evaluations.explain import explain
from civility.evaluations.models import (
    MANAGER_ROLES,
    AnnualClassification,
    Evaluation,
    EvaluationPeriod,
)
from civility.orgs.models import OrgUnit
from civility.orgs.scopes import scope_of

router = Router(tags=["evaluations"])


class PeriodIn(Schema):
    unit_id: int
    month: datetime.date = Field(description="Any day of the month; stored as its first day.")
    self_deadline: datetime.date | None = None
    review_deadline: datetime.date | None = None
    approval_deadline: datetime.date | None = None


class PeriodOut(Schema):
    id: int
    unit_id: int
    month: datetime.date
    self_deadline: datetime.date
    review_deadline: datetime.date
    approval_deadline: datetime.date
    evaluations: int
    closed: bool

    model_config = ConfigDict(
        json_schema_extra=property_examples(
            id=34,
            unit_id=91,
            month="2026-11-01",
            self_deadline="2026-11-28",
            review_deadline="2026-12-03",
            approval_deadline="2026-12-05",
            evaluations=118,
            closed=False,
        )
    )


class WorkItemIn(Schema):
    title: str
    weight: DecimalIn = Decimal(1)
    done: bool = True
    delays: int = 0
    quality_failures: int = 0
    exceeded: bool = False
    excused: bool = False


class SelfIn(Schema):
    work_items: list[WorkItemIn]
    account: str
    self_points: dict[str, DecimalIn] = Field(default_factory=dict)
    self_level: str = ""
    submit: bool = True

    model_config = ConfigDict(
        json_schema_extra=property_examples(
            account="Hoàn thành 12 hồ sơ đúng hạn trong tháng.",
            self_points={"general": "18", "tasks": "65", "bonus": "5"},
            self_level="excellent",
            submit=True,
        )
    )


class RateIn(Schema):
    points: dict[str, DecimalIn]
    comment: str = ""
    work_items: list[WorkItemIn] | None = None

    model_config = ConfigDict(
        json_schema_extra=property_examples(
            points={"general": "18", "tasks": "62", "bonus": "5"},
            comment="Hoàn thành đúng hạn.",
        )
    )


class ApproveIn(Schema):
    points: dict[str, DecimalIn] | None = None
    note: str = ""

    model_config = ConfigDict(
        json_schema_extra=property_examples(
            points={"general": "18", "tasks": "62", "bonus": "5"},
            note="Đồng ý mức xếp loại.",
        )
    )


class EvaluationOut(Schema):
    id: int
    period_id: int
    official_id: int
    official_name: str
    unit_id: int
    month: datetime.date
    rule_set: str = Field(description="Empty when no monthly rule set applies (not scored).")
    rule_set_reason: str = Field(description="Why this rule set (or none) applies.")
    step: str
    work_items: list[dict[str, Any]]
    account: str
    self_points: dict[str, Any]
    self_level: str
    self_total: DecimalString | None
    points: dict[str, Any]
    total: DecimalString | None
    level: str
    grade: str
    quota: str = Field(description="The quota line when a quota lowered the level, else empty.")
    facts: dict[str, Any]

    model_config = ConfigDict(
        json_schema_extra=property_examples(
            id=4410,
            period_id=34,
            official_id=1201,
            official_name="Trần Thị Mai",
            unit_id=91,
            month="2026-11-01",
            rule_set="hanoi-2024",
            rule_set_reason="Hà Nội's monthly rules apply to civil servants of the city.",
            step="done",
            work_items=[
                {
                    "title": "Tiếp nhận hồ sơ một cửa",
                    "weight": "2",
                    "done": True,
                    "delays": 0,
                    "quality_failures": 0,
                    "exceeded": False,
                    "excused": False,
                }
            ],
            account="Hoàn thành các việc được giao.",
            self_points={"general": "18", "tasks": "65", "bonus": "5"},
            self_level="good",
            self_total="88",
            points={"general": "18", "tasks": "62", "bonus": "5"},
            total="85",
            level="good",
            grade="B",
            quota="",
            facts={"violations": 0, "citizen_rating_share": "92.5"},
        )
    )


class ClassificationOut(Schema):
    """A proposal is Civility's arithmetic, not a decision: `state` says which this row is,
    and only a confirmed row has a `final_level`."""

    id: int
    official_id: int
    official_name: str
    unit_id: int
    year: int
    rule_set: str
    average_score: DecimalString | None
    state: str = Field(
        description=(
            "proposed: Civility's proposal, awaiting the head's confirmation; to_assess: no "
            "level proposed, not enough grounds; confirmed: decided by the head and locked."
        )
    )
    proposed_level: str = Field(
        description="The level Civility proposes (a proposal, not a classification); "
        "empty when there are not enough grounds."
    )
    final_level: str = Field(description="The confirmed level; empty until confirmed.")
    confirmed: bool
    reasons: list[str]

    model_config = ConfigDict(
        json_schema_extra=property_examples(
            id=77,
            official_id=1201,
            official_name="Trần Thị Mai",
            unit_id=91,
            year=2026,
            rule_set="decree-335-2025",
            average_score="86.40",
            state="proposed",
            proposed_level="good",
            final_level="",
            confirmed=False,
            reasons=["Twelve months rated; average 86.4 points."],
        )
    )


def _classification_state(row: AnnualClassification) -> str:
    if row.is_locked():
        return "confirmed"
    return "to_assess" if row.is_to_assess() else "proposed"


class LevelShareOut(Schema):
    level: str
    count: int
    percent: float | None

    model_config = ConfigDict(
        json_schema_extra=property_examples(
            level="good",
            count=42,
            percent=35.6,
        )
    )


class FiguresOut(Schema):
    unit_id: int
    month: datetime.date
    evaluations: int
    approved: int
    levels: list[LevelShareOut]
    submitted_on_time: int
    on_time_rate: float | None
    flagged: int
    rotations_overdue: int
    rotations_due_soon: int
    rotations_done: int


class RotationDueOut(Schema):
    official_id: int
    official_name: str
    unit_id: int
    post: str
    post_start_date: datetime.date
    due_on: datetime.date
    overdue: bool
    planned: bool
    # "to_assess" when no retirement date is recorded: the exemption for under 18 months to
    # retirement (Decree 59/2019) cannot be checked.
    retirement_exemption: Literal["", "to_assess"]

    model_config = ConfigDict(
        json_schema_extra=property_examples(
            post="Kế toán",
            retirement_exemption="",
        )
    )


class PeriodPage(PageBase):
    items: list[PeriodOut]


class ClassificationPage(PageBase):
    items: list[ClassificationOut]


class RotationDuePage(PageBase):
    items: list[RotationDueOut]


def _period_out(period: EvaluationPeriod) -> dict[str, Any]:
    counted = getattr(period, "evaluation_count", None)
    return {
        "id": period.pk,
        "unit_id": period.unit_id,
        "month": period.month,
        "self_deadline": period.self_deadline,
        "review_deadline": period.review_deadline,
        "approval_deadline": period.approval_deadline,
        "evaluations": period.evaluations.count() if counted is None else counted,
        "closed": period.closed_at is not None,
    }


def _evaluation_out(evaluation: Evaluation) -> dict[str, Any]:
    return {
        "id": evaluation.pk,
        "period_id": evaluation.period_id,
        "official_id": evaluation.official_id,
        "official_name": evaluation.official.full_name,
        "unit_id": evaluation.unit_id,
        "month": evaluation.period.month,
        "rule_set": evaluation.rule_set,
        "rule_set_reason": explain(evaluation.rule_choice) if evaluation.rule_choice else "",
        "step": evaluation.step,
        "work_items": evaluation.work_items,
        "account": evaluation.account,
        "self_points": evaluation.self_points,
        "self_level": evaluation.self_level,
        "self_total": evaluation.self_total,
        "points": evaluation.points,
        "total": evaluation.total,
        "level": evaluation.level,
        "grade": evaluation.grade,
        "quota": explain(evaluation.quota) if evaluation.quota else "",
        "facts": evaluation.facts,
    }


def _focus(request: AuthenticatedRequest, unit_id: int | None) -> OrgUnit:
    units = OrgUnit.objects.filter(scope_of(request.user).q("path", roles=MANAGER_ROLES))
    if unit_id is None:
        return get_object_or_404(units.order_by("path")[:1])
    return get_object_or_404(units, pk=unit_id)


PERIOD_ORDERING: dict[str, tuple[str, ...]] = {"month": ("month", "unit__path")}


@router.get("/periods", response={200: PeriodPage, **READ_ERRORS})
def period_list(
    request: AuthenticatedRequest,
    unit: int | None = UnitFilter("Only periods of units in this unit's subtree."),
    ordering: str | None = Ordering(PERIOD_ORDERING, "-month"),
    limit: int = Limit(),
    offset: int = Offset(),
) -> dict[str, Any]:
    """Evaluation periods the caller may see, the latest month first."""
    periods = EvaluationPeriod.objects.visible_to(request.user)
    if unit is not None:
        focus = get_object_or_404(OrgUnit.objects.visible_to(request.user), pk=unit)
        periods = periods.filter(unit__path__startswith=focus.path)
    rows = ordered(
        periods.annotate(evaluation_count=Count("evaluations")), ordering, PERIOD_ORDERING, "-month"
    )
    return paginate(request, rows, limit=limit, offset=offset, item=_period_out)


@router.get("/periods/{period_id}", response={200: PeriodOut, **READ_ERRORS})
def period_detail(request: AuthenticatedRequest, period_id: int) -> dict[str, Any]:
    return _period_out(
        get_object_or_404(EvaluationPeriod.objects.visible_to(request.user), pk=period_id)
    )


@router.post("/periods", response={202: JobAccepted, **WRITE_ERRORS})
def period_open(
    request: AuthenticatedRequest, response: HttpResponse, payload: PeriodIn
) -> Status[dict[str, Any]]:
    """Open the month's evaluation for every official of the unit's subtree, in a background
    job (a whole city is 150,000 officials): the request is checked at once (422 names the
    field), then `202` with the job; its `result` is `{"period", "evaluations"}` when done."""
    unit = get_object_or_404(OrgUnit.objects.visible_to(request.user), pk=payload.unit_id)
    job = actions.request_open_period(
        actor=request.user,
        unit=unit,
        month=payload.month,
        self_deadline=payload.self_deadline,
        review_deadline=payload.review_deadline,
        approval_deadline=payload.approval_deadline,
    )
    return accepted(response, job)


def _evaluation(request: AuthenticatedRequest, evaluation_id: int) -> Evaluation:
    return get_object_or_404(
        Evaluation.objects.visible_to(request.user).with_related(), pk=evaluation_id
    )


@router.get("/evaluations/{evaluation_id}", response={200: EvaluationOut, **READ_ERRORS})
def evaluation_detail(request: AuthenticatedRequest, evaluation_id: int) -> dict[str, Any]:
    """One monthly evaluation: the official's self-assessment, the head's rating, the result."""
    return _evaluation_out(_evaluation(request, evaluation_id))


def _items(items: list[WorkItemIn]) -> list[dict[str, Any]]:
    return [{**item.dict(), "weight": str(item.weight)} for item in items]


@router.post("/evaluations/{evaluation_id}/self", response={200: EvaluationOut, **WRITE_ERRORS})
def evaluation_self(
    request: AuthenticatedRequest, evaluation_id: int, payload: SelfIn
) -> dict[str, Any]:
    """The official saves their self-assessment: work items, account and self points."""
    evaluation = actions.save_self_assessment(
        actor=request.user,
        evaluation=_evaluation(request, evaluation_id),
        work_items=_items(payload.work_items),
        account=payload.account,
        self_points=payload.self_points,
        self_level=payload.self_level,
        submit=payload.submit,
    )
    return _evaluation_out(evaluation)


@router.post("/evaluations/{evaluation_id}/rate", response={200: EvaluationOut, **WRITE_ERRORS})
def evaluation_rate(
    request: AuthenticatedRequest, evaluation_id: int, payload: RateIn
) -> dict[str, Any]:
    """The head rates the evaluation: points per criterion, a comment, the work items."""
    evaluation = actions.rate_evaluation(
        actor=request.user,
        evaluation=_evaluation(request, evaluation_id),
        points=payload.points,
        comment=payload.comment,
        work_items=None if payload.work_items is None else _items(payload.work_items),
    )
    return _evaluation_out(evaluation)


@router.post("/evaluations/{evaluation_id}/approve", response={200: EvaluationOut, **WRITE_ERRORS})
def evaluation_approve(
    request: AuthenticatedRequest, evaluation_id: int, payload: ApproveIn
) -> dict[str, Any]:
    """The approver confirms the result, optionally correcting the points."""
    evaluation = actions.approve_evaluation(
        actor=request.user,
        evaluation=_evaluation(request, evaluation_id),
        points=payload.points,
        note=payload.note,
    )
    return _evaluation_out(evaluation)


CLASSIFICATION_ORDERING: dict[str, tuple[str, ...]] = {
    "official": ("official__full_name",),
    "unit": ("unit__path", "official__full_name"),
    "average_score": ("average_score",),
}


def _classification_out(row: AnnualClassification) -> dict[str, Any]:
    return {
        "id": row.pk,
        "official_id": row.official_id,
        "official_name": row.official.full_name,
        "unit_id": row.unit_id,
        "year": row.year,
        "rule_set": row.rule_set,
        "average_score": row.average_score,
        "state": _classification_state(row),
        "proposed_level": row.proposed_level,
        "final_level": row.final_level,
        "confirmed": row.is_locked(),
        "reasons": [explain(reason) for reason in row.reasons],
    }


@router.get("/classifications", response={200: ClassificationPage, **READ_ERRORS})
def classification_list(
    request: AuthenticatedRequest,
    year: int,
    unit: int | None = UnitFilter("Only officials of units in this unit's subtree."),
    ordering: str | None = Ordering(CLASSIFICATION_ORDERING, "unit"),
    limit: int = Limit(),
    offset: int = Offset(),
) -> dict[str, Any]:
    """A year's annual classifications; Civility's proposal until confirmed."""
    classifications = AnnualClassification.objects.visible_to(request.user).filter(year=year)
    if unit is not None:
        focus = get_object_or_404(OrgUnit.objects.visible_to(request.user), pk=unit)
        classifications = classifications.under(focus)
    rows = ordered(
        classifications.select_related("official"), ordering, CLASSIFICATION_ORDERING, "unit"
    )
    return paginate(request, rows, limit=limit, offset=offset, item=_classification_out)


@router.get("/figures", response={200: FiguresOut, **READ_ERRORS})
def figures_of(
    request: AuthenticatedRequest, month: datetime.date, unit: int | None = None
) -> dict[str, Any]:
    """Per unit subtree and month: levels, on-time submission, flagged officials, rotations."""
    focus = _focus(request, unit)
    result = figures.overview(focus, month, today=timezone.localdate())
    totals = result.month
    return {
        "unit_id": focus.pk,
        "month": totals.month,
        "evaluations": totals.evaluations,
        "approved": totals.approved,
        "levels": [
            {"level": value, "count": count, "percent": percent}
            for value, _label, count, percent in totals.level_rows()
        ],
        "submitted_on_time": totals.submitted_on_time,
        "on_time_rate": totals.on_time_rate,
        "flagged": result.flagged,
        "rotations_overdue": result.rotations_overdue,
        "rotations_due_soon": result.rotations_due_soon,
        "rotations_done": totals.rotations_done,
    }


@router.get("/rotation/due", response={200: RotationDuePage, **READ_ERRORS})
def rotation_due(
    request: AuthenticatedRequest,
    unit: int | None = UnitFilter(
        "The unit whose subtree is looked at; default the first unit the caller manages."
    ),
    within: int = 6,
    limit: int = Limit(),
    offset: int = Offset(),
) -> dict[str, Any]:
    """Officials not in a leadership post, in posts subject to periodic rotation, overdue for
    rotation or due within `within` months; deferred, excepted and retiring officials are
    left out. In due-date order (the longest in post first); no other ordering."""
    focus = _focus(request, unit)
    due, _excepted = figures.rotation_rows(
        focus, today=timezone.localdate(), within_months=max(0, min(within, 60))
    )
    return paginate(request, due, limit=limit, offset=offset, item=_rotation_out)


def _rotation_out(row: figures.RotationRow) -> dict[str, Any]:
    post = row.official.post
    assert post is not None  # rotation_rows lists officials in a post subject to rotation
    return {
        "official_id": row.official.pk,
        "official_name": row.official.full_name,
        "unit_id": row.official.unit_id,
        "post": post.name,
        "post_start_date": row.official.post_start_date,
        "due_on": row.due_on,
        "overdue": row.overdue,
        "planned": row.plan is not None,
        "retirement_exemption": row.retirement,
    }
