"""Open311 GeoReport v2 for public-place reports, under /open311/v2/ (JSON only).

Standard names and shapes (https://wiki.open311.org/GeoReport_v2): services are the report
categories (service_code = category code); a service request's id is its receipt code;
`address_id` may name a Civility place id (its commune then receives the report). Errors are
`[{"code": <http status>, "description": "..."}]`. POST needs `api_key` only when the
deployment sets FEEDBACK_OPEN311_REQUIRE_KEY. Every post takes a token of the client's
THROTTLE_PUBLIC bucket; a created report one of its key's or client's report bucket.
The reporter's name, e-mail and phone are stored for the commune only and never returned;
device_id is ignored and nothing identifying the network is stored. The POST answer adds
`secret` (also in `service_notice`): shown once, it alone lets the reporter give their
verdict on the handling; the public id (the receipt code) never acts.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from civility.core import receipts
from civility.core.clients import client_network
from civility.feedback import actions, conf, throttle
from civility.feedback.models import (
    OPEN_STATUSES,
    PublicReport,
    ReportCategory,
    ReportChannel,
    ReportStatus,
)
from civility.orgs.models import Place

MAX_RESULTS = 1000
DEFAULT_DAYS = 90


def _error(status: int, description: str) -> JsonResponse:
    return JsonResponse([{"code": status, "description": description}], status=status, safe=False)


def _json(data, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def _iso(value: datetime.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _service(category: ReportCategory) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.display_name,
        "description": category.display_description,
        "metadata": False,
        "type": "realtime",
        "keywords": "",
        "group": "",
    }


def _request(report: PublicReport, request: HttpRequest) -> dict:
    notes = [update.note for update in report.public_updates() if update.note]
    rejected = report.status == ReportStatus.REJECTED
    return {
        "service_request_id": report.receipt,
        "status": "open" if report.status in OPEN_STATUSES else "closed",
        "status_notes": notes[-1] if notes else report.get_status_display(),
        "service_name": report.category.display_name,
        "service_code": report.category.code,
        "description": "" if rejected else report.description,
        "agency_responsible": report.unit.name,
        "service_notice": "",
        "requested_datetime": _iso(report.submitted_at),
        "updated_datetime": _iso(report.updated_at),
        "expected_datetime": _iso(report.due_at),
        "address": report.address or (report.place.name if report.place else ""),
        "address_id": str(report.place_id) if report.place_id else "",
        "zipcode": "",
        "lat": float(report.latitude) if report.latitude is not None else None,
        "long": float(report.longitude) if report.longitude is not None else None,
        "media_url": (
            request.build_absolute_uri(report.get_public_photo_url())
            if report.photo
            else report.media_url
        )
        if not rejected
        else "",
    }


def _format_ok(fmt: str):
    return None if fmt == "json" else _error(400, _("Only the json format is supported."))


@require_GET
def services(request: HttpRequest, fmt: str):
    if bad := _format_ok(fmt):
        return bad
    return _json([_service(c) for c in ReportCategory.objects.filter(is_active=True)])


@require_GET
def service_definition(request: HttpRequest, code: str, fmt: str):
    if bad := _format_ok(fmt):
        return bad
    category = ReportCategory.objects.filter(code=code, is_active=True).first()
    if category is None:
        return _error(404, _("No service has the code %(code)s.") % {"code": code})
    return _json({"service_code": category.code, "attributes": []})


@csrf_exempt
@require_http_methods(["GET", "POST"])
@throttle.limit("THROTTLE_PUBLIC", json=True)
def requests_(request: HttpRequest, fmt: str):
    if bad := _format_ok(fmt):
        return bad
    if request.method == "POST":
        return _create(request)
    return _list(request)


@require_GET
def request_detail(request: HttpRequest, request_id: str, fmt: str):
    if bad := _format_ok(fmt):
        return bad
    report = (
        PublicReport.objects.select_related("category", "unit", "place")
        .filter(receipt=receipts.as_shown(request_id))
        .first()
    )
    if report is None:
        return _error(404, _("No service request has the id %(id)s.") % {"id": request_id})
    return _json([_request(report, request)])


def _parse_date(value: str, name: str) -> datetime.datetime:
    parsed = parse_datetime(value)
    if parsed is None:
        raise ValueError(_("%(name)s must be a W3C date-time.") % {"name": name})
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _list(request: HttpRequest):
    reports = PublicReport.objects.public().select_related("category", "unit", "place")
    params = request.GET
    if ids := params.get("service_request_id"):
        codes = [receipts.as_shown(part) for part in ids.split(",") if part.strip()]
        reports = PublicReport.objects.select_related("category", "unit", "place").filter(
            receipt__in=codes[:MAX_RESULTS]
        )
        return _json([_request(r, request) for r in reports])
    try:
        end = _parse_date(params["end_date"], "end_date") if "end_date" in params else None
        start = _parse_date(params["start_date"], "start_date") if "start_date" in params else None
    except ValueError as exc:
        return _error(400, str(exc))
    if start is None:
        start = (end or timezone.now()) - datetime.timedelta(days=DEFAULT_DAYS)
    reports = reports.filter(submitted_at__gte=start)
    if end is not None:
        reports = reports.filter(submitted_at__lte=end)
    if codes := params.get("service_code"):
        reports = reports.filter(category__code__in=[c.strip() for c in codes.split(",")])
    status = params.get("status")
    if status == "open":
        reports = reports.filter(status__in=OPEN_STATUSES)
    elif status == "closed":
        reports = reports.exclude(status__in=OPEN_STATUSES)
    elif status:
        return _error(400, _("status must be open or closed."))
    reports = reports.order_by("-submitted_at")[:MAX_RESULTS]
    return _json([_request(r, request) for r in reports])


def _params(request: HttpRequest) -> dict:
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError as exc:
            raise ValidationError(_("The request body is not valid JSON.")) from exc
        if not isinstance(data, dict):
            raise ValidationError(_("The request body must be a JSON object."))
        return {key: str(value) if value is not None else "" for key, value in data.items()}
    return {key: request.POST.get(key, "") for key in request.POST}


def _decimal(value: str, name: str, low: int, high: int) -> Decimal | None:
    if not value.strip():
        return None
    try:
        number = Decimal(value.strip()).quantize(Decimal("0.000001"))
    except InvalidOperation as exc:
        raise ValidationError(_("%(name)s is not a number.") % {"name": name}) from exc
    if not low <= number <= high:
        raise ValidationError(_("%(name)s is out of range.") % {"name": name})
    return number


def _create(request: HttpRequest):
    try:
        params = _params(request)
    except ValidationError as exc:
        return _error(400, " ".join(exc.messages))
    key = params.get("api_key", "").strip()
    if key and key not in conf.open311_keys():
        return _error(403, _("api_key is not valid."))
    if not key and conf.open311_keys_required():
        return _error(403, _("api_key is required."))
    code = params.get("service_code", "").strip()
    if not code:
        return _error(400, _("service_code is required."))
    category = ReportCategory.objects.filter(code=code, is_active=True).first()
    if category is None:
        return _error(404, _("No service has the code %(code)s.") % {"code": code})
    place = None
    if address_id := params.get("address_id", "").strip():
        place = (
            Place.objects.select_related("unit")
            .filter(pk=int(address_id) if address_id.isdigit() else 0)
            .first()
        )
        if place is None:
            return _error(400, _("address_id is not a known place."))
    try:
        # The report's token is taken in the report's transaction, so a post refused as
        # invalid costs none: an integrator correcting its requests is not locked out. Every
        # post, valid or not, still counts against THROTTLE_PUBLIC (requests_).
        with transaction.atomic():
            throttle.spend([_report_bucket(request, key)])
            report, secret = _submit(request, params, category=category, place=place)
    except throttle.Throttled as exc:
        return throttle.too_many_requests(request, exc, json=True)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            field, messages = next(iter(exc.message_dict.items()))
            names = {"place": "lat/long/address_string", "longitude": "long", "photo": "media"}
            return _error(400, f"{names.get(field, field)}: {' '.join(messages)}")
        return _error(400, " ".join(exc.messages))
    notice = _(
        "Keep this code to follow your report: %(code)s (%(url)s). Your secret, shown only "
        "now, lets you say whether the handling satisfied you: %(secret)s"
    ) % {
        "code": report.receipt,
        "url": request.build_absolute_uri(reverse("feedback:receipt", args=[report.receipt])),
        "secret": secret,
    }
    return _json(
        [
            {
                "service_request_id": report.receipt,
                "service_notice": notice,
                "account_id": None,
                "secret": secret,
            }
        ],
        status=201,
    )


def _report_bucket(request: HttpRequest, key: str) -> throttle.Bucket:
    """Reports of one API key (twenty times a device's allowance), else of one client."""
    burst, refill = conf.report_bucket()
    if key:
        return throttle.key_for("o311-key", key), burst * 20, refill / 20
    return throttle.key_for("o311-net", client_network(request)), burst, refill


def _submit(
    request: HttpRequest, params: dict, *, category: ReportCategory, place: Place | None
) -> tuple[PublicReport, str]:
    """The report and its reporter's secret (shown once, in the answer)."""
    # Vietnamese order: the family name (Open311's last_name) first.
    name = " ".join(
        part
        for part in (params.get("last_name", "").strip(), params.get("first_name", "").strip())
        if part
    )
    return actions.submit_report(
        data=actions.ReportInput(
            category=category,
            description=params.get("description", ""),
            place=place,
            latitude=_decimal(params.get("lat", ""), "lat", -90, 90),
            longitude=_decimal(params.get("long", ""), "long", -180, 180),
            address=params.get("address_string", "")[:255],
            photo=request.FILES.get("media"),
            media_url=params.get("media_url", "")[:500],
            contact_name=name[:120],
            contact_email=params.get("email", "")[:254],
            contact_phone=params.get("phone", "")[:32],
        ),
        channel=ReportChannel.OPEN311,
    )
