"""What the API adds to every answer around the routers: ETags and 304 for incremental syncs,
the language the client asks for, and a rate limit per credential with X-RateLimit-*
headers. Middleware, because each applies to every operation alike (settings.MIDDLEWARE).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.middleware.http import ConditionalGetMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header

from civility.core.clients import client_network
from civility.feedback import throttle

API_PREFIX = "/api/"


class ApiConditionalGetMiddleware(ConditionalGetMiddleware):
    """ETag on every successful GET of the API, and 304 when If-None-Match matches, so a sync
    re-reads only what changed. The tag hashes the body, which depends on the caller's scope
    and language, so two callers never share a tag for different content."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if not is_api(request):
            return response
        return super().process_response(request, response)


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


class ApiLanguageMiddleware:
    """The API speaks the language the client asks for with Accept-Language (vi or en),
    else the one the pages would use (civility.accounts.middleware.LanguageMiddleware, which
    ignores the header for pages on purpose, and must run before this one)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not is_api(request):
            return self.get_response(request)
        language = _accepted_language(request.headers.get("Accept-Language", ""))
        if language is not None:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers["Content-Language"] = translation.get_language()
        patch_vary_headers(response, ("Accept-Language",))
        return response


def _accepted_language(header: str) -> str | None:
    supported = {code for code, _name in settings.LANGUAGES}
    for code, _quality in parse_accept_lang_header(header[:500]):
        base = code.split("-")[0].lower()
        if base in supported:
            return base
    return None


class ApiRateLimitMiddleware:
    """Each credential (API token, signed-in user, else the client's network) takes one token
    per API request from its bucket of settings.THROTTLE_API; every answer tells how many are
    left with X-RateLimit-Limit / -Remaining / -Reset (seconds until the bucket is full), and
    an empty bucket answers 429 with Retry-After (civility/feedback/throttle.py's buckets)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not is_api(request):
            return self.get_response(request)
        capacity, refill = settings.THROTTLE_API
        key = throttle.key_for("throttle_api", _credential(request))
        remaining = _take(key, capacity, refill)
        if remaining is None:
            # The bucket holds less than one token: the next arrives within one refill.
            retry_after = max(1, math.ceil(refill))
            response: HttpResponseBase = error_response(
                429, "throttled", throttle.wait_message(retry_after), None
            )
            response["Retry-After"] = str(retry_after)
            remaining = 0.0
        else:
            response = self.get_response(request)
        response["X-RateLimit-Limit"] = str(capacity)
        response["X-RateLimit-Remaining"] = str(int(remaining))
        response["X-RateLimit-Reset"] = str(math.ceil((capacity - remaining) * refill))
        return response


def _credential(request: HttpRequest) -> str:
    authorization = request.headers.get("Authorization", "")
    if authorization:
        return "auth|" + authorization
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user|{user.pk}"
    return "net|" + client_network(request)


def _take(key: str, capacity: int, refill: float) -> float | None:
    """Take one token; the tokens left, or None when the bucket was empty."""
    params: dict[str, str | int | float] = {
        "key": key,
        "capacity": capacity,
        "refill": float(refill),
        "cost": 1,
    }
    with connection.cursor() as cursor:
        cursor.execute(throttle.TAKE, params)
        row = cursor.fetchone()
    return None if row is None else max(0.0, float(row[0]))


def error_response(
    status: int, code: str, message: str, field: str | None, **extra: Any
) -> JsonResponse:
    """An API error outside ninja's handlers (middleware), in the same shape."""
    return JsonResponse(
        {"code": code, "message": message, "field": field, **extra},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )
