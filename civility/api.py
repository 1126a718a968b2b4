"""The JSON API under /api/v1/: one NinjaAPI, each app adds its router.

Callers authenticate with a bearer API token or the web session (civility.accounts.api_auth).
Every error is JSON `{"code": ..., "message": ..., "field": ...}`: `code` is a stable machine
word (ERROR_CODES), `message` a sentence in the negotiated language, `field` the input it is
about or null; validation errors add `errors`, one entry per problem with the same three
keys, and `field` names the first. Lists follow civility/core/api_lists.py; ETags, the
language and the rate limit come from civility/api_middleware.py. The Swagger UI is served
from ninja's bundled static files ("ninja" is in INSTALLED_APPS), never from a CDN.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.utils import DataError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.schema import OpenAPISchema

from civility.accounts.api import router as me_router
from civility.accounts.api_auth import API_AUTH
from civility.api_openapi import with_conventions
from civility.awards.api import router as awards_router
from civility.codes.api import router as codes_router
from civility.conduct.api import router as conduct_router
from civility.core.api import router as jobs_router
from civility.core.api_lists import BadParameter
from civility.core.http import ApiError
from civility.evaluations.api import router as evaluations_router
from civility.feedback.api import router as feedback_router
from civility.insights.api import router as insights_router
from civility.inspections.api import router as inspections_router
from civility.orgs.api import router as orgs_router
from civility.programmes.api import router as programmes_router


class CivilityAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> OpenAPISchema:
        # What every operation shares (servers, 304/400/429, rate-limit headers), said once.
        return with_conventions(super().get_openapi_schema(*args, **kwargs))


api = CivilityAPI(
    title="Civility API",
    version="1",
    description=(
        "Codes of conduct and public-service culture programme: units, places, officials, "
        "inspections, feedback, conduct, evaluations, awards and programmes.\n\n"
        "Authenticate with `Authorization: Bearer <API token>` (integrations; created on "
        "the page *My account → API tokens*) or the web session (with `X-CSRFToken` on "
        "POST/PATCH); `GET /api/v1/me` says who you are. Every result is limited to the "
        "units the caller may see; anything outside that scope answers 404.\n\n"
        'Errors are `{"code": ..., "message": ..., "field": ...}` with a stable '
        "`code` and a `message` in the language of `Accept-Language` (vi or en); input "
        "errors (422) also list every problem in `errors`. Collections answer "
        "`{count, limit, offset, next, previous, items}`; `limit` above 500 is clamped. "
        "Filters: `unit` (a unit's subtree), `updated_since`, `ordering` (an unknown value "
        "is a 400). GETs carry an ETag (send If-None-Match for 304); every POST takes an "
        "`Idempotency-Key`; every answer carries `X-RateLimit-Limit`, `-Remaining` and "
        "`-Reset`, and 429 says `Retry-After`. The guide with worked examples is docs/api.md."
    ),
    urls_namespace="api",
    auth=API_AUTH,
    docs=Swagger(settings={"persistAuthorization": False}),
)
api.add_router("/", me_router)
api.add_router("/", orgs_router)
api.add_router("/awards/", awards_router)
api.add_router("/codes/", codes_router)
api.add_router("/conduct/", conduct_router)
api.add_router("/evaluations/", evaluations_router)
api.add_router("/feedback/", feedback_router)
api.add_router("/insights/", insights_router)
api.add_router("/inspections/", inspections_router)
api.add_router("/", jobs_router)
api.add_router("/programmes/", programmes_router)

# The machine word of an error by its status, unless the raiser gave a finer one (`code`).
ERROR_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid",
    429: "throttled",
}

# Parameter locations that come before the field name in ninja's error `loc`.
_LOCATIONS = {"body", "query", "path", "header", "cookie", "form", "file"}

# Pydantic's messages are English only: ours, by pydantic's stable error type, are
# translated; a type not listed keeps pydantic's sentence.
_WHOLE_NUMBER = gettext_lazy("Enter a whole number.")
_NUMBER = gettext_lazy("Enter a number.")
_DATE = gettext_lazy("Enter a date as YYYY-MM-DD.")
_DATETIME = gettext_lazy("Enter a date and time in ISO 8601, e.g. 2026-12-01T08:00:00+07:00.")
_OBJECT = gettext_lazy("Send a JSON object.")
INPUT_MESSAGES = {
    "missing": gettext_lazy("This field is required."),
    "extra_forbidden": gettext_lazy("Unknown field: check its name."),
    "int_parsing": _WHOLE_NUMBER,
    "int_type": _WHOLE_NUMBER,
    "int_from_float": _WHOLE_NUMBER,
    "float_parsing": _NUMBER,
    "float_type": _NUMBER,
    "decimal_parsing": _NUMBER,
    "decimal_type": _NUMBER,
    "bool_parsing": gettext_lazy("Enter true or false."),
    "bool_type": gettext_lazy("Enter true or false."),
    "string_type": gettext_lazy("Enter text."),
    "date_parsing": _DATE,
    "date_type": _DATE,
    "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": _DATE,
    "datetime_parsing": _DATETIME,
    "datetime_type": _DATETIME,
    "datetime_from_date_parsing": _DATETIME,
    "enum": gettext_lazy("Choose one of: %(expected)s."),
    "literal_error": gettext_lazy("Choose one of: %(expected)s."),
    "string_too_long": ngettext_lazy(
        "Enter at most %(max_length)s character.",
        "Enter at most %(max_length)s characters.",
        "max_length",
    ),
    "string_too_short": ngettext_lazy(
        "Enter at least %(min_length)s character.",
        "Enter at least %(min_length)s characters.",
        "min_length",
    ),
    "too_long": ngettext_lazy(
        "Send at most %(max_length)s item.", "Send at most %(max_length)s items.", "max_length"
    ),
    "too_short": ngettext_lazy(
        "Send at least %(min_length)s item.", "Send at least %(min_length)s items.", "min_length"
    ),
    "greater_than_equal": gettext_lazy("Enter a value of at least %(ge)s."),
    "greater_than": gettext_lazy("Enter a value greater than %(gt)s."),
    "less_than_equal": gettext_lazy("Enter a value of at most %(le)s."),
    "less_than": gettext_lazy("Enter a value less than %(lt)s."),
    "model_attributes_type": _OBJECT,
    "model_type": _OBJECT,
    "dict_type": _OBJECT,
    "list_type": gettext_lazy("Send a JSON list."),
    "uuid_parsing": gettext_lazy("Enter a UUID."),
    "uuid_type": gettext_lazy("Enter a UUID."),
}


def _error(
    request: HttpRequest,
    status: int,
    message: str,
    field: str | None = None,
    *,
    code: str | None = None,
    **extra: Any,
) -> HttpResponse:
    body = {"code": code or ERROR_CODES.get(status, "error"), "message": message, "field": field}
    return api.create_response(request, {**body, **extra}, status=status)


def _field_of(loc: Iterable[object], body_params: set[str]) -> str | None:
    parts = [str(part) for part in loc]
    if parts and parts[0] in _LOCATIONS:
        location = parts.pop(0)
        # A body model's own name (`payload`) is not a field the caller knows about.
        if location == "body" and parts and parts[0] in body_params:
            parts.pop(0)
    return ".".join(parts) or None


def _input_message(error: Mapping[str, Any]) -> str:
    pydantic_message: str = error.get("msg", "")
    template = INPUT_MESSAGES.get(error.get("type", ""))
    if template is None:
        return pydantic_message
    try:
        # A lazy plural picks its form from the number in `ctx` as it is filled in.
        return str(template % (error.get("ctx") or {}))
    except (KeyError, TypeError, ValueError):
        return pydantic_message


def _invalid(request: HttpRequest, errors: list[dict[str, Any]], status: int = 422) -> HttpResponse:
    if not errors:
        errors = [{"code": "invalid", "field": None, "message": _("Invalid input.")}]
    first = errors[0]
    return _error(request, status, first["message"], first["field"], errors=errors)


@api.exception_handler(NinjaValidationError)
def on_invalid_input(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [
        {
            "code": error.get("type") or "invalid",
            "field": _field_of(error.get("loc", ()), {"payload"}),
            "message": _input_message(error),
        }
        for error in exc.errors
    ]
    return _invalid(request, errors)


@api.exception_handler(ValidationError)
def on_invalid_data(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        errors = [
            {
                "code": error.code or "invalid",
                "field": None if name == NON_FIELD_ERRORS else name,
                "message": message,
            }
            for name, field_errors in exc.error_dict.items()
            for error in field_errors
            for message in error
        ]
    else:
        errors = [
            {"code": error.code or "invalid", "field": None, "message": message}
            for error in exc.error_list
            for message in error
        ]
    return _invalid(request, errors)


@api.exception_handler(BadParameter)
def on_bad_parameter(request: HttpRequest, exc: BadParameter) -> HttpResponse:
    return _error(request, 400, exc.message, exc.field, code="invalid_parameter")


@api.exception_handler(DataError)
def on_out_of_range(request: HttpRequest, exc: DataError) -> HttpResponse:
    # An id or number beyond what the database column holds (e.g. 2**64 as an id or offset):
    # the caller's mistake, not a server error.
    message = _("A number in the request is too large.")
    return _invalid(request, [{"code": "out_of_range", "field": None, "message": message}])


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, _("Not found"))


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, _("You do not have permission to do this."))


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    message, code = exc.message, "invalid_token"
    if message == AuthenticationError().message:
        message = _("Authentication required: send an API token or sign in.")
        code = "not_authenticated"
    response = _error(request, 401, message, code=code)
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    message = exc.message
    code = exc.code if isinstance(exc, ApiError) else None
    if exc.status_code == 403 and "CSRF" in message:
        message = _("CSRF check failed: send the X-CSRFToken header with the session.")
        code = "csrf_failed"
    elif exc.status_code == 400 and message.startswith("Cannot parse request body"):
        message, code = _("The request body is not valid JSON."), "invalid_json"
    response = _error(request, exc.status_code, message, code=code)
    if isinstance(exc, ApiError) and exc.retry_after:  # a throttle's 429 says when to retry
        response["Retry-After"] = str(exc.retry_after)
    return response
