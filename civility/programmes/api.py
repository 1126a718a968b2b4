"""API for programmes, tasks, indicators and cultural titles, mounted at /api/v1/programmes/.

Reads are scoped like the pages; writes call the same actions as the pages.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.params.functions import Query as query_param
from pydantic import ConfigDict

from civility.core.api_lists import (
    Limit,
    Offset,
    Ordering,
    PageBase,
    UnitFilter,
    UpdatedSince,
    changed_since,
    ordered,
    paginate,
    property_examples,
)
from civility.core.http import AuthenticatedRequest
from civility.core.schemas import READ_ERRORS, WRITE_ERRORS, DecimalIn, DecimalString
from civility.orgs.context_processors import focus_within
from civility.orgs.models import OrgUnit
from civility.programmes import actions, figures
from civility.programmes.models import (
    ActualSource,
    CulturalTitle,
    Indicator,
    Programme,
    Task,
    TaskState,
    TaskStatus,
    vietnam_today,
)

router = Router(tags=["programmes"])

MAX_LIMIT = 500


class TaskFiguresOut(Schema):
    total: int
    done: int
    done_on_time: int
    done_late: int
    overdue: int
    in_progress: int
    not_started: int
    cancelled: int
    prolonged: int
    percent_done: DecimalString | None


class ProgrammeOut(Schema):
    id: int
    kind: str
    number: str
    title: str
    title_en: str
    unit_id: int
    starts_on: datetime.date
    ends_on: datetime.date

    model_config = ConfigDict(
        json_schema_extra=property_examples(
            id=2,
            kind="plan",
            number="15/KH-UBND",
            title="Kế hoạch xây dựng văn hóa công vụ 2026",
            title_en="Public-service culture plan 2026",
            unit_id=12,
            starts_on="2026-01-01",
            ends_on="2026-12-31",
        )
    )


class TaskOut(Schema):
    id: int
    programme_id: int
    parent_id: int | None
    number: str
    title: str
    assignee_unit_id: int
    assignee_unit_name: str
    assignee_official_id: int | None
    deadline: datetime.date
    original_deadline: datetime.date
    status: TaskStatus
    progress: int
    completed_on: datetime.date | None
    updated_at: datetime.datetime

    model_config = ConfigDict(
        json_schema_extra=property_examples(
            id=9,
            programme_id=2,
            parent_id=None,
            number="2.1",
            title="Tập huấn quy tắc ứng xử",
            assignee_unit_id=91,
            assignee_unit_name="Phường Tây Hồ",
            assignee_official_id=None,
            deadline="2026-06-30",
            original_deadline="2026-06-30",
            progress=60,
            completed_on=None,
            updated_at="2026-11-20T10:00:00+07:00",
        )
    )


class TaskPage(PageBase):
    items: list[TaskOut]


class ProgrammeFiguresOut(Schema):
    programme_id: int
    unit_id: int
    today: datetime.date
    figures: TaskFiguresOut
    delayed_or_prolonged: list[TaskOut]


class ProgressIn(Schema):
    progress: int = Field(ge=0, le=100)
    state: TaskState | None = None
    text: str = ""
    evidence_link: str = ""
    completed_on: datetime.date | None = Field(
        None, description="With state done: the day the work was finished (default today)."
    )

    model_config = ConfigDict(
        json_schema_extra=property_examples(
            progress=60,
            state="in_progress",
            text="Đã tập huấn 3/5 phường.",
            evidence_link="https://tayho.hanoi.gov.vn/tin-tuc/tap-huan",
            completed_on=None,
        )
    )


class IndicatorOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    measure: str
    aggregation: str
    frequency: str
    unit_id: int
    numerator_id: int | None
    denominator_id: int | None

    model_config = ConfigDict(
        json_schema_extra=property_examples(
            id=4,
            code="CCHC-1",
            name="Tỷ lệ hồ sơ giải quyết đúng hạn",
            name_en="Dossiers settled on time",
            measure="percent",
            aggregation="ratio",
            frequency="quarterly",
            unit_id=12,
            numerator_id=None,
            denominator_id=None,
        )
    )


class PerformanceOut(Schema):
    indicator_id: int
    unit_id: int
    year: int
    through: int | None
    actual: DecimalString | None
    target: DecimalString | None
    percent_of_plan: DecimalString | None
    same_period_last_year: DecimalString | None
    times_last_year: DecimalString | None


class ActualIn(Schema):
    unit_id: int
    year: int = Field(ge=2000, le=2100)
    period: int = Field(0, ge=0, le=12)
    value: DecimalIn = Field(max_digits=20, decimal_places=4)
    note: str = Field("", max_length=500)


class ActualOut(Schema):
    id: int
    indicator_id: int
    unit_id: int
    year: int
    period: int
    value: DecimalString
    note: str
    created: bool


class TitleFiguresOut(Schema):
    title: CulturalTitle
    year: int
    unit_id: int
    eligible: int | None
    assessed: int | None
    recognised: int
    maintained: int
    maintained_3_years: int
    percent_recognised: DecimalString | None
    target_percent: DecimalString | None


def _task_out(task: Task, today: datetime.date) -> dict[str, Any]:
    return {
        "id": task.pk,
        "programme_id": task.programme_id,
        "parent_id": task.parent_id,
        "number": task.number,
        "title": task.title,
        "assignee_unit_id": task.assignee_unit_id,
        "assignee_unit_name": task.assignee_unit.name,
        "assignee_official_id": task.assignee_official_id,
        "deadline": task.deadline,
        "original_deadline": task.original_deadline,
        "status": task.status(today),
        "progress": task.progress,
        "completed_on": task.completed_on,
        "updated_at": task.updated_at,
    }


def _figures_out(f: figures.TaskFigures) -> dict[str, Any]:
    return {**f.__dict__, "percent_done": f.percent_done}


class ProgrammePage(PageBase):
    items: list[ProgrammeOut]


class IndicatorPage(PageBase):
    items: list[IndicatorOut]


@router.get("", response={200: ProgrammePage, **READ_ERRORS})
def programme_list(
    request: HttpRequest, limit: int = Limit(), offset: int = Offset()
) -> dict[str, Any]:
    """Programmes issued in the caller's scope or above it."""
    programmes = Programme.objects.visible_to(request.user)
    return paginate(request, programmes, limit=limit, offset=offset)


@router.get("/{programme_id}/figures", response={200: ProgrammeFiguresOut, **READ_ERRORS})
def programme_figures(
    request: HttpRequest, programme_id: int, unit: int | None = None
) -> dict[str, Any]:
    """ "15 of 20 tasks done": counts by status for the unit (default: the programme's unit,
    or the caller's own part of it), each task counted once, and the delayed or prolonged
    tasks to review."""
    programme = get_object_or_404(Programme.objects.visible_to(request.user), pk=programme_id)
    focus = focus_within(request, programme.unit, unit)
    today = vietnam_today()
    tasks = programme.tasks.visible_to(request.user)
    delayed = (
        tasks.assigned_under(focus)
        .delayed_or_prolonged(today)
        .select_related("assignee_unit")
        .order_by("deadline")
    )
    return {
        "programme_id": programme.pk,
        "unit_id": focus.pk,
        "today": today,
        "figures": _figures_out(figures.task_figures(tasks.outermost_under(focus), today)),
        "delayed_or_prolonged": [_task_out(task, today) for task in delayed[:MAX_LIMIT]],
    }


TASK_ORDERING: dict[str, tuple[str, ...]] = {
    "deadline": ("deadline",),
    "updated_at": ("updated_at",),
}


@router.get("/{programme_id}/tasks", response={200: TaskPage, **READ_ERRORS})
def task_list(
    request: HttpRequest,
    programme_id: int,
    status: TaskStatus | None = None,
    unit: int | None = UnitFilter("Only tasks assigned to units in this unit's subtree."),
    updated_since: datetime.datetime | None = UpdatedSince,
    ordering: str | None = Ordering(TASK_ORDERING, "deadline"),
    limit: int = Limit(100),
    offset: int = Offset(),
) -> dict[str, Any]:
    """A programme's tasks the caller may see, with their status as of today in Vietnam."""
    programme = get_object_or_404(Programme.objects.visible_to(request.user), pk=programme_id)
    today = vietnam_today()
    tasks = programme.tasks.visible_to(request.user)
    if unit is not None:
        tasks = tasks.assigned_under(focus_within(request, programme.unit, unit))
    tasks = tasks.with_status(today) if status is None else tasks.with_status_filter(status, today)
    rows = changed_since(tasks.select_related("assignee_unit"), updated_since)
    rows = ordered(rows, ordering, TASK_ORDERING, "deadline")
    page = paginate(request, rows, limit=limit, offset=offset)
    return page | {"items": [_task_out(task, today) for task in page["items"]]}


@router.post("/tasks/{task_id}/progress", response={200: TaskOut, **WRITE_ERRORS})
def task_progress(
    request: AuthenticatedRequest, task_id: int, payload: ProgressIn
) -> dict[str, Any]:
    """Report progress; state "done" completes the task (late if after the deadline day in
    Vietnam)."""
    task = get_object_or_404(Task.objects.visible_to(request.user), pk=task_id)
    task = actions.report_progress(
        actor=request.user,
        task=task,
        progress=payload.progress,
        state=payload.state or "",
        text=payload.text,
        evidence_link=payload.evidence_link,
        completed_on=payload.completed_on,
    )
    return _task_out(task, vietnam_today())


@router.get("/indicators", response={200: IndicatorPage, **READ_ERRORS})
def indicator_list(
    request: HttpRequest, limit: int = Limit(100), offset: int = Offset()
) -> dict[str, Any]:
    """The indicators defined in or above the caller's units."""
    indicators = Indicator.objects.visible_to(request.user)
    return paginate(request, indicators, limit=limit, offset=offset)


# A year outside this is a typo, not a plan: 422 naming `year`, never a date out of range.
# ninja.Query's own function: mypy sees ninja.Query as a type (for `x: Query[Schema]`).
YEAR = query_param(..., ge=2000, le=2100, description="Calendar year.", example=2026)


@router.get("/indicators/{indicator_id}/performance", response={200: PerformanceOut, **READ_ERRORS})
def indicator_performance(
    request: HttpRequest,
    indicator_id: int,
    year: int = YEAR,
    unit: int | None = None,
    through: int | None = None,
) -> dict[str, Any]:
    """Year to date through period `through` vs the year's target (% of plan) and vs the same
    periods of last year."""
    indicator = get_object_or_404(Indicator.objects.visible_to(request.user), pk=indicator_id)
    focus = focus_within(request, indicator.unit, unit)
    result = figures.performance(indicator, focus, year, through)
    return {
        "indicator_id": indicator.pk,
        "unit_id": focus.pk,
        "year": year,
        "through": through,
        "actual": figures.quantize(result.actual, 4),
        "target": result.target,
        "percent_of_plan": result.percent_of_plan,
        "same_period_last_year": figures.quantize(result.last_year, 4),
        "times_last_year": result.times_last_year,
    }


@router.post(
    "/indicators/{indicator_id}/actuals",
    response={200: ActualOut, 201: ActualOut, **WRITE_ERRORS},
)
def actual_report(
    request: AuthenticatedRequest, indicator_id: int, payload: ActualIn
) -> Status[dict[str, Any]]:
    """Report an actual for a unit and period; sending it again corrects it (200)."""
    indicator = get_object_or_404(Indicator.objects.visible_to(request.user), pk=indicator_id)
    unit = get_object_or_404(OrgUnit.objects.visible_to(request.user), pk=payload.unit_id)
    actual, created = actions.record_actual(
        actor=request.user,
        indicator=indicator,
        unit=unit,
        year=payload.year,
        period=payload.period,
        value=payload.value,
        note=payload.note,
        source=ActualSource.API,
    )
    body = {
        "id": actual.pk,
        "indicator_id": indicator.pk,
        "unit_id": unit.pk,
        "year": actual.year,
        "period": actual.period,
        "value": actual.value,
        "note": actual.note,
        "created": created,
    }
    return Status(201 if created else 200, body)


@router.get("/titles/{title}/figures", response={200: TitleFiguresOut, **READ_ERRORS})
def title_figures(
    request: HttpRequest, title: CulturalTitle, unit: int, year: int = YEAR
) -> dict[str, Any]:
    """A cultural title's figures for a unit and year: households or units recognised against the
    target."""
    focus = get_object_or_404(OrgUnit.objects.visible_to(request.user), pk=unit)
    rule = actions.rule_for(focus, title, year)
    result = figures.title_figures(title, year, focus, rule=rule)
    return {
        "title": title,
        "year": year,
        "unit_id": focus.pk,
        "eligible": result.eligible,
        "assessed": result.assessed,
        "recognised": result.recognised,
        "maintained": result.maintained,
        "maintained_3_years": result.maintained_3_years,
        "percent_recognised": result.percent_recognised,
        "target_percent": result.target_percent,
    }
