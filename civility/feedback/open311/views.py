"""The Open311 operations: discovery, services, service definitions, requests (list, one,
file), tokens and FixMyStreet's servicerequestupdates (read, post).

Every operation answers in the format of its suffix, errors included (400 bad parameter,
403 api_key, 404 unknown service, request, jurisdiction or path, 405 method, 429 throttled);
GETs answer HEAD; texts follow Accept-Language (vi, en). An empty parameter is one not
given; `status`, `service_code` and `service_request_id` take comma lists. Nothing returned
names or reaches a reporter: their name, e-mail and phone go to the commune only.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from civility.core import receipts
from civility.feedback import conf, throttle
from civility.feedback.models import (
    OPEN_STATUSES,
    PublicReport,
    PublicReportQuerySet,
    ReportCategory,
    ReportStatus,
    ReportUpdate,
)
from civility.feedback.open311 import filing
from civility.feedback.open311.formats import FORMATS, error, render

MAX_RESULTS = 1000
DEFAULT_DAYS = 90
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When this API's shape last changed (the discovery document's changeset).
CHANGESET = datetime.datetime(2026, 12, 5, tzinfo=datetime.UTC)

View = Callable[..., HttpResponse]


class BadParameter(Exception):
    """A query parameter the client must correct (400)."""


def endpoint(*methods: str) -> Callable[[View], View]:
    """An Open311 operation: the format checked, other methods 405, HEAD for GET, the
    jurisdiction checked, texts in the client's language; no CSRF (clients have no cookie)."""
    allowed = {*methods, "HEAD"} if "GET" in methods else set(methods)

    def decorator(view: View) -> View:
        @csrf_exempt
        @functools.wraps(view)
        def wrapped(request: HttpRequest, fmt: str, **kwargs: Any) -> HttpResponse:
            language = translation.get_language_from_request(request)
            with translation.override(language):
                response = _answer(view, request, fmt, **kwargs)
            response["Content-Language"] = language
            response.headers.setdefault("Vary", "Accept-Language")
            if request.method == "HEAD":
                # The headers of the GET, Content-Length included, without its body.
                response.headers["Content-Length"] = str(len(response.content))
                response.content = b""
            return response

        def _answer(view: View, request: HttpRequest, fmt: str, **kwargs: Any) -> HttpResponse:
            if fmt not in FORMATS:
                return error("xml", 400, _("The format must be xml or json."))
            if request.method not in allowed:
                response = error(
                    fmt,
                    405,
                    _("This operation takes %(methods)s.")
                    % {"methods": ", ".join(sorted(allowed))},
                )
                response["Allow"] = ", ".join(sorted(allowed))
                return response
            if message := filing.jurisdiction_refusal(_param(request, "jurisdiction_id")):
                return error(fmt, 404, message)
            try:
                return view(request, fmt, **kwargs)
            except BadParameter as exc:
                return error(fmt, 400, str(exc))

        return wrapped

    return decorator


@csrf_exempt
def not_found(request: HttpRequest, path: str = "") -> HttpResponse:
    """Any other path under /open311/v2/, in the format its suffix asks for."""
    fmt = "json" if request.path.endswith(".json") else "xml"
    return error(fmt, 404, _("Open311 has no operation at this path."))


@endpoint("GET")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    base = request.build_absolute_uri(reverse("open311:discovery", args=["xml"]))
    key_service = (
        _("A key for filing requests is given by the system administrators.")
        if conf.open311_keys_required()
        else _("No key is needed.")
    )
    document = {
        "changeset": CHANGESET,
        "contact": conf.open311_contact(),
        "key_service": key_service,
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base.rsplit("/", 1)[0],
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return render(document, fmt, root="discovery")


@endpoint("GET")
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    categories = ReportCategory.objects.filter(is_active=True).prefetch_related("attributes")
    return render([_service(c) for c in categories], fmt, root="services")


@endpoint("GET")
def service_definition(request: HttpRequest, fmt: str, code: str) -> HttpResponse:
    category = ReportCategory.objects.filter(code=code, is_active=True).first()
    if category is None:
        return error(fmt, 404, _("No service has the code %(code)s.") % {"code": code})
    attributes = [
        {
            "variable": True,
            "code": attribute.code,
            "datatype": attribute.datatype,
            "required": attribute.required,
            "datatype_description": attribute.get_datatype_display(),
            "order": order,
            "description": attribute.display_description,
            **(
                {"values": [{"key": k, "name": n} for k, n in attribute.choices()]}
                if attribute.datatype in filing.LISTS
                else {}
            ),
        }
        for order, attribute in enumerate(category.attributes.all(), start=1)
    ]
    definition = {"service_code": category.code, "attributes": attributes}
    return render(definition, fmt, root="service_definition")


@endpoint("GET", "POST")
@throttle.limit("THROTTLE_PUBLIC")
def requests_(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return filing.file(request, fmt)
    return render([_request(r, request) for r in _listed(request)], fmt, root="service_requests")


@endpoint("GET")
def request_detail(request: HttpRequest, fmt: str, request_id: str) -> HttpResponse:
    report = _reports().filter(receipt=receipts.as_shown(request_id)).first()
    if report is None:
        message = _("No service request has the id %(id)s.") % {"id": request_id}
        return error(fmt, 404, message)
    return render([_request(report, request)], fmt, root="service_requests")


@endpoint("GET")
def token(request: HttpRequest, fmt: str, token: str) -> HttpResponse:
    """The spec's tokens/{token}: the id of the request filed with this token. Civility
    answers a POST with the id at once and gives the id as the token, so a client that
    polls gets its answer on the first try."""
    report = PublicReport.objects.filter(receipt=receipts.as_shown(token)).first()
    if report is None:
        return error(fmt, 404, _("No service request has the token %(token)s.") % {"token": token})
    answer = [{"service_request_id": report.receipt, "token": token}]
    return render(answer, fmt, root="service_requests")


@endpoint("GET", "POST")
@throttle.limit("THROTTLE_PUBLIC")
def updates(request: HttpRequest, fmt: str) -> HttpResponse:
    """FixMyStreet's servicerequestupdates: GET, the public steps of handling, oldest first;
    POST, a citizen's update on a request (filing.file_update)."""
    if request.method == "POST":
        return filing.file_update(request, fmt)
    start, end = _window(request)
    steps = ReportUpdate.objects.filter(is_public=True, created_at__gte=start)
    if end is not None:
        steps = steps.filter(created_at__lte=end)
    if ids := _list_param(request, "service_request_id"):
        steps = steps.filter(report__receipt__in=[receipts.as_shown(i) for i in ids])
    steps = steps.select_related("report").order_by("created_at", "pk")[:MAX_RESULTS]
    return render([_update(step) for step in steps], fmt, root="service_request_updates")


# --- Parameters --------------------------------------------------------------------------


def _param(request: HttpRequest, name: str) -> str:
    """The parameter's value, "" when absent or empty (the spec's "not given")."""
    value = request.GET.get(name) or (
        request.POST.get(name) if request.method == "POST" and request.POST else ""
    )
    return (value or "").strip()


def _list_param(request: HttpRequest, name: str) -> list[str]:
    return [part.strip() for part in _param(request, name).split(",") if part.strip()]


def _date_param(request: HttpRequest, name: str) -> datetime.datetime | None:
    value = _param(request, name)
    if not value:
        return None
    try:
        parsed = parse_datetime(value.replace(" ", "+"))  # a "+" left unescaped in a query
    except ValueError:
        parsed = None
    if parsed is None:
        raise BadParameter(
            _("%(name)s must be a W3C date-time (2026-12-05T08:00:00+07:00).") % {"name": name}
        )
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def _window(request: HttpRequest) -> tuple[datetime.datetime, datetime.datetime | None]:
    """start_date and end_date; without a start, DEFAULT_DAYS before the end (or now)."""
    end = _date_param(request, "end_date")
    start = _date_param(request, "start_date")
    if start is None:
        start = (end or timezone.now()) - datetime.timedelta(days=DEFAULT_DAYS)
    if end is not None and end < start:
        raise BadParameter(_("end_date is before start_date."))
    return start, end


def _reports() -> PublicReportQuerySet:
    return PublicReport.objects.select_related("category", "unit", "place")


def _listed(request: HttpRequest) -> PublicReportQuerySet:
    if ids := _list_param(request, "service_request_id"):
        # The spec: with ids, every other parameter is ignored.
        return _reports().filter(receipt__in=[receipts.as_shown(i) for i in ids[:MAX_RESULTS]])
    start, end = _window(request)
    reports = _reports().public().filter(submitted_at__gte=start)
    if end is not None:
        reports = reports.filter(submitted_at__lte=end)
    if codes := _list_param(request, "service_code"):
        reports = reports.filter(category__code__in=codes)
    statuses = set(_list_param(request, "status"))
    if statuses - {"open", "closed"}:
        raise BadParameter(_("status must be open, closed or both (open,closed)."))
    if statuses == {"open"}:
        reports = reports.filter(status__in=OPEN_STATUSES)
    elif statuses == {"closed"}:
        reports = reports.exclude(status__in=OPEN_STATUSES)
    return reports.order_by("-submitted_at")[:MAX_RESULTS]


# --- Shapes -------------------------------------------------------------------------------


def _iso(value: datetime.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _service(category: ReportCategory) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.display_name,
        "description": category.display_description,
        "metadata": bool(category.attributes.all()),
        "type": "realtime",
        "keywords": "",
        "group": "",
    }


def _status(status: str) -> str:
    return "open" if status in OPEN_STATUSES else "closed"


def _request(report: PublicReport, request: HttpRequest) -> dict[str, Any]:
    notes = [update.note for update in report.public_updates() if update.note]
    rejected = report.status == ReportStatus.REJECTED
    # A report filed on a known place takes its coordinates when it has none of its own.
    located = report if report.latitude is not None else report.place
    if rejected:
        media = ""
    elif report.photo:
        media = request.build_absolute_uri(report.get_public_photo_url())
    else:
        media = report.media_url
    return {
        "service_request_id": report.receipt,
        "status": _status(report.status),
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
        "lat": float(located.latitude) if located and located.latitude is not None else None,
        "long": float(located.longitude) if located and located.longitude is not None else None,
        "media_url": media,
    }


def _update(step: ReportUpdate) -> dict[str, Any]:
    return {
        "update_id": str(step.pk),
        "service_request_id": step.report.receipt,
        "status": _status(step.status),
        "updated_datetime": _iso(step.created_at),
        "description": step.note or step.get_status_display(),
        "media_url": "",
        # FixMyStreet keeps the server's own state beside open/closed.
        "external_status_code": step.status,
    }
