"""A POST sent twice creates one thing: the second copy gets the first one's answer.

Double clicks, a reload that re-posts a form, two taps on a slow phone, an integrator's retry
after a timeout: each sends the same request again. Every POST form carries a hidden key
made in the browser when the page is shown (civility.js adds it), and API clients may send an
`Idempotency-Key` header (docs/api.md). The first request with a key claims it (a row
committed at once); a copy that arrives meanwhile waits for the first to finish, then gets
its answer: the redirect after a form, or the JSON (or Open311 XML) of an API write. An
answer that is not a success (a form shown again with its errors, a 4xx) frees the key, so
the corrected form can be sent with it. Pages that show a one-time secret answer 200 HTML,
which is never replayed.

Keys are kept apart per person (user, API credential, or browser session), so nobody gets
someone else's answer by guessing a key.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import time
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from civility.core import error_formats
from civility.core.models import Submission

FIELD = "_submission"
HEADER = "Idempotency-Key"
VALID_KEY = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
WAIT_SECONDS = 10.0
# A claim whose request never finished (its process died) is given up after this long.
ABANDONED_AFTER = datetime.timedelta(minutes=2)
REPLAYED_BODY_LIMIT = 256 * 1024
REDIRECTS = (301, 302, 303)
# API answers kept for the copies: JSON, and Open311's XML.
REPLAYED_TYPES = ("application/json", "text/xml")


class IdempotencyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST":
            return self.get_response(request)
        key = request.headers.get(HEADER) or request.POST.get(FIELD, "")
        if not key:
            return self.get_response(request)
        if not VALID_KEY.match(key):
            message = _("An idempotency key has 8 to 64 letters, digits, - or _.")
            return _refused(request, "invalid_idempotency_key", message)
        principal = _principal(request)
        target = f"POST {request.path}"[:300]
        deadline = time.monotonic() + WAIT_SECONDS
        while (claim := _claim(principal, key, target)) is None:
            # A copy: wait for the first one's answer. If the first failed and freed the key,
            # the loop claims it and this copy becomes the attempt.
            first = Submission.objects.filter(principal=principal, key=key).first()
            if first is None:
                continue
            if first.method_path != target:
                message = _("This idempotency key was used for another request.")
                return _refused(request, "idempotency_key_reused", message)
            if first.status is not None:
                return _replay(first)
            if time.monotonic() > deadline:
                message = _("This request is still being processed; wait, then reload.")
                return _refused(request, "in_progress", message, 409)
            time.sleep(0.1)
        try:
            response = self.get_response(request)
        except BaseException:
            claim.delete()
            raise
        _settle(claim, response)
        return response


def _principal(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    authorization = request.headers.get("Authorization", "")
    if authorization:  # API credentials are read by the view; keep their keys apart anyway
        return "auth:" + hashlib.sha256(authorization.encode()).hexdigest()[:40]
    api_key = request.POST.get("api_key", "") if request.path.startswith("/open311/") else ""
    if api_key:  # an Open311 integrator's key, sent in the body
        return "o311:" + hashlib.sha256(api_key.encode()).hexdigest()[:40]
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        return "session:" + hashlib.sha256(session.session_key.encode()).hexdigest()[:40]
    return "anonymous"


def _claim(principal: str, key: str, target: str) -> Submission | None:
    """The new claim, or None when the key was claimed already (by this or another process).
    Committed at once, outside the request's own writes, so a parallel copy sees it."""
    Submission.objects.filter(
        principal=principal,
        key=key,
        status__isnull=True,
        created_at__lt=timezone.now() - ABANDONED_AFTER,
    ).delete()
    try:
        with transaction.atomic():
            return Submission.objects.create(principal=principal, key=key, method_path=target)
    except IntegrityError:
        return None


def _settle(claim: Submission, response: HttpResponse) -> None:
    """Keep a success's answer for the copies; free the key otherwise."""
    content_type = response.get("Content-Type", "")
    is_api_success = (
        200 <= response.status_code < 300
        and content_type.startswith(REPLAYED_TYPES)
        and not response.streaming
        and len(response.content) <= REPLAYED_BODY_LIMIT
    )
    if response.status_code in REDIRECTS:
        claim.status = response.status_code
        claim.location = response.get("Location", "")[:2000]
    elif is_api_success:
        claim.status = response.status_code
        claim.content_type = content_type[:100]
        claim.body = response.content
        claim.location = response.get("Location", "")[:2000]  # a 201's record, a 202's job
    else:
        claim.delete()
        return
    claim.save(update_fields=["status", "location", "content_type", "body"])


def _replay(first: Submission) -> HttpResponse:
    response: HttpResponse
    if first.status in REDIRECTS:
        response = HttpResponseRedirect(first.location)
        response.status_code = first.status
    else:
        response = HttpResponse(
            bytes(first.body), status=first.status, content_type=first.content_type or None
        )
        if first.location:
            response["Location"] = first.location
    response["Idempotent-Replay"] = "true"
    return response


def _refused(request: HttpRequest, code: str, message: str, status: int = 422) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"code": code, "message": message, "field": HEADER}, status=status)
    if (protocol_error := error_formats.error_for_path(request.path, status, message)) is not None:
        return protocol_error
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
