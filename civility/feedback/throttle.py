"""Token buckets in PostgreSQL, so every web process shares them (one statement a check).

The project's one throttle: the kiosk, online ratings and public-place reports take from it,
and so does every other public or anonymous endpoint (report forms, receipt and status
lookups, Open311, follow-ups, sign-in) through `limit()` and `spend()`, which answer 429
with Retry-After. Clients are told apart by civility.core.clients, which trusts
X-Forwarded-For only from TRUSTED_PROXIES.

Keys never hold an IP address or a device id in clear: `key_for()` is an HMAC with the
secret key, and the daily prune deletes buckets idle for a day, so nothing links a bucket to
a person beyond its short life.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import math
from collections.abc import Callable, Iterable
from typing import Any, Concatenate, ParamSpec, TypeVar

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import ngettext

from civility.core.clients import client_network
from civility.feedback.models import ThrottleBucket
from civility.feedback.open311 import formats as open311_formats

# (key, capacity, seconds to earn one token back)
Bucket = tuple[str, int, float]

# A view `limit()` wraps: its request, other parameters and answer.
_Request = TypeVar("_Request", bound=HttpRequest)
_Params = ParamSpec("_Params")
_Answer = TypeVar("_Answer", bound=HttpResponseBase)

# Refill and take `cost` tokens in one statement. When the bucket holds too few, the WHERE
# skips the update and no row comes back: denied, and the bucket keeps what it had (its
# refill is recomputed from updated_at next time). The row lock of ON CONFLICT DO UPDATE
# makes concurrent takes from one bucket queue up rather than overspend.
TAKE = f"""
INSERT INTO {ThrottleBucket._meta.db_table} AS b (key, tokens, updated_at)
VALUES (%(key)s, %(capacity)s - %(cost)s, clock_timestamp())
ON CONFLICT (key) DO UPDATE SET
  tokens = LEAST(%(capacity)s,
                 b.tokens + EXTRACT(EPOCH FROM clock_timestamp() - b.updated_at) / %(refill)s)
           - %(cost)s,
  updated_at = clock_timestamp()
WHERE LEAST(%(capacity)s,
            b.tokens + EXTRACT(EPOCH FROM clock_timestamp() - b.updated_at) / %(refill)s)
      >= %(cost)s
RETURNING tokens
"""


def key_for(kind: str, *parts: object) -> str:
    raw = "|".join(str(part) for part in parts).encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), raw, hashlib.sha256).hexdigest()[:40]
    return f"{kind}:{digest}"


def take(key: str, *, capacity: int, refill_seconds: float, cost: int = 1) -> bool:
    """Take `cost` tokens from the bucket `key`; False (and nothing taken) when too few."""
    if cost > capacity:
        return False
    params: dict[str, str | int | float] = {
        "key": key,
        "capacity": capacity,
        "refill": float(refill_seconds),
        "cost": cost,
    }
    with connection.cursor() as cursor:
        cursor.execute(TAKE, params)
        return cursor.fetchone() is not None


class Throttled(Exception):
    """Too many requests; `retry_after` seconds until the refusing bucket has a token."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


def spend(buckets: Iterable[Bucket]) -> None:
    """Take one token from each bucket, all or nothing; Throttled when one is empty.

    Call it before any costly work (a password hash, a file), so a refusal costs one
    statement per bucket."""
    refused: Bucket | None = None
    with transaction.atomic():
        for bucket in buckets:
            key, capacity, refill = bucket
            if not take(key, capacity=capacity, refill_seconds=refill):
                refused = bucket
                transaction.set_rollback(True)
                break
    if refused is not None:
        raise Throttled(_seconds_until_a_token(refused))


def give_back(buckets: Iterable[Bucket]) -> None:
    """Return the token `spend()` took: for attempts that only count when they fail (a right
    secret, a successful sign-in)."""
    with connection.cursor() as cursor:
        for key, capacity, _refill in buckets:
            cursor.execute(
                f"UPDATE {ThrottleBucket._meta.db_table} SET tokens = LEAST(%s, tokens + 1) "
                "WHERE key = %s",
                [capacity, key],
            )


def _seconds_until_a_token(bucket: Bucket) -> int:
    key, capacity, refill = bucket
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT LEAST(%s, tokens + EXTRACT(EPOCH FROM clock_timestamp() - updated_at) / %s) "
            f"FROM {ThrottleBucket._meta.db_table} WHERE key = %s",
            [capacity, float(refill), key],
        )
        row = cursor.fetchone()
    held = float(row[0]) if row else 0.0
    return max(1, math.ceil((1 - held) * refill))


# --- public and anonymous endpoints -----------------------------------------------------------


def client_bucket(request: HttpRequest, setting: str) -> Bucket:
    """The bucket of this client's network for the limit named by `setting` (settings.py:
    THROTTLE_PUBLIC, THROTTLE_LOOKUP, ... as (burst, seconds to earn one back))."""
    burst, refill = getattr(settings, setting)
    return key_for(setting.lower(), client_network(request)), burst, refill


def limit(
    setting: str, *, methods: Iterable[str] = ("POST",)
) -> Callable[
    [Callable[Concatenate[_Request, _Params], _Answer]],
    Callable[Concatenate[_Request, _Params], _Answer | HttpResponse],
]:
    """Decorator: each request with one of `methods` takes a token from the client's
    `setting` bucket before the view runs; without one, 429."""
    methods = frozenset(methods)

    def decorator(
        view: Callable[Concatenate[_Request, _Params], _Answer],
    ) -> Callable[Concatenate[_Request, _Params], _Answer | HttpResponse]:
        @functools.wraps(view)
        def limited(
            request: _Request, /, *args: _Params.args, **kwargs: _Params.kwargs
        ) -> _Answer | HttpResponse:
            if request.method in methods:
                try:
                    spend([client_bucket(request, setting)])
                except Throttled as exc:
                    return too_many_requests(request, exc)
            return view(request, *args, **kwargs)

        return limited

    return decorator


def too_many_requests(
    request: HttpRequest,
    exc: Throttled,
    *,
    template: str = "core/too_many_requests.html",
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """429 with Retry-After: a page (the form's own, when given) or, under /open311/,
    Open311's errors in the format the path asks for."""
    message = wait_message(exc.retry_after)
    if request.path.startswith(open311_formats.PREFIX):
        response = open311_formats.error_for_path(request.path, 429, message)
    else:
        page = {**(context or {}), "throttled": True, "throttle_message": message}
        response = render(request, template, page, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


def wait_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Too many requests just now. Please try again in %(minutes)d minute.",
        "Too many requests just now. Please try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def prune() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {ThrottleBucket._meta.db_table} "
            "WHERE updated_at < clock_timestamp() - interval '1 day'"
        )
        deleted: int = cursor.rowcount
        return deleted
