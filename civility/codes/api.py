"""API for codes and commitments, mounted at /api/v1/codes/ (civility/api.py).

Reads are scoped like the pages; signing calls the same action as the page.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from pydantic import ConfigDict

from civility.codes import actions, figures
from civility.codes.models import Code, CodeVersion, CommitmentCampaign, VersionStatus
from civility.core.api_lists import Limit, Offset, PageBase, paginate, property_examples
from civility.core.http import AuthenticatedRequest
from civility.core.schemas import READ_ERRORS, WRITE_ERRORS, error_answers
from civility.orgs.context_processors import focus_within

router = Router(tags=["codes"])

# No read here takes `ordering` or a unit under two names, the parameters answered 400.
CODE_READ_ERRORS = error_answers(READ_ERRORS.keys() - {400})


class CodeOut(Schema):
    id: int
    slug: str
    audience: str
    title: str
    title_en: str
    decision_no: str
    unit_id: int
    published_version: int | None

    model_config = ConfigDict(
        json_schema_extra=property_examples(
            id=3,
            slug="quy-tac-ung-xu-phuong-tay-ho",
            audience="officials",
            title="Quy tắc ứng xử của cán bộ, công chức phường Tây Hồ",
            title_en="Code of conduct of Tay Ho Ward's officials",
            decision_no="45/QĐ-UBND",
            unit_id=91,
            published_version=2,
        )
    )


class ClauseOut(Schema):
    kind: str
    text: str
    text_en: str

    model_config = ConfigDict(
        json_schema_extra=property_examples(
            kind="do",
            text="Mặc trang phục gọn gàng, đeo thẻ công chức.",
            text_en="Dress neatly and wear the civil servant card.",
        )
    )


class ArticleOut(Schema):
    number: int
    title: str
    title_en: str
    is_key: bool
    clauses: list[ClauseOut]


class ChapterOut(Schema):
    number: str
    title: str
    title_en: str
    articles: list[ArticleOut]


class VersionOut(Schema):
    id: int
    number: int
    label: str
    status: str
    effective_from: datetime.date | None
    target_groups: list[str]
    is_summary: bool
    chapters: list[ChapterOut]

    model_config = ConfigDict(
        json_schema_extra=property_examples(
            id=7,
            number=2,
            label="Sửa đổi 2026",
            status="published",
            effective_from="2026-01-01",
            target_groups=["officials"],
            is_summary=False,
        )
    )


class CompletionRowOut(Schema):
    unit_id: int
    unit_name: str
    officials: int
    signed: int
    percent: int


class CompletionOut(Schema):
    campaign_id: int
    unit_id: int
    officials: int
    signed: int
    percent: int
    units: list[CompletionRowOut]


class SignOut(Schema):
    campaign_id: int
    official_id: int
    signed_at: datetime.datetime
    created: bool


def _code_out(code: Code) -> dict[str, Any]:
    published = next(
        (v.number for v in code.versions.all() if v.status == VersionStatus.PUBLISHED), None
    )
    return {
        "id": code.pk,
        "slug": code.slug,
        "audience": code.audience,
        "title": code.title,
        "title_en": code.title_en,
        "decision_no": code.decision_no,
        "unit_id": code.unit_id,
        "published_version": published,
    }


class CodePage(PageBase):
    items: list[CodeOut]


@router.get("", response={200: CodePage, **CODE_READ_ERRORS})
def code_list(
    request: AuthenticatedRequest, limit: int = Limit(), offset: int = Offset()
) -> dict[str, Any]:
    """Codes issued by a unit in the caller's scope or above it."""
    codes = Code.objects.visible_to(request.user).prefetch_related("versions")
    return paginate(request, codes, limit=limit, offset=offset, item=_code_out)


@router.get("/{code_id}/versions/{number}", response={200: VersionOut, **CODE_READ_ERRORS})
def version_detail(request: AuthenticatedRequest, code_id: int, number: int) -> dict[str, Any]:
    """One version of a code of conduct with its chapters, articles and clauses."""
    version = get_object_or_404(
        CodeVersion.objects.visible_to(request.user), code_id=code_id, number=number
    )
    return {
        "id": version.pk,
        "number": version.number,
        "label": version.label,
        "status": version.status,
        "effective_from": version.effective_from,
        "target_groups": version.target_groups,
        "is_summary": version.is_summary,
        "chapters": actions.structure_of(version),
    }


@router.get(
    "/campaigns/{campaign_id}/completion", response={200: CompletionOut, **CODE_READ_ERRORS}
)
def campaign_completion(
    request: AuthenticatedRequest, campaign_id: int, unit: int | None = None
) -> dict[str, Any]:
    """Signed / asked, for the unit (default: the campaign's, or the caller's own part)."""
    campaign = get_object_or_404(
        CommitmentCampaign.objects.visible_to(request.user), pk=campaign_id
    )
    focus = focus_within(request, campaign.unit, unit)
    officials = campaign.officials().visible_to(request.user)
    whole, rows = figures.completion(campaign, officials, focus)
    return {
        "campaign_id": campaign.pk,
        "unit_id": focus.pk,
        "officials": whole.total,
        "signed": whole.signed,
        "percent": whole.percent,
        "units": [
            {
                "unit_id": row.unit.pk,
                "unit_name": row.unit.name,
                "officials": row.total,
                "signed": row.signed,
                "percent": row.percent,
            }
            for row in rows
        ],
    }


@router.post("/campaigns/{campaign_id}/sign", response={200: SignOut, 201: SignOut, **WRITE_ERRORS})
def campaign_sign(request: AuthenticatedRequest, campaign_id: int) -> tuple[int, dict[str, Any]]:
    """The caller (an official with an account) signs; signing again changes nothing (200)."""
    official = actions.official_of(request.user)
    if official is None:
        raise Http404
    campaign = get_object_or_404(CommitmentCampaign.objects.for_official(official), pk=campaign_id)
    commitment, created = actions.sign_commitment(actor=request.user, campaign=campaign)
    body = {
        "campaign_id": campaign.pk,
        "official_id": official.pk,
        "signed_at": commitment.signed_at,
        "created": created,
    }
    return (201 if created else 200), body
