"""API for emulation and commendation, mounted at /api/v1/awards/ (civility/api.py).

Reads are scoped like the pages; the nomination and earlier-decision endpoints call the same
actions as the pages.
"""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import ConfigDict, Field

from civility.awards import actions
from civility.awards.eligibility.assessor import Assessor, eligibility_rows
from civility.awards.eligibility.quotas import title_for
from civility.awards.figures import model_counts
from civility.awards.models.catalogue import AwardTitle
from civility.awards.models.decisions import AwardDecision
from civility.awards.models.movements import Movement
from civility.awards.models.nominations import Nomination
from civility.core.api import JobAccepted, accepted
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
from civility.core.i18n import format_number
from civility.core.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    DecimalString,
    InputSchema,
    error_answers,
)
from civility.orgs.models import Official, OrgUnit

router = Router(tags=["awards"])

# A unit the caller sees but whose eligibility it may not read answers 403.
AWARD_READ_ERRORS = error_answers(READ_ERRORS.keys() | {403})


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
    multiplier: DecimalString | None
    legal_basis: str
    conditions_note: str

    model_config = ConfigDict(
        json_schema_extra=property_examples(
            recipient="individual",
            form="title",
            level="commune",
            rule_set="nd-152-2025",
            legal_basis="Nghị định 152/2025/NĐ-CP",
            conditions_note="",
        )
    )


class LineOut(Schema):
    condition: str
    status: str
    text: str

    model_config = ConfigDict(
        json_schema_extra=property_examples(
            condition="completed_tasks",
            status="met",
            text="Hoàn thành xuất sắc nhiệm vụ trong năm.",
        )
    )


class AssessmentOut(Schema):
    official_id: int | None
    unit_id: int
    name: str
    verdict: str = Field(description="Eligibility computed by Civility, not a decision.")
    lines: list[LineOut]

    model_config = ConfigDict(
        json_schema_extra=property_examples(
            name="Nguyễn Thị Lan",
            verdict="eligible",
        )
    )


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

    model_config = ConfigDict(
        json_schema_extra=property_examples(
            id=301,
            title_id=5,
            title_key="advanced-worker",
            year=2026,
            official_id=1201,
            unit_id=91,
            status="proposed",
            verdict="eligible",
            rule_set="hanoi-2024",
            lines=[
                {
                    "condition": "classification",
                    "status": "met",
                    "text": "Classified 'completed its tasks well' or better in 2026.",
                }
            ],
        )
    )


class NominationPage(PageBase):
    items: list[NominationOut]


class NominationIn(InputSchema):
    title_id: int
    year: int = Field(ge=2000, le=2100)
    official_id: int | None = None
    unit_id: int | None = None
    justification: str = Field(min_length=1, max_length=10_000)
    links: list[str] = Field(default_factory=list, max_length=20)

    model_config = ConfigDict(
        json_schema_extra=property_examples(
            title_id=5,
            year=2026,
            official_id=1201,
            unit_id=None,
            justification="Hoàn thành xuất sắc việc tiếp nhận hồ sơ một cửa năm 2026.",
            links=["https://civility.example/documents/4410"],
        )
    )


class PastAwardIn(InputSchema):
    title_key: str = Field(min_length=1, max_length=60, description="Key of the title.")
    official_id: int | None = Field(default=None, description="For a title given to people.")
    unit_id: int | None = Field(default=None, description="For a collective title.")

    model_config = ConfigDict(
        json_schema_extra=property_examples(
            title_key="lao-dong-tien-tien",
            official_id=1201,
            unit_id=None,
        )
    )


class PastDecisionIn(InputSchema):
    unit_id: int = Field(description="Issuing unit; a former one if it existed on the date.")
    number: str = Field(min_length=1, max_length=64)
    decided_on: datetime.date
    issuer: str = Field(min_length=1, max_length=300)
    year: int | None = Field(
        default=None,
        ge=2000,
        le=2100,
        description="Year of the achievements (default: the decision's).",
    )
    movement_id: int | None = None
    note: str = Field(default="", max_length=10_000)
    awards: list[PastAwardIn] = Field(min_length=1, max_length=5000)

    model_config = ConfigDict(
        json_schema_extra=property_examples(
            unit_id=91,
            number="98/QĐ-UBND",
            decided_on="2024-12-20",
            issuer="Chủ tịch UBND phường Tây Hồ",
            year=2024,
            movement_id=None,
            note="",
            awards=[{"title_key": "lao-dong-tien-tien", "official_id": 1201}],
        )
    )


class AwardOut(Schema):
    title_key: str
    official_id: int | None
    unit_id: int
    recipient: str
    multiplier: DecimalString | None
    bonus: DecimalString | None

    model_config = ConfigDict(
        json_schema_extra=property_examples(
            title_key="lao-dong-tien-tien",
            recipient="individual",
        )
    )


class DecisionOut(Schema):
    id: int
    number: str
    decided_on: datetime.date
    issuer: str
    year: int
    unit_id: int
    rule_set: str
    source: str = Field(
        description="board: decided through Civility; recorded: an earlier "
        "decision recorded for the archive, with no nomination or vote."
    )
    movement_id: int | None
    base_salary: DecimalString | None
    base_salary_to_be_confirmed: bool
    bonus_rule: str
    awards: list[AwardOut]

    model_config = ConfigDict(
        json_schema_extra=property_examples(
            number="125/QĐ-UBND",
            issuer="Chủ tịch UBND phường Tây Hồ",
            rule_set="nd-152-2025",
            source="board",
            bonus_rule="nd-152-2025",
        )
    )


class CountOut(Schema):
    category: str
    label: str
    models: int
    replications: int
    places: int
    count_only: int = Field(0, description="Models known only by a yearly total, apart.")

    model_config = ConfigDict(
        json_schema_extra=property_examples(
            category="administrative_reform",
            label="Cải cách hành chính",
        )
    )


def _nomination(n: Nomination) -> dict[str, Any]:
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


class TitlePage(PageBase):
    items: list[TitleOut]


TITLE_ORDERING = {
    "catalogue": ("unit__path", "recipient", "level", "key", "version"),
    "key": ("key", "version"),
    "valid_from": ("valid_from",),
}


@router.get("/titles", response={200: TitlePage, **AWARD_READ_ERRORS})
def title_list(
    request: AuthenticatedRequest,
    include_old: bool = False,
    unit: int | None = UnitFilter(
        "Only the titles that apply to this unit: its own catalogue and those above it "
        "(a catalogue applies downwards, so this is not a subtree)."
    ),
    ordering: str | None = Ordering(TITLE_ORDERING, "catalogue"),
    limit: int = Limit(),
    offset: int = Offset(),
) -> dict[str, Any]:
    """The title catalogues that apply to the caller's units, with every version if asked."""
    titles = AwardTitle.objects.visible_to(request.user)
    if unit is not None:
        titles = titles.for_unit(
            get_object_or_404(OrgUnit.objects.visible_to(request.user), pk=unit)
        )
    if not include_old:
        titles = titles.current()
    return paginate(
        request, ordered(titles, ordering, TITLE_ORDERING, "catalogue"), limit=limit, offset=offset
    )


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


def _eligibility_scope(
    request: AuthenticatedRequest, title_id: int | None, unit_id: int | None
) -> tuple[AwardTitle | None, OrgUnit]:
    """The title (if one is asked) and the unit assessed, both in the caller's scope; a
    missing `unit_id` (unit_param refused it already) finds nothing."""
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


@router.get("/eligibility", response={200: EligibilityOut, **AWARD_READ_ERRORS})
def eligibility(
    request: AuthenticatedRequest,
    title_id: int,
    year: int,
    unit: int | None = UnitFilter(
        "The unit whose officials (or units) are assessed.", required_with_alias=True
    ),
    unit_id: int | None = UnitIdAlias(),
) -> dict[str, Any]:
    """Everyone (or, for a collective title, the unit and the units directly under it) with the
    computed verdict and one line per condition. A subtree too large to answer within a
    request (as on the page) answers 422: ask `POST /eligibility` for a background job."""
    found, assessed = _eligibility_scope(
        request, title_id, unit_param(unit, unit_id, required=True)
    )
    if found is None:  # title_id is required here
        raise Http404
    if actions.eligibility_in_background(assessed):
        raise ValidationError(
            {
                "unit": _(
                    "This unit has more than %(count)s officials: ask for the list as a "
                    "background job (POST /api/v1/awards/eligibility)."
                )
                % {"count": format_number(actions.INLINE_ELIGIBILITY_OFFICIALS)}
            }
        )
    title = title_for(assessed, found.key, year) or found
    rows = eligibility_rows(Assessor.for_unit(assessed, year=year), assessed, title)
    return {
        "title_id": title.pk,
        "year": year,
        "unit_id": assessed.pk,
        "items": [row.as_dict() for row in rows],
    }


@router.post("/eligibility", response={202: JobAccepted, **WRITE_ERRORS})
def eligibility_job(
    request: AuthenticatedRequest, response: HttpResponse, payload: EligibilityIn
) -> Status[dict[str, Any]]:
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


NOMINATION_ORDERING = {"year": ("year", "proposed_at"), "proposed_at": ("proposed_at",)}


@router.get("/nominations", response={200: NominationPage, **AWARD_READ_ERRORS})
def nomination_list(
    request: AuthenticatedRequest,
    year: int | None = None,
    status: str | None = None,
    unit: int | None = UnitFilter("Only nominations of units in this unit's subtree."),
    ordering: str | None = Ordering(NOMINATION_ORDERING, "-year"),
    limit: int = Limit(100),
    offset: int = Offset(),
) -> dict[str, Any]:
    """Nominations the caller may see; `status` tells a proposal from a decision."""
    nominations = Nomination.objects.visible_to(request.user).select_related("title")
    if year:
        nominations = nominations.filter(year=year)
    if status:
        nominations = nominations.filter(status=status)
    if unit is not None:
        focus = get_object_or_404(OrgUnit.objects.visible_to(request.user), pk=unit)
        nominations = nominations.filter(unit__path__startswith=focus.path)
    return paginate(
        request,
        ordered(nominations, ordering, NOMINATION_ORDERING, "-year"),
        limit=limit,
        offset=offset,
        item=_nomination,
    )


@router.post("/nominations", response={201: NominationOut, **WRITE_ERRORS})
def nomination_create(
    request: AuthenticatedRequest, payload: NominationIn
) -> Status[dict[str, Any]]:
    """Propose an official or a unit for a title and year: a proposal, not an award, until a
    decision."""
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


@router.get("/decisions/{decision_id}", response={200: DecisionOut, **AWARD_READ_ERRORS})
def decision_detail(request: AuthenticatedRequest, decision_id: int) -> dict[str, Any]:
    """One award decision with the awards it grants and the base salary it was computed from."""
    decision = get_object_or_404(
        AwardDecision.objects.visible_to(request.user).select_related("base_salary_record"),
        pk=decision_id,
    )
    return _decision(decision)


@router.post("/earlier-decisions", response={201: DecisionOut, **WRITE_ERRORS})
def past_decision_create(
    request: AuthenticatedRequest, payload: PastDecisionIn
) -> Status[dict[str, Any]]:
    """Record an earlier decision for the archive (no nominations or votes), as the page
    "Record an earlier decision" does; many at once: the spreadsheet import."""
    unit = get_object_or_404(OrgUnit.objects.visible_to(request.user), pk=payload.unit_id)
    movement = None
    if payload.movement_id is not None:
        movement = get_object_or_404(
            Movement.objects.visible_to(request.user), pk=payload.movement_id
        )
    official_ids = {a.official_id for a in payload.awards if a.official_id is not None}
    unit_ids = {a.unit_id for a in payload.awards if a.unit_id is not None}
    officials = Official.objects.visible_to(request.user).in_bulk(official_ids)
    units = OrgUnit.objects.visible_to(request.user).in_bulk(unit_ids)
    awards = []
    for line in payload.awards:
        official, recipient = officials.get(line.official_id), units.get(line.unit_id)
        if (official is None) == (recipient is None):
            raise ValidationError(
                {"awards": _("Each line names one official or one unit you can see.")}
            )
        if official and official.left_on and not official.is_in_post_on(payload.decided_on):
            raise ValidationError(
                {
                    "awards": _("%(name)s had left on %(left)s, before the decision date.")
                    % {"name": official.full_name, "left": official.left_on.strftime("%d/%m/%Y")}
                }
            )
        awards.append(actions.PastAward(line.title_key, official=official, unit=recipient))
    decision = actions.record_earlier_decision(
        actor=request.user,
        unit=unit,
        number=payload.number,
        decided_on=payload.decided_on,
        issuer=payload.issuer,
        year=payload.year or payload.decided_on.year,
        movement=movement,
        awards=awards,
        note=payload.note,
    )
    return Status(201, _decision(decision))


def _decision(decision: AwardDecision) -> dict[str, Any]:
    return {
        "id": decision.pk,
        "number": decision.number,
        "decided_on": decision.decided_on,
        "issuer": decision.issuer,
        "year": decision.year,
        "unit_id": decision.unit_id,
        "rule_set": decision.rule_set,
        "source": decision.source,
        "movement_id": decision.movement_id,
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


@router.get("/models/counts", response={200: list[CountOut], **AWARD_READ_ERRORS})
def model_count_list(
    request: AuthenticatedRequest,
    unit: int | None = UnitFilter(
        "The unit whose subtree is counted (required).", required_with_alias=True
    ),
    unit_id: int | None = UnitIdAlias(),
) -> list[dict[str, Any]]:
    """Where good models live in a subtree, by category: started there and replicated there."""
    focus = get_object_or_404(
        OrgUnit.objects.visible_to(request.user), pk=unit_param(unit, unit_id, required=True)
    )
    return [
        {
            "category": c.category,
            "label": c.label,
            "models": c.models,
            "replications": c.replications,
            "places": c.places,
            "count_only": c.count_only,
        }
        for c in model_counts(focus)
    ]
