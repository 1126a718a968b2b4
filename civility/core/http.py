"""Request classes with the attributes our middleware and authentication add, for type
annotations only (Django builds plain HttpRequests; nothing here is instantiated).

A view behind `login_required` takes an `AuthenticatedRequest`; one that reads
`request.htmx` but may be anonymous takes an `HtmxRequest`. Apps declare their own for
what their authentication adds (feedback's kiosk `device`, accounts' `api_token`)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails
from ninja.errors import HttpError


class HtmxRequest(HttpRequest):
    htmx: HtmxDetails


class AuthenticatedRequest(HtmxRequest):
    user: User


class ApiError(HttpError):
    """An API error carrying what civility/api.py puts in the answer besides the message:
    the `code` of the body, and for a 429 the seconds until a retry (Retry-After)."""

    def __init__(
        self,
        status_code: int,
        message: str,
        *,
        code: str | None = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(status_code, message)
        self.code = code
        self.retry_after = retry_after
