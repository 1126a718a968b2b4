"""Filing a service request (POST requests.xml / .json): the checks before the report.

A form (FixMyStreet posts application/x-www-form-urlencoded, or multipart with `media`) or a
JSON object. Every field is checked before anything is stored, and a refusal names the field
(400), the key (403) or the service (404). POST needs `api_key` only when the deployment sets
FEEDBACK_OPEN311_REQUIRE_KEY. Every post takes a token of the client's THROTTLE_PUBLIC
bucket; a created report one of its key's or client's report bucket. device_id is ignored and
nothing identifying the network is stored. The answer adds `secret` (also in
`service_notice`): shown once, it alone lets the reporter give their verdict on the
handling; the public id (the receipt code) never acts.
"""

from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civility.core import receipts
from civility.core.clients import client_network
from civility.core.i18n import format_number
from civility.feedback import actions, conf, throttle
from civility.feedback.models import (
    AttributeType,
    PublicReport,
    ReportAttribute,
    ReportCategory,
    ReportChannel,
)
from civility.feedback.open311.formats import error, render
from civility.orgs.models import Place

LISTS = (AttributeType.SINGLE, AttributeType.MULTI)
# Longest accepted value of each field (the spec's 4,000 for description; the others are
# the report's columns), so nothing is cut silently.
MAX_LENGTHS = {
    "description": 4000,
    "first_name": 59,  # with last_name and a space, the 120 of contact_name
    "last_name": 60,
    "email": 254,
    "phone": 32,
    "address_string": 255,
    "media_url": 500,
}
ATTRIBUTE_MAX: dict[str, int] = {AttributeType.STRING: 255, AttributeType.TEXT: 4000}
ATTRIBUTE = re.compile(r"^attribute\[([^\]]+)\](\[\])?$")
# An update's text: the note holds 2,000 characters, with the writer's name and the ids.
UPDATE_MAX = 1500
# FixMyStreet's update statuses: OPEN, CLOSED, and with extended statuses FIXED,
# IN_PROGRESS, ACTION_SCHEDULED, NOT_COUNCILS_RESPONSIBILITY, REOPEN and others.
UPDATE_STATUS = re.compile(r"^[A-Z_]{2,40}$")
# An answer to a category's question: the keys chosen of a multiple choice, else one text.
Answer = str | list[str]


class Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def jurisdiction_refusal(given: str) -> str | None:
    """The 404 message for a jurisdiction_id this deployment is not, else None."""
    wanted = conf.open311_jurisdiction()
    if wanted and given and given != wanted:
        return _("No jurisdiction has the id %(id)s.") % {"id": given}
    return None


def file(request: HttpRequest, fmt: str) -> HttpResponse:
    try:
        params = _params(request)
        key = _checked_key(params)
        if message := jurisdiction_refusal(_one(params, "jurisdiction_id")):
            raise Refused(404, message)
        category, place = _service_and_place(params)
        data = _report_input(request, params, category=category, place=place)
        # The report's token is taken in the report's transaction, so a post refused as
        # invalid costs none: an integrator correcting its requests is not locked out.
        # Every post, valid or not, still counts against THROTTLE_PUBLIC (views.requests_).
        with transaction.atomic():
            throttle.spend([_report_bucket(request, key)])
            report, secret = actions.submit_report(data=data, channel=ReportChannel.OPEN311)
    except throttle.Throttled as exc:
        return throttle.too_many_requests(request, exc)
    except Refused as exc:
        return error(fmt, exc.status, str(exc))
    except ValidationError as exc:
        return error(fmt, 400, _message(exc))
    return render([_created(request, report, secret)], fmt, root="service_requests", status=201)


def file_update(request: HttpRequest, fmt: str) -> HttpResponse:
    """POST servicerequestupdates (FixMyStreet's extension, its post_service_request_update):
    a citizen's update on a request, kept for the commune's staff (the request's state is
    staff's to change; `status` is read only to be named in the note). The answer is the
    update's id. The name given goes into the note; e-mail and phone are checked and not
    kept (the commune has the reporter's own contact)."""
    try:
        params = _params(request)
        key = _checked_key(params)
        if message := jurisdiction_refusal(_one(params, "jurisdiction_id")):
            raise Refused(404, message)
        request_id = _one(params, "service_request_id")
        if not request_id:
            raise Refused(400, _("service_request_id is required."))
        report = PublicReport.objects.filter(receipt=receipts.as_shown(request_id)).first()
        if report is None:
            raise Refused(404, _("No service request has the id %(id)s.") % {"id": request_id})
        note = _update_note(params)
        with transaction.atomic():
            throttle.spend([_report_bucket(request, key)])
            update, _new = actions.add_outside_update(report=report, note=note)
    except throttle.Throttled as exc:
        return throttle.too_many_requests(request, exc)
    except Refused as exc:
        return error(fmt, exc.status, str(exc))
    except ValidationError as exc:
        return error(fmt, 400, _message(exc))
    answer = [{"update_id": str(update.pk)}]
    return render(answer, fmt, root="service_request_updates", status=201)


def _update_note(params: dict[str, list[str]]) -> str:
    description = _one(params, "description")
    if not description:
        raise Refused(400, _("description is required."))
    if len(description) > UPDATE_MAX:
        raise Refused(400, _too_long("description", UPDATE_MAX))
    email = _one(params, "email")
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise Refused(400, _("email is not a valid e-mail address.")) from exc
    _one(params, "phone")
    if (given := _one(params, "updated_datetime")) and _datetime(given) is None:
        raise Refused(
            400,
            _("%(name)s must be a W3C date-time (2026-12-05T08:00:00+07:00).")
            % {"name": "updated_datetime"},
        )
    status = _one(params, "status").upper()
    if status and not UPDATE_STATUS.match(status):
        raise Refused(400, _("status is not an update status (OPEN, CLOSED, …)."))
    # Vietnamese order: the family name (Open311's last_name) first; FixMyStreet sends "-"
    # for a missing one.
    parts = (_one(params, "last_name"), _one(params, "first_name"))
    name = " ".join(part for part in parts if part and part != "-") or _("a citizen")
    note = _("Update %(id)s over Open311 from %(name)s (status %(status)s): %(text)s") % {
        "id": _one(params, "update_id") or "-",
        "name": name,
        "status": status or "-",
        "text": description,
    }
    return note


def _datetime(value: str) -> datetime.datetime | None:
    try:
        return parse_datetime(value.replace(" ", "+"))
    except ValueError:
        return None


def _created(request: HttpRequest, report: PublicReport, secret: str) -> dict[str, str | None]:
    notice = _(
        "Keep this code to follow your report: %(code)s (%(url)s). Your secret, shown only "
        "now, lets you say whether the handling satisfied you: %(secret)s"
    ) % {
        "code": report.receipt,
        "url": request.build_absolute_uri(reverse("feedback:receipt", args=[report.receipt])),
        "secret": secret,
    }
    return {
        "service_request_id": report.receipt,
        # The spec's token, for clients that poll tokens/{token}: the id is known at once,
        # so the token is the id itself.
        "token": report.receipt,
        "service_notice": notice,
        "account_id": None,
        "secret": secret,
    }


def _message(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        field, messages = next(iter(exc.message_dict.items()))
        names = {"place": "lat/long/address_string", "longitude": "long", "photo": "media"}
        return f"{names.get(field, field)}: {' '.join(messages)}"
    return " ".join(exc.messages)


def _params(request: HttpRequest) -> dict[str, list[str]]:
    """Every field with its values (a multi-choice answer may repeat its field)."""
    if request.content_type != "application/json":
        return {key: request.POST.getlist(key) for key in request.POST}
    try:
        data = json.loads(request.body or b"{}")
    except ValueError as exc:
        raise Refused(400, _("The request body is not valid JSON.")) from exc
    if not isinstance(data, dict):
        raise Refused(400, _("The request body must be a JSON object."))
    answers = data.pop("attribute", None)
    if isinstance(answers, dict):  # {"attribute": {"code": value}} as well as attribute[code]
        data.update({f"attribute[{code}]": value for code, value in answers.items()})
    return {
        key: [str(v) for v in value]
        if isinstance(value, list)
        else ["" if value is None else str(value)]
        for key, value in data.items()
    }


def _one(params: dict[str, list[str]], name: str) -> str:
    values = params.get(name) or [""]
    value = values[0].strip()
    if len(value) > MAX_LENGTHS.get(name, 255):
        raise Refused(
            400,
            _too_long(name, MAX_LENGTHS.get(name, 255)),
        )
    return value


def _checked_key(params: dict[str, list[str]]) -> str:
    key = _one(params, "api_key")
    keys = conf.open311_keys()
    if key and keys and key not in keys:
        raise Refused(403, _("api_key is not valid."))
    if conf.open311_keys_required() and key not in keys:
        raise Refused(403, _("api_key is required."))
    return key if key in keys else ""  # an unchecked key earns no larger bucket


def _service_and_place(params: dict[str, list[str]]) -> tuple[ReportCategory, Place | None]:
    code = _one(params, "service_code")
    if not code:
        raise Refused(400, _("service_code is required."))
    category = (
        ReportCategory.objects.filter(code=code, is_active=True)
        .prefetch_related("attributes")
        .first()
    )
    if category is None:
        raise Refused(404, _("No service has the code %(code)s.") % {"code": code})
    address_id = _one(params, "address_id")
    if not address_id:
        return category, None
    place = Place.objects.filter(pk=int(address_id) if address_id.isdigit() else 0).first()
    if place is None:
        raise Refused(400, _("address_id is not a known place."))
    return category, place


def _report_input(
    request: HttpRequest,
    params: dict[str, list[str]],
    *,
    category: ReportCategory,
    place: Place | None,
) -> actions.ReportInput:
    email = _one(params, "email")
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise Refused(400, _("email is not a valid e-mail address.")) from exc
    # Vietnamese order: the family name (Open311's last_name) first.
    parts = (_one(params, "last_name"), _one(params, "first_name"))
    name = " ".join(part for part in parts if part)
    return actions.ReportInput(
        category=category,
        description=_one(params, "description"),
        place=place,
        latitude=_decimal(_one(params, "lat"), "lat", -90, 90),
        longitude=_decimal(_one(params, "long"), "long", -180, 180),
        address=_one(params, "address_string"),
        photo=request.FILES.get("media"),
        media_url=_one(params, "media_url"),
        contact_name=name,
        contact_email=email,
        contact_phone=_one(params, "phone"),
        attributes=_answers(params, category),
    )


def _decimal(value: str, name: str, low: int, high: int) -> Decimal | None:
    if not value:
        return None
    try:
        number = Decimal(value).quantize(Decimal("0.000001"))
    except InvalidOperation as exc:
        raise Refused(400, _("%(name)s is not a number.") % {"name": name}) from exc
    if not low <= number <= high:
        raise Refused(400, _("%(name)s is out of range.") % {"name": name})
    return number


def _answers(params: dict[str, list[str]], category: ReportCategory) -> dict[str, Answer]:
    """The answers to the category's questions, by code. Answers to questions it does not
    ask are dropped: FixMyStreet sends its own (a property reference) to every server."""
    given: dict[str, list[str]] = {}
    for key, values in params.items():
        if match := ATTRIBUTE.match(key):
            given.setdefault(match.group(1), []).extend(v.strip() for v in values if v.strip())
    answers: dict[str, Answer] = {}
    for attribute in category.attributes.all():
        values = given.get(attribute.code, [])
        field = f"attribute[{attribute.code}]"
        if not values:
            if attribute.required:
                raise Refused(400, _("%(field)s is required.") % {"field": field})
            continue
        answers[attribute.code] = _answer(attribute, values, field)
    return answers


def _answer(attribute: ReportAttribute, values: list[str], field: str) -> Answer:
    if attribute.datatype == AttributeType.MULTI:
        keys = [part.strip() for value in values for part in value.split(",") if part.strip()]
    else:
        keys = values[:1]
    value = keys[0]
    if attribute.datatype in LISTS:
        allowed = {key for key, _name in attribute.choices()}
        if unknown := [key for key in keys if key not in allowed]:
            raise Refused(
                400,
                _("%(field)s: %(value)s is not one of the choices.")
                % {"field": field, "value": unknown[0]},
            )
        return keys if attribute.datatype == AttributeType.MULTI else value
    if attribute.datatype == AttributeType.NUMBER:
        try:
            return str(Decimal(value))
        except InvalidOperation as exc:
            raise Refused(400, _("%(name)s is not a number.") % {"name": field}) from exc
    if attribute.datatype == AttributeType.DATETIME:
        try:
            parsed = parse_datetime(value)
        except ValueError:
            parsed = None
        if parsed is None:
            raise Refused(
                400,
                _("%(name)s must be a W3C date-time (2026-12-05T08:00:00+07:00).")
                % {"name": field},
            )
        return parsed.isoformat()
    limit = ATTRIBUTE_MAX.get(attribute.datatype, 255)
    if len(value) > limit:
        raise Refused(
            400,
            _too_long(field, limit),
        )
    return value


def _report_bucket(request: HttpRequest, key: str) -> throttle.Bucket:
    """Reports of one API key (twenty times a device's allowance), else of one client."""
    burst, refill = conf.report_bucket()
    if key:
        return throttle.key_for("o311-key", key), burst * 20, refill / 20
    return throttle.key_for("o311-net", client_network(request)), burst, refill


def _too_long(field: str, limit: int) -> str:
    return ngettext(
        "%(field)s is too long: at most %(limit)s character.",
        "%(field)s is too long: at most %(limit)s characters.",
        limit,
    ) % {"field": field, "limit": format_number(limit)}
