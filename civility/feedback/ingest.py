"""The kiosks' hot path: single ratings served in front of Django's request machinery.

A city's counters send about a thousand ratings a second at peak. Through Django the
endpoint spends most of its time in what a kiosk does not use: fourteen middleware (sessions,
CSRF, users, one-time passwords, audit context, lock-outs, ...), URL resolution over every
app, and the API framework's request wrapping. This WSGI wrapper answers exactly
`POST /api/v1/feedback/kiosk/ratings` when it can store the rating, with the same pieces the
API endpoint uses (the device check, the `RatingIn` schema, `actions.kiosk_rate`, the
`StoredOut` answer); anything else, and every request it cannot answer with a success (a
bad key, invalid input, an empty bucket, a redirect to HTTPS), goes to Django unchanged,
so every error is formatted, translated and logged in one place. Nothing is stored before
the request is known to succeed, so handing it on never stores a rating twice (and the
client id makes that impossible anyway).
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable
from typing import Any, TypeVar
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from django.conf import settings
from django.core import signals
from django.core.exceptions import ValidationError
from django.db import InterfaceError, OperationalError, connection
from django.http.request import split_domain_port, validate_host
from pydantic import ValidationError as SchemaError

from civility.feedback import actions
from civility.feedback.schemas import RatingIn, StoredOut, rating_inputs

PATH = "/api/v1/feedback/kiosk/ratings"
HEADERS = [
    ("Content-Type", "application/json"),
    ("Cache-Control", "no-store"),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    ("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"),
]
STATUS = {201: "201 Created", 200: "200 OK"}
MAX_BODY = 16 * 1024  # a rating with the longest comment and contact is ~5 KB

_T = TypeVar("_T")


class KioskIngest:
    """WSGI middleware: the fast path for single kiosk ratings, Django for the rest."""

    def __init__(self, django_app: WSGIApplication) -> None:
        self.django_app = django_app

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != PATH or environ.get("REQUEST_METHOD") != "POST":
            return self.django_app(environ, start_response)
        body = _read_body(environ)
        answer = None
        if body is not None and _may_answer(environ):
            answer = _reconnecting(lambda: store(environ.get("HTTP_AUTHORIZATION", ""), body))
        if answer is None:
            if body is not None:
                environ["wsgi.input"] = io.BytesIO(body)
            return self.django_app(environ, start_response)
        status, payload = answer
        data = json.dumps(payload).encode()
        start_response(STATUS[status], _headers(environ, len(data)))
        return [data]


def store(authorization: str, body: bytes) -> tuple[int, dict[str, Any]] | None:
    """(status, answer) when the rating was stored now (201) or before (200); None when
    Django must answer (it repeats the checks and gives the error)."""
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or b"\x00" in body or b"\\u0000" in body:
        return None  # Django refuses a NUL character with a 400 (core/input_guard.py)
    device = actions.authenticate_device(token)
    if device is None:
        return None
    try:
        rating = RatingIn.model_validate_json(body)
        results = actions.kiosk_rate(device=device, ratings=rating_inputs([rating]))
    except (SchemaError, ValidationError):
        return None
    if results is None:  # throttled: Django answers 429 (its own attempt finds no token)
        return None
    (result,) = results
    return (201 if result.stored else 200), StoredOut.model_validate(result).model_dump(mode="json")


def _reconnecting(work: Callable[[], _T]) -> _T | None:
    """Run `work` on the worker's persistent connection without Django's per-request health
    check (a SELECT 1 round trip each time): if the connection turns out broken (the
    database restarted), it is dropped and `work` runs once more on a new one, which is safe
    because a client id is stored once. Still failing: Django answers."""
    # Django's own request signals (their receivers close connections past their age or in a
    # broken state), so that whoever disconnects them, as the test client does, is obeyed.
    signals.request_started.send(sender=KioskIngest)
    # django-stubs lack the attribute Django's BaseDatabaseWrapper sets (base.py, 4.1+).
    connection.health_check_done = True  # type: ignore[attr-defined]
    try:
        return work()
    except (InterfaceError, OperationalError):
        connection.close()
        try:
            return work()
        except (InterfaceError, OperationalError):
            connection.close()
            return None
    finally:
        signals.request_finished.send(sender=KioskIngest)


def _read_body(environ: WSGIEnvironment) -> bytes | None:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    if not 0 < length <= MAX_BODY:
        return None
    body: bytes = environ["wsgi.input"].read(length)
    return body


def _may_answer(environ: WSGIEnvironment) -> bool:
    """Only where Django itself would reach the view: a known host, over HTTPS when
    HTTPS is required (Django answers the redirect)."""
    host, _port = split_domain_port(environ.get("HTTP_HOST", ""))
    if not host or not validate_host(host, settings.ALLOWED_HOSTS):
        return False
    return not settings.SECURE_SSL_REDIRECT or _is_https(environ)


def _headers(environ: WSGIEnvironment, length: int) -> list[tuple[str, str]]:
    headers = [*HEADERS, ("Content-Length", str(length))]
    if settings.SECURE_HSTS_SECONDS and _is_https(environ):  # as SecurityMiddleware does
        hsts = f"max-age={settings.SECURE_HSTS_SECONDS}"
        if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
            hsts += "; includeSubDomains"
        if settings.SECURE_HSTS_PRELOAD:
            hsts += "; preload"
        headers.append(("Strict-Transport-Security", hsts))
    return headers


def _is_https(environ: WSGIEnvironment) -> bool:
    header, secure_value = settings.SECURE_PROXY_SSL_HEADER or (None, None)
    if header and environ.get(header):
        forwarded: str = environ[header]
        return forwarded.split(",")[0].strip() == secure_value
    scheme: str | None = environ.get("wsgi.url_scheme")
    return scheme == "https"
