"""Token buckets in PostgreSQL, so every web process shares them (one statement a check).

Keys never hold an IP address or a device id in clear: `key_for()` is an HMAC with the
secret key, and the daily prune deletes buckets idle for a day, so nothing links a bucket to
a person beyond its short life.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.db import connection

from civility.feedback.models import ThrottleBucket

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
    params = {"key": key, "capacity": capacity, "refill": float(refill_seconds), "cost": cost}
    with connection.cursor() as cursor:
        cursor.execute(TAKE, params)
        return cursor.fetchone() is not None


def take_all(buckets: list[tuple[str, int, float]]) -> bool:
    """Take one token from each bucket, all or nothing (used by online ratings: the device's
    and the counter's bucket). Runs in a savepoint so a refusal gives back what was taken."""
    from django.db import transaction

    try:
        with transaction.atomic():
            for key, capacity, refill in buckets:
                if not take(key, capacity=capacity, refill_seconds=refill):
                    raise _Refused
    except _Refused:
        return False
    return True


class _Refused(Exception):
    pass


def prune() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {ThrottleBucket._meta.db_table} "
            "WHERE updated_at < clock_timestamp() - interval '1 day'"
        )
        return cursor.rowcount
