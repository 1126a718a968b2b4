"""Request classes with the attributes our middleware and authentication add, for type
annotations only (Django builds plain HttpRequests; nothing here is instantiated).

A view behind `login_required` takes an `AuthenticatedRequest`; one that reads
`request.htmx` but may be anonymous takes an `HtmxRequest`. Apps declare their own for
what their authentication adds (feedback's kiosk `device`, accounts' `api_token`)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxRequest(HttpRequest):
    htmx: HtmxDetails


class AuthenticatedRequest(HtmxRequest):
    user: User
