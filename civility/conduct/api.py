"""API for conduct records, mounted at /api/v1/conduct/ (civility/api.py).

Reads are scoped like the pages (handlers of the subtree and the official concerned); every
confidential record returned, alone or in a list, is audited like the page; writes call the
same actions.
"""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.params.functions import Query as query_param
from pydantic import ConfigDict, Field

from civility.conduct import actions
from civility.conduct.figures import conduct_figures
from civility.conduct.models import (
    READER_ROLES,
    Handling,
    RecordStatus,
    Severity,
    ViolationRecord,
    ViolationType,
)
from civility.conduct.rules import DisciplineForm
from civility.core.api_lists import (
    Limit,
    Offset,
    Ordering,
    PageBase,
    UnitFilter,
    UnitIdAlias,
    ordered,
    paginate,
    property_examples,
    unit_param,
)
from civility.core.http import AuthenticatedRequest
from civility.core.schemas import READ_ERRORS, WRITE_ERRORS, InputSchema
from civility.orgs.models import Official, OrgUnit
from civility.orgs.scopes import scope_of

router = Router(tags=["conduct"])

RECORD_ORDERING: dict[str, tuple[str, ...]] = {
    "occurred_on": ("occurred_on",),
    "reported_at": ("reported_at",),
}
OCCURRED_FROM = query_param(None, description="Occurred on or after this day.")
OCCURRED_TO = query_param(None, description="Occurred on or before this day.")


class TypeOut(Schema):
    id: int
    key: str
    version: int
    group: str
    title: str
    title_en: str
    default_severity: str
    related_to_duties: bool  # the suggestion for a disciplinary decision under this type
    wording: str
    is_empty_slot: bool
    is_current: bool

    model_config = ConfigDict(
        json_schema_extra=property_examples(
            id=3,
            key="thai-do-tiep-dan",
            version=1,
            group="attitude",
            title="Thái độ khi tiếp công dân",
            title_en="Manner when receiving citizens",
            default_severity="less_serious",
            related_to_duties=True,
            wording="Có thái độ hách dịch, cửa quyền khi tiếp công dân.",
            is_empty_slot=False,
            is_current=True,
        )
    )


# Record 57 as every answer about a record shows it: the list's summary (still being
# verified) and the full record (confirmed) add their own status to these.
RECORD_EXAMPLE: dict[str, object] = {
    "id": 57,
    "number": "VP-2026-057",
    "unit_id": 91,
    "official_id": 1201,
    "type_id": 3,
    "type_key": "thai-do-tiep-dan",
    "occurred_on": "2026-11-18",
    "source": "citizen",
    "severity": "less_serious",
}


class RecordSummary(Schema):
    id: int
    number: str
    unit_id: int
    official_id: int | None
    type_id: int | None
    type_key: str | None
    occurred_on: datetime.date
    source: str
    status: str
    outcome: str
    severity: str

    model_config = ConfigDict(
        json_schema_extra=property_examples(**RECORD_EXAMPLE, status="verifying", outcome="")
    )


class RecordPage(PageBase):
    items: list[RecordSummary]


class StepOut(Schema):
    kind: str
    from_status: str
    to_status: str
    at: datetime.datetime
    actor: str | None

    model_config = ConfigDict(
        json_schema_extra=property_examples(
            kind="confirmed",
            from_status="verifying",
            to_status="confirmed",
            at="2026-11-25T14:00:00+07:00",
            actor="Trần Văn Nam",
        )
    )


class RecordOut(RecordSummary):
    description: str
    location: str
    source_reference: str
    confidential: bool
    handling: str
    handling_note: str
    discipline_form: str
    decision_number: str
    decision_date: datetime.date | None
    rule_set: str
    related_to_duties: bool | None
    dismissal_reason: str
    reported_by: str | None
    steps: list[StepOut]

    model_config = ConfigDict(
        json_schema_extra=property_examples(
            **RECORD_EXAMPLE,
            status="confirmed",
            outcome="confirmed",
            description="Thái độ chưa lịch sự khi tiếp công dân.",
            location="Bộ phận một cửa",
            source_reference="Phản ánh số 112",
            confidential=True,
            handling="reminder",
            handling_note="Nhắc nhở tại cuộc họp cơ quan.",
            discipline_form="",
            decision_number="",
            decision_date=None,
            rule_set="nd-172-2025",
            related_to_duties=True,
            dismissal_reason="",
            reported_by="Trần Văn Nam",
        )
    )


class RecordIn(InputSchema):
    official_id: int | None = None
    unit_id: int | None = None
    type_id: int
    occurred_on: datetime.date
    source: Literal[
        "inspection", "surprise_check", "citizen", "supervisor", "self_report", "other_agency"
    ]
    description: str = Field(min_length=1, max_length=10_000)
    severity: Severity | Literal[""] = ""
    location: str = Field("", max_length=300)
    source_reference: str = Field("", max_length=300)
    source_url: str = Field("", max_length=500)
    confidential: bool = True
    links: list[str] = Field(default_factory=list, max_length=20)

    model_config = ConfigDict(
        json_schema_extra=property_examples(
            official_id=1201,
            unit_id=None,
            type_id=3,
            occurred_on="2026-11-18",
            source="citizen",
            description="Thái độ chưa lịch sự khi tiếp công dân.",
            severity="",
            location="Bộ phận một cửa",
            source_reference="Phản ánh số 112",
            source_url="",
            confidential=True,
            links=[],
        )
    )


class TransitionIn(InputSchema):
    to: Literal["verifying", "confirmed", "dismissed", "closed"]
    note: str = Field("", max_length=5000)
    reason: str = Field("", max_length=5000)
    handling: Handling | None = None
    severity: Severity | Literal[""] = ""
    handling_note: str = Field("", max_length=5000)
    discipline_form: DisciplineForm | Literal[""] = ""
    decision_number: str = Field("", max_length=64)
    decision_date: datetime.date | None = None
    # Required for a disciplinary measure: stated by the caller, never taken from the type.
    related_to_duties: bool | None = None

    model_config = ConfigDict(
        json_schema_extra=property_examples(
            to="confirmed",
            note="Đã xác minh với người phản ánh.",
            reason="",
            handling="reminder",
            severity="less_serious",
            handling_note="Nhắc nhở tại cuộc họp cơ quan.",
            discipline_form="",
            decision_number="",
            decision_date=None,
            related_to_duties=True,
        )
    )


class FigureRow(Schema):
    label: str
    key: str
    total: int
    confirmed: int


class OffenderOut(Schema):
    official_id: int
    full_name: str
    confirmed: int


class ConductFiguresOut(Schema):
    unit_id: int
    start: datetime.date
    end: datetime.date
    total: int
    confirmed: int
    dismissed: int
    open: int
    confirmed_rate: int | None
    officials: int
    per_100_officials: float | None
    median_days_to_decision: float | None
    mean_days_to_decision: float | None
    groups: list[FigureRow]
    types: list[FigureRow]
    repeat_threshold: int
    repeat_offender_count: int
    repeat_offenders: list[OffenderOut]


def _summary(record: ViolationRecord) -> dict[str, Any]:
    return {
        "id": record.pk,
        "number": record.number,
        "unit_id": record.unit_id,
        "official_id": record.official_id,
        "type_id": record.type_id,
        "type_key": record.type.key if record.type else None,
        "occurred_on": record.occurred_on,
        "source": record.source,
        "status": record.status,
        "outcome": record.outcome,
        "severity": record.severity,
    }


def _detail(request: AuthenticatedRequest, record: ViolationRecord) -> dict[str, Any]:
    show = actions.may_see_reporter(request.user, record)
    reporter = record.reported_by_id

    def name(user: User | None) -> str | None:
        return user.get_username() if user is not None else None

    return {
        **_summary(record),
        "description": record.description,
        "location": record.location,
        "source_reference": record.source_reference,
        "confidential": record.confidential,
        "handling": record.handling,
        "handling_note": record.handling_note,
        "discipline_form": record.discipline_form,
        "decision_number": record.decision_number,
        "decision_date": record.decision_date,
        "rule_set": record.rule_set,
        "related_to_duties": record.related_to_duties,
        "dismissal_reason": record.dismissal_reason,
        "reported_by": name(record.reported_by) if show else None,
        "steps": [
            {
                "kind": step.kind,
                "from_status": step.from_status,
                "to_status": step.to_status,
                "at": step.at,
                "actor": name(step.actor) if show or step.actor_id != reporter else None,
            }
            for step in record.steps.select_related("actor")
        ],
    }


class TypePage(PageBase):
    items: list[TypeOut]


@router.get("/types", response={200: TypePage, **READ_ERRORS})
def type_list(
    request: AuthenticatedRequest,
    include_retired: bool = False,
    limit: int = Limit(100),
    offset: int = Offset(),
) -> dict[str, Any]:
    """The catalogues that apply to the caller's units; empty slots are flagged."""
    types = ViolationType.objects.visible_to(request.user).select_related("group")
    if not include_retired:
        types = types.current()
    return paginate(request, types, limit=limit, offset=offset, item=_type_out)


def _type_out(t: ViolationType) -> dict[str, Any]:
    return {
        "id": t.pk,
        "key": t.key,
        "version": t.version,
        "group": t.group.key,
        "title": t.title,
        "title_en": t.title_en,
        "default_severity": t.default_severity,
        "related_to_duties": t.related_to_duties,
        "wording": t.text_status,
        "is_empty_slot": t.is_empty_slot(),
        "is_current": t.is_current(),
    }


@router.get("/records", response={200: RecordPage, **READ_ERRORS})
def record_list(
    request: AuthenticatedRequest,
    status: RecordStatus | None = None,
    unit: int | None = UnitFilter(),
    unit_id: int | None = UnitIdAlias(),
    start: datetime.date | None = OCCURRED_FROM,
    end: datetime.date | None = OCCURRED_TO,
    ordering: str | None = Ordering(RECORD_ORDERING, "-occurred_on"),
    limit: int = Limit(),
    offset: int = Offset(),
) -> dict[str, Any]:
    """Records the caller may read (summaries; each confidential one returned is audited)."""
    records = ViolationRecord.objects.visible_to(request.user).select_related("type", "unit")
    unit = unit_param(unit, unit_id)
    if unit is not None:
        focus = get_object_or_404(OrgUnit.objects.visible_to(request.user), pk=unit)
        records = records.under(focus)
    if status is not None:
        records = records.filter(status=status)
    rows = ordered(records.between(start, end), ordering, RECORD_ORDERING, "-occurred_on")
    page = paginate(request, rows, limit=limit, offset=offset)
    actions.read_records(actor=request.user, records=page["items"])
    return page | {"items": [_summary(r) for r in page["items"]]}


@router.get("/records/{record_id}", response={200: RecordOut, **READ_ERRORS})
def record_detail(request: AuthenticatedRequest, record_id: int) -> dict[str, Any]:
    """One violation record with its history; reading a confidential one is audited."""
    record = get_object_or_404(
        ViolationRecord.objects.visible_to(request.user).with_related(), pk=record_id
    )
    actions.read_record(actor=request.user, record=record)
    return _detail(request, record)


@router.post("/records", response={201: RecordOut, **WRITE_ERRORS})
def record_create(request: AuthenticatedRequest, payload: RecordIn) -> Status[dict[str, Any]]:
    """File a record about an official and/or a unit the caller handles."""
    data = payload.model_dump()
    official = unit = None
    if data["official_id"] is not None:
        official = Official.objects.filter(pk=data["official_id"]).first()
        if official is None or not (
            scope_of(request.user).covers(official.unit, roles=READER_ROLES)
            or official.user_id == request.user.pk
        ):
            raise ValidationError({"official_id": _("Choose an official you handle.")})
    if data["unit_id"] is not None:
        unit = OrgUnit.objects.visible_to(request.user).filter(pk=data["unit_id"]).first()
        if unit is None:
            raise ValidationError({"unit_id": _("Choose a unit you can see.")})
    violation_type = ViolationType.objects.filter(pk=data["type_id"]).first()
    if violation_type is None:
        raise ValidationError({"type_id": _("No such violation type.")})
    record = actions.report_violation(
        actor=request.user,
        official=official,
        unit=unit,
        violation_type=violation_type,
        occurred_on=data["occurred_on"],
        source=data["source"],
        description=data["description"],
        severity=data["severity"],
        location=data["location"],
        source_reference=data["source_reference"],
        source_url=data["source_url"],
        confidential=data["confidential"],
        links=tuple(data["links"]),
    )
    return Status(201, _detail(request, record))


@router.post("/records/{record_id}/transitions", response={200: RecordOut, **WRITE_ERRORS})
def record_transition(
    request: AuthenticatedRequest, record_id: int, payload: TransitionIn
) -> dict[str, Any]:
    """Move a record one step: verifying, confirmed (with handling), dismissed (with a
    reason) or closed. Any other move answers 422 and changes nothing."""
    record = get_object_or_404(ViolationRecord.objects.visible_to(request.user), pk=record_id)
    data = payload.model_dump()
    if data["to"] == RecordStatus.VERIFYING:
        record = actions.start_verification(actor=request.user, record=record, note=data["note"])
    elif data["to"] == RecordStatus.CONFIRMED:
        if data["handling"] is None:
            raise ValidationError({"handling": _("Choose how the violation is handled.")})
        record = actions.confirm_record(
            actor=request.user,
            record=record,
            handling=data["handling"],
            severity=data["severity"],
            handling_note=data["handling_note"],
            discipline_form=data["discipline_form"],
            decision_number=data["decision_number"],
            decision_date=data["decision_date"],
            related_to_duties=data["related_to_duties"],
        )
    elif data["to"] == RecordStatus.DISMISSED:
        record = actions.dismiss_record(actor=request.user, record=record, reason=data["reason"])
    else:
        record = actions.close_record(actor=request.user, record=record, note=data["note"])
    return _detail(request, ViolationRecord.objects.with_related().get(pk=record.pk))


@router.get("/figures", response={200: ConductFiguresOut, **READ_ERRORS})
def figures(
    request: AuthenticatedRequest,
    start: datetime.date,
    unit: int | None = UnitFilter(
        "The unit whose subtree is counted (required).", required_with_alias=True
    ),
    unit_id: int | None = UnitIdAlias(),
    end: datetime.date | None = None,
    threshold: int = query_param(2, ge=2, le=20),
) -> dict[str, Any]:
    """Figures for a unit's subtree: the caller must handle records there."""
    focus = get_object_or_404(
        OrgUnit.objects.filter(scope_of(request.user).q("path", roles=READER_ROLES)),
        pk=unit_param(unit, unit_id, required=True),
    )
    end = end or timezone.localdate()
    if end < start:
        raise ValidationError({"end": _("The end is before the start.")})
    result = conduct_figures(unit=focus, start=start, end=end, threshold=threshold)
    return {
        "unit_id": focus.pk,
        "start": start,
        "end": end,
        "total": result.total,
        "confirmed": result.confirmed,
        "dismissed": result.dismissed,
        "open": result.open,
        "confirmed_rate": result.confirmed_rate,
        "officials": result.officials,
        "per_100_officials": result.per_100_officials,
        "median_days_to_decision": result.median_days_to_decision,
        "mean_days_to_decision": result.mean_days_to_decision,
        "groups": [vars(row) for row in result.groups],
        "types": [vars(row) for row in result.types],
        "repeat_threshold": threshold,
        "repeat_offender_count": result.repeat_offender_count,
        "repeat_offenders": [
            {
                "official_id": row.official.pk,
                "full_name": row.official.full_name,
                "confirmed": row.confirmed,
            }
            for row in result.repeat_offenders
        ],
    }
