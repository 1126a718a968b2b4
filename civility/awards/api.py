"""API for emulation and commendation, mounted at /api/v1/awards/ (civility/api.py).

Reads are scoped like the pages; the nomination endpoint calls the same action as the page.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from civility.awards import actions
from civility.awards.eligibility import Assessor, eligibility_rows, title_for
from civility.awards.figures import model_counts
from civility.awards.models import AwardDecision, AwardTitle, Nomination
from civility.core.api import JobAccepted, accepted
from civility.core.i18n import format_number
from civility.orgs.models import Official, OrgUnit
from civility.orgs.schemas import InputSchema, Message, ValidationMessage

router = Router(tags=["awards"])

READ_ERRORS = {401: Message, 403: Message, 404: Message, 422: ValidationMessage}
WRITE_ERRORS = {401: Message, 403: Message, 404: Message, 422: ValidationMessage}
MAX_LIMIT = 500


class TitleOut(Schema):
    id: int
    key: str
    version: int
    name: str
    name_en: str
    recipient: str
    form: str
    level: str
    rule_set: str
    valid_from: datetime.date
    valid_to: datetime.date | None
    multiplier: Decimal | None
    legal_basis: str
    conditions_note: str


class LineOut(Schema):
    condition: str
    status: str
    text: str


class AssessmentOut(Schema):
    official_id: int | None
    unit_id: int
    name: str
    verdict: str = Field(description="Eligibility computed by Civility, not a decision.")
    lines: list[LineOut]


class EligibilityOut(Schema):
    title_id: int
    year: int
    unit_id: int
    items: list[AssessmentOut]


class NominationOut(Schema):
    id: int
    title_id: int
    title_key: str
    year: int
    official_id: int | None
    unit_id: int
    status: str = Field(
        description=(
            "proposed and recommended: a proposal still under review, not an award; awarded: "
            "decided by a commendation decision; rejected or withdrawn: closed."
        )
    )
    verdict: str = Field(
        description="Eligibility computed by Civility when proposed, not a decision."
    )
    rule_set: str
    lines: list[LineOut]


class NominationPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[NominationOut]


class NominationIn(InputSchema):
    title_id: int
    year: int = Field(ge=2000, le=2100)
    official_id: int | None = None
    unit_id: int | None = None
    justification: str = Field(min_length=1, max_length=10_000)
    links: list[str] = Field(default_factory=list, max_length=20)


class AwardOut(Schema):
    title_key: str
    official_id: int | None
    unit_id: int
    recipient: str
    multiplier: Decimal | None
    bonus: Decimal | None


class DecisionOut(Schema):
    id: int
    number: str
    decided_on: datetime.date
    issuer: str
    year: int
    unit_id: int
    rule_set: str
    base_salary: Decimal | None
    base_salary_to_be_confirmed: bool
    bonus_rule: str
    awards: list[AwardOut]


class CountOut(Schema):
    category: str
    label: str
    models: int
    replications: int
    places: int


def _nomination(n: Nomination) -> dict:
    return {
        "id": n.pk,
        "title_id": n.title_id,
        "title_key": n.title.key,
        "year": n.year,
        "official_id": n.official_id,
        "unit_id": n.unit_id,
        "status": n.status,
        "verdict": n.verdict,
        "rule_set": n.rule_set,
        "lines": n.lines,
    }


@router.get("/titles", response={200: list[TitleOut], **READ_ERRORS})
def title_list(request: HttpRequest, include_old: bool = False):
    """The title catalogues that apply to the caller's units, with every version if asked."""
    titles = AwardTitle.objects.visible_to(request.user)
    if not include_old:
        titles = titles.current()
    return list(titles)


class EligibilityIn(InputSchema):
    title_id: int | None = Field(
        default=None, description="One title; none for every current title of the catalogue."
    )
    year: int = Field(ge=2000, le=2100)
    unit_id: int
    format: Literal["json", "xlsx"] = Field(
        default="json",
        description=(
            "The file the job writes: .json, `{year, unit_id, titles: [{title_id, title_key, "
            "items}]}` with items as GET /eligibility gives them; or the page's .xlsx."
        ),
    )


def _eligibility_scope(request: HttpRequest, title_id: int | None, unit_id: int):
    unit = get_object_or_404(OrgUnit.objects.visible_to(request.user), pk=unit_id)
    if title_id is None:
        title = None
    else:
        title = get_object_or_404(AwardTitle.objects.visible_to(request.user), pk=title_id)
    if not actions.can_read(request.user, unit):
        raise PermissionDenied
    if title is not None and not unit.path.startswith(title.unit.path):
        raise ValidationError({"title_id": _("This title is not in the catalogue for the unit.")})
    return title, unit


@router.get("/eligibility", response={200: EligibilityOut, **READ_ERRORS})
def eligibility(request: HttpRequest, title_id: int, year: int, unit_id: int):
    """Everyone (or, for a collective title, the unit and the units directly under it) with the
    computed verdict and one line per condition. A subtree too large to answer within a
    request (as on the page) answers 422: ask `POST /eligibility` for a background job."""
    title, unit = _eligibility_scope(request, title_id, unit_id)
    if actions.eligibility_in_background(unit):
        raise ValidationError(
            {
                "unit_id": _(
                    "This unit has more than %(count)s officials: ask for the list as a "
                    "background job (POST /api/v1/awards/eligibility)."
                )
                % {"count": format_number(actions.INLINE_ELIGIBILITY_OFFICIALS)}
            }
        )
    title = title_for(unit, title.key, year) or title
    rows = eligibility_rows(Assessor.for_unit(unit, year=year), unit, title)
    return {
        "title_id": title.pk,
        "year": year,
        "unit_id": unit.pk,
        "items": [row.as_dict() for row in rows],
    }


@router.post("/eligibility", response={202: JobAccepted, **WRITE_ERRORS})
def eligibility_job(request: HttpRequest, response: HttpResponse, payload: EligibilityIn):
    """Have a background job write the eligibility list of a title (or of every title) for a
    subtree of any size: `202` with the job; when it is done, `file_url` gives the file and
    `result.rows` the number of rows per title."""
    title, unit = _eligibility_scope(request, payload.title_id, payload.unit_id)
    if title is not None:
        title = title_for(unit, title.key, payload.year) or title
    job = actions.request_eligibility(
        actor=request.user,
        unit=unit,
        year=payload.year,
        title=title,
        file_format=payload.format,
    )
    return accepted(response, job)


class NominationFilter(Schema):
    year: int | None = None
    status: str | None = None
    limit: int = Field(100, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0)


@router.get("/nominations", response={200: NominationPage, **READ_ERRORS})
def nomination_list(request: HttpRequest, filters: Query[NominationFilter]):
    nominations = Nomination.objects.visible_to(request.user).select_related("title")
    if filters.year:
        nominations = nominations.filter(year=filters.year)
    if filters.status:
        nominations = nominations.filter(status=filters.status)
    page = nominations[filters.offset : filters.offset + filters.limit]
    return {
        "count": nominations.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [_nomination(n) for n in page],
    }


@router.post("/nominations", response={201: NominationOut, **WRITE_ERRORS})
def nomination_create(request: HttpRequest, payload: NominationIn):
    title = get_object_or_404(AwardTitle.objects.visible_to(request.user), pk=payload.title_id)
    official = unit = None
    if payload.official_id is not None:
        official = get_object_or_404(
            Official.objects.visible_to(request.user), pk=payload.official_id
        )
    if payload.unit_id is not None:
        unit = get_object_or_404(OrgUnit.objects.visible_to(request.user), pk=payload.unit_id)
    nomination = actions.propose_nomination(
        actor=request.user,
        title=title,
        year=payload.year,
        official=official,
        unit=unit,
        justification=payload.justification,
        links=tuple(payload.links),
    )
    return Status(201, _nomination(nomination))


@router.get("/decisions/{decision_id}", response={200: DecisionOut, **READ_ERRORS})
def decision_detail(request: HttpRequest, decision_id: int):
    decision = get_object_or_404(
        AwardDecision.objects.visible_to(request.user).select_related("base_salary_record"),
        pk=decision_id,
    )
    return {
        "id": decision.pk,
        "number": decision.number,
        "decided_on": decision.decided_on,
        "issuer": decision.issuer,
        "year": decision.year,
        "unit_id": decision.unit_id,
        "rule_set": decision.rule_set,
        "base_salary": decision.base_salary,
        "base_salary_to_be_confirmed": bool(
            decision.base_salary_record and decision.base_salary_record.to_be_confirmed
        ),
        "bonus_rule": decision.bonus_rule,
        "awards": [
            {
                "title_key": a.title_key,
                "official_id": a.official_id,
                "unit_id": a.unit_id,
                "recipient": a.recipient_name,
                "multiplier": a.multiplier,
                "bonus": a.bonus,
            }
            for a in decision.awards.select_related("official", "unit")
        ],
    }


@router.get("/models/counts", response={200: list[CountOut], **READ_ERRORS})
def model_count_list(request: HttpRequest, unit_id: int):
    """Where good models live in a subtree, by category: started there and replicated there."""
    unit = get_object_or_404(OrgUnit.objects.visible_to(request.user), pk=unit_id)
    return [
        {
            "category": c.category,
            "label": c.label,
            "models": c.models,
            "replications": c.replications,
            "places": c.places,
        }
        for c in model_counts(unit)
    ]
