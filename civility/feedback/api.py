"""API of the citizens' voice, mounted at /api/v1/feedback/ (civility/api.py).

Kiosk endpoints authenticate the counter's device (`Authorization: Bearer cvk_…`), not a
user: the device can rate, call for help and name who is on duty, for its own counter only.
Dossier figures and reads use the ordinary API tokens or session, scoped like the pages.
"""

from __future__ import annotations

import datetime
import math
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer
from pydantic import ConfigDict

from civility.core.api_lists import (
    Limit,
    Offset,
    Ordering,
    PageBase,
    UnitFilter,
    UnitIdAlias,
    UpdatedSince,
    changed_since,
    ordered,
    paginate,
    property_examples,
    unit_param,
)
from civility.core.http import ApiError, AuthenticatedRequest
from civility.core.schemas import READ_ERRORS, WRITE_ERRORS, error_answers
from civility.feedback import actions, conf, figures, stream, throttle
from civility.feedback.http import KioskRequest
from civility.feedback.limits import MAX_BATCH
from civility.feedback.models import DOSSIER_UNIT_KINDS, CounterDevice, DossierStat, Reason
from civility.feedback.scales import current_scale
from civility.feedback.schemas import RatingIn, StoredOut, rating_inputs
from civility.orgs.models import OrgUnit

router = Router(tags=["feedback"])

KIOSK_ERRORS = error_answers({401, 422, 429})


class KioskAuth(HttpBearer):
    openapi_bearerFormat = "cvk_…"
    openapi_description = (
        "A counter kiosk's device secret, sent as `Authorization: Bearer cvk_…`. A unit "
        "head registers the kiosk on the counter's page; the secret is shown once."
    )

    # The request ninja hands over is the one this method makes a KioskRequest (device).
    def authenticate(self, request: KioskRequest, token: str) -> CounterDevice:  # type: ignore[override]
        device = actions.authenticate_device(token)
        if device is None:
            raise AuthenticationError(message=_("Invalid or revoked kiosk key."))
        request.device = device
        if request.method == "GET":  # the kiosk loads its set-up at start and on reconnect
            actions.touch_device(device)
        return device


kiosk_auth = KioskAuth()


class BatchIn(Schema):
    ratings: list[RatingIn] = Field(max_length=MAX_BATCH)


class BatchOut(Schema):
    stored: int
    duplicates: int
    results: list[StoredOut]


class LevelOut(Schema):
    value: int
    label: str
    score: int
    emoji: str
    dissatisfied: bool

    model_config = ConfigDict(
        json_schema_extra=property_examples(
            value=1,
            label="Hài lòng",
            score=100,
            emoji="😊",
            dissatisfied=False,
        )
    )


class KioskOfficialOut(Schema):
    id: int
    full_name: str


class KioskOut(Schema):
    counter_id: int
    counter_name: str
    scale: str
    levels: list[LevelOut]
    reasons: list[tuple[str, str]]
    officials: list[KioskOfficialOut]
    on_duty_id: int | None
    stream_url: str

    model_config = ConfigDict(
        json_schema_extra=property_examples(
            counter_id=8,
            counter_name="Quầy 2 - Tư pháp",
            scale="smiley_3",
            on_duty_id=1201,
            reasons=[["waiting_time", "Thời gian chờ"]],
            stream_url="/feedback/kiosk/stream/",
        )
    )


class OnDutyIn(Schema):
    official_id: int | None


class CallOut(Schema):
    id: int
    created: bool
    raised_at: datetime.datetime


def kiosk_config(device: CounterDevice) -> dict[str, Any]:
    scale = current_scale()
    return {
        "counter_id": device.counter_id,
        "counter_name": device.counter.name,
        "scale": scale.key,
        "levels": [
            {
                "value": lv.value,
                "label": str(lv.label),
                "score": lv.score,
                "emoji": lv.emoji,
                "dissatisfied": lv.dissatisfied,
            }
            for lv in scale.levels
        ],
        "reasons": [(value, str(label)) for value, label in Reason.choices],
        "officials": list(actions.counter_officials(device.counter).values("id", "full_name")),
        "on_duty_id": actions.official_on_duty(device),
        "stream_url": reverse("feedback:stream")
        + "?t="
        + stream.make_token([device.counter.path], device=device),
    }


@router.get("/kiosk", auth=kiosk_auth, response={200: KioskOut, **KIOSK_ERRORS})
def kiosk(request: KioskRequest) -> dict[str, Any]:
    """What the kiosk shows: the scale, the reasons, the counter's officials."""
    return kiosk_config(request.device)


@router.post(
    "/kiosk/ratings", auth=kiosk_auth, response={201: StoredOut, 200: StoredOut, **KIOSK_ERRORS}
)
def kiosk_rating(request: KioskRequest, payload: RatingIn) -> Status[actions.Stored]:
    """One rating. 201 when stored, 200 when this client_id was already stored."""
    results = actions.kiosk_rate(device=request.device, ratings=rating_inputs([payload]))
    if results is None:
        raise _too_many_ratings()
    (result,) = results
    return Status(201 if result.stored else 200, result)


@router.post("/kiosk/ratings/batch", auth=kiosk_auth, response={200: BatchOut, **KIOSK_ERRORS})
def kiosk_batch(request: KioskRequest, payload: BatchIn) -> dict[str, Any]:
    """The kiosk's offline backlog, up to 500 ratings, stored all at once."""
    results = actions.kiosk_rate(device=request.device, ratings=rating_inputs(payload.ratings))
    if results is None:
        raise _too_many_ratings()
    stored = sum(result.stored for result in results)
    return {"stored": stored, "duplicates": len(results) - stored, "results": results}


def _too_many(message: str, retry_after: int) -> ApiError:
    """A 429 whose answer carries Retry-After (civility/api.py reads `retry_after`)."""
    return ApiError(429, message, retry_after=retry_after)


def _too_many_ratings() -> HttpError:
    # The kiosk's bucket refused: a token comes back after one refill period.
    _capacity, refill = conf.kiosk_bucket()
    return _too_many(
        _("Too many ratings from this kiosk; try again shortly."), max(1, math.ceil(refill))
    )


@router.put("/kiosk/on-duty", auth=kiosk_auth, response={200: KioskOut, **KIOSK_ERRORS})
def kiosk_on_duty(request: KioskRequest, payload: OnDutyIn) -> dict[str, Any]:
    """The kiosk says which official is on duty at its counter (device key)."""
    actions.set_on_duty(device=request.device, official_id=payload.official_id)
    return kiosk_config(request.device)


@router.post("/kiosk/assistance", auth=kiosk_auth, response={200: CallOut, **KIOSK_ERRORS})
def kiosk_assistance(request: KioskRequest) -> dict[str, Any]:
    """Call for help: staff of the counter and the unit head see it within a second."""
    try:
        call, created = actions.raise_assistance_call(
            counter=request.device.counter, source="kiosk"
        )
    except throttle.Throttled as exc:
        raise _too_many(_("Help has just been called; please wait."), exc.retry_after) from exc
    return {"id": call.pk, "created": created, "raised_at": call.raised_at}


# --- Dossier statistics and figures ---------------------------------------------------------


class DossierStatIn(Schema):
    unit_id: int
    period_start: datetime.date
    period_end: datetime.date
    received: int = Field(ge=0)
    processed: int = Field(ge=0)
    early: int = Field(ge=0)
    on_time: int = Field(ge=0)
    late: int = Field(ge=0)
    online: int = Field(ge=0, description="Dossiers received online (of `received`).")


class DossierStatOut(DossierStatIn):
    id: int
    online_share: float | None
    updated_at: datetime.datetime


class DossierPushOut(Schema):
    created: int
    updated: int


@router.put("/dossier-stats", response={200: DossierPushOut, **WRITE_ERRORS})
def push_dossier_stats(
    request: AuthenticatedRequest, payload: list[DossierStatIn]
) -> dict[str, int]:
    """Create or replace the figures per unit and period; all rows or none."""
    units = {
        unit.pk: unit
        for unit in OrgUnit.objects.visible_to(request.user).filter(
            pk__in={row.unit_id for row in payload}, kind__in=DOSSIER_UNIT_KINDS
        )
    }
    rows = []
    for index, row in enumerate(payload):
        unit = units.get(row.unit_id)
        if unit is None:
            raise HttpError(404, _("Item %(index)s: no such service point.") % {"index": index})
        rows.append(actions.DossierRow(unit=unit, **row.dict(exclude={"unit_id"})))
    created, updated = actions.save_dossier_stats(actor=request.user, rows=rows)
    return {"created": created, "updated": updated}


class DossierStatPage(PageBase):
    items: list[DossierStatOut]


DOSSIER_ORDERING = {"period_start": ("period_start",), "updated_at": ("updated_at",)}


@router.get("/dossier-stats", response={200: DossierStatPage, **READ_ERRORS})
def list_dossier_stats(
    request: HttpRequest,
    start: datetime.date,
    end: datetime.date,
    unit: int | None = UnitFilter(
        "The unit whose subtree is listed (required).", required_with_alias=True
    ),
    unit_id: int | None = UnitIdAlias(),
    updated_since: datetime.datetime | None = UpdatedSince,
    ordering: str | None = Ordering(DOSSIER_ORDERING, "-period_start"),
    limit: int = Limit(),
    offset: int = Offset(),
) -> dict[str, Any]:
    """Dossier figures of the periods within `start`..`end`, for a unit's subtree."""
    focus = get_object_or_404(
        OrgUnit.objects.visible_to(request.user), pk=unit_param(unit, unit_id, required=True)
    )
    stats = DossierStat.objects.visible_to(request.user).filter(
        unit__path__startswith=focus.path, period_start__gte=start, period_end__lte=end
    )
    rows = ordered(changed_since(stats, updated_since), ordering, DOSSIER_ORDERING, "-period_start")
    return paginate(request, rows, limit=limit, offset=offset, item=_dossier_stat)


def _dossier_stat(stat: DossierStat) -> dict[str, Any]:
    return {
        "id": stat.pk,
        "unit_id": stat.unit_id,
        "period_start": stat.period_start,
        "period_end": stat.period_end,
        "received": stat.received,
        "processed": stat.processed,
        "early": stat.early,
        "on_time": stat.on_time,
        "late": stat.late,
        "online": stat.online,
        "online_share": stat.online_share(),
        "updated_at": stat.updated_at,
    }


class RateOut(Schema):
    key: str
    label: str
    source: str
    available: bool = Field(
        description="False: Civility holds no valid source; the figure is the portal's."
    )
    part: int | None
    whole: int | None
    rate: float | None

    model_config = ConfigDict(
        json_schema_extra=property_examples(
            key="satisfaction",
            label="Tỷ lệ hài lòng",
            source="civility",
            available=True,
            part=118,
            whole=125,
            rate=94.4,
        )
    )


class Decision766Out(Schema):
    """Decision 766/QĐ-TTg's figures from administrative-procedure sources Civility holds."""

    satisfaction_rates: list[RateOut]
    dossiers_received: int
    dossiers_processed: int
    dossiers_early: int
    dossiers_on_time: int
    dossiers_late: int
    dossiers_online: int
    dossier_on_time_rate: float | None
    online_share: float | None


class ReportHandlingOut(Schema):
    """Civility's own indicator for public-place reports; not a Decision 766 rate."""

    reports_closed: int
    reports_closed_on_time: int
    on_time_rate: float | None
    handling_answers: int
    handling_satisfied: int
    handling_satisfaction_rate: float | None

    model_config = ConfigDict(
        json_schema_extra=property_examples(
            reports_closed=12,
            reports_closed_on_time=9,
            on_time_rate=75.0,
            handling_answers=8,
            handling_satisfied=6,
            handling_satisfaction_rate=75.0,
        )
    )


class FeedbackFiguresOut(Schema):
    unit_id: int
    start: datetime.date
    end: datetime.date
    ratings: int
    satisfaction_rate: float | None
    mean_score: float | None
    levels: list[dict[str, Any]]
    top_reasons: list[tuple[str, int]]
    assistance_calls: int
    median_response_seconds: float | None
    decision_766: Decision766Out
    public_report_handling: ReportHandlingOut

    model_config = ConfigDict(
        json_schema_extra=property_examples(
            levels=[{"level": 1, "label": "Rất hài lòng", "count": 120}],
            top_reasons=[["waiting_time", 14]],
        )
    )


@router.get("/figures", response={200: FeedbackFiguresOut, **READ_ERRORS})
def get_figures(
    request: HttpRequest,
    unit: int | None = UnitFilter(
        "The unit whose subtree is counted (required).", required_with_alias=True
    ),
    unit_id: int | None = UnitIdAlias(),
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> dict[str, Any]:
    """Ratings, calls, what Civility holds of Decision 766's figures (rates it has no
    source for come with `available: false`) and Civility's own public-report indicator,
    for a unit's subtree."""
    focus = get_object_or_404(
        OrgUnit.objects.visible_to(request.user), pk=unit_param(unit, unit_id, required=True)
    )
    end = end or timezone.localdate()
    start = start or end.replace(day=1)
    if start > end:
        raise HttpError(422, _("start must not be after end."))
    data = figures.rating_figures(start=start, end=end, unit=focus)
    return {
        "unit_id": focus.pk,
        "start": start,
        "end": end,
        "ratings": data.ratings,
        "satisfaction_rate": data.satisfaction_rate,
        "mean_score": data.mean_score,
        "levels": [share.__dict__ for share in data.levels],
        "top_reasons": data.top_reasons,
        "assistance_calls": data.calls,
        "median_response_seconds": data.median_response_s,
        "decision_766": figures.decision_766(unit=focus, start=start, end=end),
        "public_report_handling": figures.report_handling(unit=focus, start=start, end=end),
    }
