"""The public scorecards (civility/insights/scorecards.py): open to anyone, no login. Every
unit of the deployment of a scorecard kind has one; any other id is a 404."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from civility.core.exports import csv_text
from civility.core.listing import paginate
from civility.insights import scorecards
from civility.insights.forms import parse_period
from civility.orgs.models import OrgUnit

SEARCH_MAX = 100


@require_GET
def scorecard_list(request: HttpRequest) -> HttpResponse:
    """Communes, wards and service points, found by name without diacritics ("tay ho");
    units that have ended are listed too (citizens still search by the old name), marked."""
    text = request.GET.get("q", "")[:SEARCH_MAX]
    units = (
        OrgUnit.objects.filter(kind__in=scorecards.LISTED_KINDS)
        .search(text)
        .select_related("parent")
    )
    listing = paginate(request, units, sorts={"name": ("name",)}, default="name")
    context = {"listing": listing, "q": text, "today": timezone.localdate()}
    return render(request, "insights/scorecard_list.html", context)


def _scorecard(request: HttpRequest, unit_id: int) -> tuple[scorecards.Scorecard, str | None]:
    unit = get_object_or_404(
        OrgUnit.objects.filter(kind__in=scorecards.SCORECARD_KINDS).select_related("parent"),
        pk=unit_id,
    )
    today = timezone.localdate()
    period, error = parse_period(request.GET.get("period"), scorecards.default_period(unit, today))
    return scorecards.scorecard(unit, period, today=today), error


@require_GET
def scorecard_detail(request: HttpRequest, unit_id: int) -> HttpResponse:
    card, period_error = _scorecard(request, unit_id)
    return render(
        request,
        "insights/scorecard.html",
        {
            "card": card,
            "period_error": period_error,
            "previous": card.period.previous(),
            "following": card.period.following(),
            "own": next((row for row in card.siblings if row.is_self), None),
        },
    )


def _filename(card: scorecards.Scorecard, extension: str) -> str:
    return f"scorecard-{card.unit.pk}-{card.period.slug}.{extension}"


def _bad_period(error: str) -> HttpResponse:
    return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")


@require_GET
def scorecard_csv(request: HttpRequest, unit_id: int) -> HttpResponse:
    card, error = _scorecard(request, unit_id)
    if error:
        return _bad_period(error)
    text = csv_text([scorecards.headers(), *scorecards.rows(card)], scorecards.provenance(card))
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(card, "csv")}"'
    return response


@require_GET
def scorecard_json(request: HttpRequest, unit_id: int) -> HttpResponse:
    card, error = _scorecard(request, unit_id)
    if error:
        return _bad_period(error)
    response = JsonResponse(scorecards.as_json(card), json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = f'inline; filename="{_filename(card, "json")}"'
    return response
