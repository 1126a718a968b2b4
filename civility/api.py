"""The JSON API under /api/v1/: one NinjaAPI, each app adds its router.

Callers authenticate with a bearer API token or the web session (civility.accounts.api_auth).
Every error is JSON `{"message": ..., "field": ...}`; validation errors add `errors`, one entry
per problem, and `field` names the first. The Swagger UI is served from ninja's bundled static
files ("ninja" is in INSTALLED_APPS), never from a CDN.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.utils import DataError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from civility.accounts.api_auth import API_AUTH
from civility.awards.api import router as awards_router
from civility.codes.api import router as codes_router
from civility.conduct.api import router as conduct_router
from civility.core.api import router as jobs_router
from civility.evaluations.api import router as evaluations_router
from civility.feedback.api import router as feedback_router
from civility.inspections.api import router as inspections_router
from civility.orgs.api import router as orgs_router
from civility.programmes.api import router as programmes_router

api = NinjaAPI(
    title="Civility API",
    version="1",
    description=(
        "Codes of conduct and public-service culture programme: units, places, officials.\n\n"
        "Authenticate with `Authorization: Bearer <API token>` (integrations) or the web "
        "session (with `X-CSRFToken` on POST/PATCH). Every result is limited to the units the "
        "caller may see; anything outside that scope answers 404. Errors are "
        '`{"message": ..., "field": ...}`; input errors (422) also list every problem in '
        "`errors`."
    ),
    urls_namespace="api",
    auth=API_AUTH,
    docs=Swagger(settings={"persistAuthorization": False}),
)
api.add_router("/", orgs_router)
api.add_router("/awards/", awards_router)
api.add_router("/codes/", codes_router)
api.add_router("/conduct/", conduct_router)
api.add_router("/evaluations/", evaluations_router)
api.add_router("/feedback/", feedback_router)
api.add_router("/inspections/", inspections_router)
api.add_router("/", jobs_router)
api.add_router("/programmes/", programmes_router)

# Parameter locations that come before the field name in ninja's error `loc`.
_LOCATIONS = {"body", "query", "path", "header", "cookie", "form", "file"}


def _error(
    request: HttpRequest, status: int, message: str, field: str | None = None, **extra
) -> HttpResponse:
    return api.create_response(
        request, {"message": message, "field": field, **extra}, status=status
    )


def _field_of(loc, body_params: set[str]) -> str | None:
    parts = [str(part) for part in loc]
    if parts and parts[0] in _LOCATIONS:
        location = parts.pop(0)
        # A body model's own name (`payload`) is not a field the caller knows about.
        if location == "body" and parts and parts[0] in body_params:
            parts.pop(0)
    return ".".join(parts) or None


@api.exception_handler(NinjaValidationError)
def on_invalid_input(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [
        {"field": _field_of(error.get("loc", ()), {"payload"}), "message": error.get("msg", "")}
        for error in exc.errors
    ]
    if not errors:
        errors = [{"field": None, "message": _("Invalid input.")}]
    return _error(request, 422, errors[0]["message"], errors[0]["field"], errors=errors)


@api.exception_handler(ValidationError)
def on_invalid_data(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        errors = [
            {"field": None if name == NON_FIELD_ERRORS else name, "message": message}
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        errors = [{"field": None, "message": message} for message in exc.messages]
    if not errors:
        errors = [{"field": None, "message": _("Invalid input.")}]
    return _error(request, 422, errors[0]["message"], errors[0]["field"], errors=errors)


@api.exception_handler(DataError)
def on_out_of_range(request: HttpRequest, exc: DataError) -> HttpResponse:
    # An id or number beyond what the database column holds (e.g. 2**64 as an id or offset):
    # the caller's mistake, not a server error.
    message = _("A number in the request is too large.")
    return _error(request, 422, message, None, errors=[{"field": None, "message": message}])


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, _("Not found"))


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, _("You do not have permission to do this."))


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    message = exc.message
    if message == AuthenticationError().message:
        message = _("Authentication required: send an API token or sign in.")
    response = _error(request, 401, message)
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    message = exc.message
    if exc.status_code == 403 and "CSRF" in message:
        message = _("CSRF check failed: send the X-CSRFToken header with the session.")
    elif exc.status_code == 400 and message.startswith("Cannot parse request body"):
        message = _("The request body is not valid JSON.")
    response = _error(request, exc.status_code, message)
    if getattr(exc, "retry_after", None):  # a throttle's 429 says when to try again
        response["Retry-After"] = str(exc.retry_after)
    return response
