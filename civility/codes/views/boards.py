"""Printable code boards with QR codes, and the public pages of the codes (no login)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from civility.codes import boards
from civility.codes.models import (
    Code,
    CodeAudience,
)
from civility.core.http import AuthenticatedRequest
from civility.orgs.context_processors import selected_unit
from civility.orgs.models import OrgUnit, Place, UnitKind

BOARD_UNIT_KINDS = (UnitKind.COUNTER, UnitKind.SERVICE_POINT, UnitKind.SERVICE_BRANCH)


def _board_code(request: HttpRequest, unit: OrgUnit, audience: str) -> Code:
    """The published code for the audience issued by the unit or one above it."""
    parts = unit.path.strip("/").split("/")
    ancestors = ["/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]
    codes = Code.objects.with_published().filter(unit__path__in=ancestors)
    code_id = request.GET.get("code")
    if code_id:
        if not code_id.isdigit():
            raise Http404
        return get_object_or_404(codes, pk=code_id)
    code = codes.filter(audience=audience).order_by("-unit__depth").first()
    if code is None:
        raise Http404(_("No published code applies here."))
    return code


def _under_published_code(audience: str, path_field: str) -> Q:
    """Rows whose unit lies under a unit that issued a published code for `audience`."""
    paths = (
        Code.objects.with_published()
        .filter(audience=audience)
        .values_list("unit__path", flat=True)
        .distinct()
    )
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{path_field}__startswith": path})
    return condition


def _board_response(
    request: AuthenticatedRequest,
    *,
    code: Code,
    where: str,
    feedback_path: str | None,
    slug: str,
) -> HttpResponse:
    """The printable board; its QR opens the feedback page where citizens rate (counters and
    places), else the public text of the code (service points and branches)."""
    size = request.GET.get("size", "A4").upper()
    if size not in boards.PAGE_SIZES:
        size = "A4"
    language = "en" if request.GET.get("lang") == "en" else "vi"
    version = code.published_version()
    if version is None:  # superseded since _board_code chose it
        raise Http404(_("No published code applies here."))
    pdf = boards.render_board(
        version=version,
        where=where,
        url=request.build_absolute_uri(feedback_path or code.get_public_url()),
        qr_caption=_("Scan to rate the service or tell us what happened")
        if feedback_path
        else _("Scan to read the whole code"),
        size=size,
        language=language,
        by=request.user,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="board-{slug}-{size}.pdf"'
    return response


@login_required
@require_GET
def board_index(request: AuthenticatedRequest) -> HttpResponse:
    unit = selected_unit(request)
    # Only where a published code applies (_board_code): elsewhere the board would be a 404.
    counters = (
        OrgUnit.objects.visible_to(request.user)
        .filter(kind__in=BOARD_UNIT_KINDS)
        .current()
        .filter(_under_published_code(CodeAudience.OFFICIALS, "path"))
    )
    places = (
        Place.objects.visible_to(request.user)
        .filter(_under_published_code(CodeAudience.PUBLIC_PLACES, "unit__path"))
        .select_related("unit")
    )
    if unit is not None:
        counters = counters.filter(path__startswith=unit.path)
        places = places.filter(unit__path__startswith=unit.path)
    return render(
        request,
        "codes/board_index.html",
        {"unit": unit, "counters": counters.order_by("path")[:300], "places": places[:300]},
    )


@login_required
@require_GET
def board_counter(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(OrgUnit.objects.visible_to(request.user), pk=pk)
    code = _board_code(request, unit, CodeAudience.OFFICIALS)
    feedback = (
        reverse("feedback:counter_feedback", args=[unit.pk])
        if unit.kind == UnitKind.COUNTER
        else None
    )
    return _board_response(
        request, code=code, where=unit.name, feedback_path=feedback, slug=f"counter-{unit.pk}"
    )


@login_required
@require_GET
def board_place(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    place = get_object_or_404(Place.objects.visible_to(request.user).select_related("unit"), pk=pk)
    code = _board_code(request, place.unit, CodeAudience.PUBLIC_PLACES)
    feedback = reverse("feedback:place_feedback", args=[place.pk])
    where = f"{place.name}, {place.unit.name}"
    return _board_response(
        request, code=code, where=where, feedback_path=feedback, slug=f"place-{place.pk}"
    )


def _content_language(request: HttpRequest) -> str:
    requested = request.GET.get("lang")
    if requested in ("vi", "en"):
        return requested
    return "en" if (request.LANGUAGE_CODE or "").startswith("en") else "vi"


@require_GET
def public_index(request: HttpRequest) -> HttpResponse:
    codes = Code.objects.with_published().select_related("unit").order_by("unit__name", "pk")
    return render(request, "codes/public_index.html", {"codes": codes})


@require_GET
def public_code(request: HttpRequest, slug: str) -> HttpResponse:
    code = get_object_or_404(Code.objects.with_published().select_related("unit"), slug=slug)
    version = code.published_version()
    if version is None:  # superseded since with_published() chose the code
        raise Http404
    language = _content_language(request)
    return render(
        request,
        "codes/public_code.html",
        {
            "code": code,
            "version": version,
            "chapters": version.chapters.prefetch_related("articles__clauses"),
            "content_language": language,
            "other_language": "vi" if language == "en" else "en",
        },
    )
