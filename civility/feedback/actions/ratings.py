"""Ratings: checking and storing them once (kiosk, QR page, dossier code, API), and the
daily rollups that the figures read."""

from __future__ import annotations

import datetime
import json
import math
import uuid
from dataclasses import dataclass, field
from typing import Any, overload

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civility.core.db import bound_cursor
from civility.feedback import cases, conf, throttle
from civility.feedback.actions.devices import official_on_duty
from civility.feedback.limits import CLOCK_SKEW, DOSSIER_CODE, MAX_BATCH, MAX_RATING_AGE
from civility.feedback.models import (
    RATED_UNIT_KINDS,
    Channel,
    CounterDevice,
    RatingDay,
    RatingKey,
    Reason,
    ReasonDay,
    ServiceRating,
)
from civility.feedback.scales import Scale, current_scale
from civility.orgs.models import Official, OrgUnit


@dataclass
class RatingInput:
    client_id: uuid.UUID
    level: int
    reasons: list[str] = field(default_factory=list)
    comment: str = ""
    rated_at: datetime.datetime | None = None
    dossier_code: str = ""
    contact: cases.Contact | None = None  # a dissatisfied citizen's, for a follow-up case


@dataclass(frozen=True)
class Stored:
    client_id: uuid.UUID
    stored: bool  # False: this id was already there (a retry), nothing new was written
    case_receipt: str = ""  # the follow-up case opened for this rating, if any
    case_secret: str = ""  # its secret, only in the answer that opened the case


# The rows travel as one JSON document: cheaper to send than nine array parameters, and
# the same statement (prepared once per connection) serves one rating or a backlog of 500.
_INSERT = f"""
INSERT INTO {ServiceRating._meta.db_table}
  (client_id, counter_id, official_id, channel, scale, level, score, side, reasons, comment,
   dossier_code, rated_at, rated_on, received_at)
SELECT r.client_id, %(counter)s::bigint, %(official)s::bigint, %(channel)s::text,
       %(scale)s::text, r.level, r.score, r.side, r.reasons, r.comment, r.dossier_code,
       r.rated_at, r.rated_on, %(received)s::timestamptz
FROM jsonb_to_recordset(%(rows)s::jsonb)
     AS r(client_id uuid, level smallint, score smallint, side smallint, reasons varchar[],
          comment text, dossier_code text, rated_at timestamptz, rated_on date)
ON CONFLICT DO NOTHING
RETURNING client_id
"""


def _check_rating(item: RatingInput, scale: Scale, now: datetime.datetime, prefix: str) -> None:
    if scale.level(item.level) is None:
        raise ValidationError(
            {
                f"{prefix}level": _("Level must be between 1 and %(count)s.")
                % {"count": len(scale.levels)}
            }
        )
    unknown = set(item.reasons) - set(Reason.values)
    if unknown:
        raise ValidationError(
            {
                f"{prefix}reasons": _("Unknown reason: %(reason)s.")
                % {"reason": ", ".join(sorted(unknown))}
            }
        )
    if len(item.comment) > 1000:
        raise ValidationError(
            {f"{prefix}comment": _("The comment is longer than 1,000 characters.")}
        )
    if item.rated_at is not None:
        if item.rated_at.tzinfo is None:
            raise ValidationError({f"{prefix}rated_at": _("Give the time with its time zone.")})
        if item.rated_at > now + CLOCK_SKEW:
            raise ValidationError({f"{prefix}rated_at": _("The time is in the future.")})
        if item.rated_at < now - MAX_RATING_AGE:
            raise ValidationError(
                {f"{prefix}rated_at": _("Ratings older than 30 days are not accepted.")}
            )
    if item.dossier_code and not DOSSIER_CODE.match(item.dossier_code):
        raise ValidationError({f"{prefix}dossier_code": _("This is not a valid dossier code.")})


@overload
def record_ratings(
    *,
    counter: OrgUnit,
    ratings: list[RatingInput],
    channel: str,
    official_id: int | None = None,
    bucket: None = None,
) -> list[Stored]: ...


@overload
def record_ratings(
    *,
    counter: OrgUnit,
    ratings: list[RatingInput],
    channel: str,
    official_id: int | None = None,
    bucket: tuple[str, int, float, int],
) -> list[Stored] | None: ...


def record_ratings(
    *,
    counter: OrgUnit,
    ratings: list[RatingInput],
    channel: str,
    official_id: int | None = None,
    bucket: tuple[str, int, float, int] | None = None,
) -> list[Stored] | None:
    """Store ratings once each: one INSERT … ON CONFLICT DO NOTHING for the whole list.

    Validates everything first (an error names the item and field and stores nothing). With
    `bucket` (key, capacity, refill seconds, cost), the throttle's token is taken in the same
    statement, so the hot path is one round trip and one commit; None means throttled and
    nothing was stored. Runs in autocommit: the single statement is atomic."""
    if not ratings:
        return []
    if len(ratings) > MAX_BATCH:
        raise ValidationError({"ratings": _("Send at most 500 ratings at a time.")})
    scale = current_scale()
    now = timezone.now()
    many = len(ratings) > 1
    seen: set[uuid.UUID] = set()
    ids: list[uuid.UUID] = []
    rows: list[dict[str, Any]] = []
    for index, item in enumerate(ratings):
        _check_rating(item, scale, now, f"ratings.{index}." if many else "")
        if item.client_id in seen:
            continue
        seen.add(item.client_id)
        ids.append(item.client_id)
        level = scale.level(item.level)
        assert level is not None  # _check_rating refused levels the scale lacks
        rated_at = item.rated_at or now
        rows.append(
            {
                "client_id": str(item.client_id),
                "level": item.level,
                "score": level.score,
                "side": 1 if level.satisfied else -1 if level.dissatisfied else 0,
                "reasons": list(dict.fromkeys(item.reasons)),
                "comment": item.comment.strip(),
                "dossier_code": item.dossier_code.strip().upper(),
                "rated_at": rated_at.isoformat(),
                "rated_on": timezone.localdate(rated_at).isoformat(),
            }
        )
    params: dict[str, Any] = {
        "counter": counter.pk,
        "official": official_id,
        "channel": channel,
        "scale": scale.key,
        "rows": json.dumps(rows),
        # Python's clock, not the database's: the age checks above and the trust checks
        # that read by received_at compare with the same clock (and tests can freeze it).
        "received": now,
    }
    sql = _INSERT
    if bucket is not None:
        key, capacity, refill, cost = bucket
        params.update(key=key, capacity=capacity, refill=float(refill), cost=cost)
        sql = f"WITH bucket AS ({throttle.TAKE}) " + _INSERT.replace(
            "ON CONFLICT DO NOTHING", "WHERE EXISTS (SELECT FROM bucket) ON CONFLICT DO NOTHING"
        )
    with bound_cursor() as cursor:
        cursor.execute(sql, params)
        inserted = {row[0] for row in cursor.fetchall()}
        if bucket is not None and len(inserted) < len(ids):
            # Nothing new: duplicates (a retry) or an empty bucket? Only the first is fine.
            cursor.execute(
                f"SELECT client_id FROM {RatingKey._meta.db_table} "
                "WHERE client_id = ANY(%s::uuid[])",
                [ids],
            )
            if len({row[0] for row in cursor.fetchall()}) < len(ids):
                return None
    # One result per item sent, in order: a copy of an id within the batch is a duplicate of
    # its first occurrence, so the kiosk can clear every item of its queue by its answer.
    results: list[Stored] = []
    answered: set[uuid.UUID] = set()
    for item in ratings:
        results.append(Stored(item.client_id, item.client_id in inserted - answered))
        answered.add(item.client_id)
    return results


def kiosk_rate(*, device: CounterDevice, ratings: list[RatingInput]) -> list[Stored] | None:
    """Ratings from a counter's kiosk; None when the kiosk sends faster than a counter works
    (one bucket per device; a backlog batch costs one token per 50 ratings)."""
    capacity, refill = conf.kiosk_bucket()
    cost = min(capacity, max(1, math.ceil(len(ratings) / 50)))
    contacts = cases.contacts_of(ratings)
    results = record_ratings(
        counter=device.counter,
        ratings=ratings,
        channel=Channel.KIOSK,
        official_id=official_on_duty(device),
        bucket=(f"kiosk:{device.pk}", capacity, refill, cost),
    )
    if contacts and results:  # only ratings with contact details pay for this
        results = cases.with_receipts(results, device.counter, Channel.KIOSK, contacts)
    return results


def online_rate(
    *, counter: OrgUnit, rating: RatingInput, device_key: str, network_key: str
) -> Stored:
    """A rating from a citizen's phone (QR on the counter, or a dossier code).

    Throttled per device and counter, per device, per network and per counter, so one phone
    cannot stuff the ballot while a busy counter's many citizens all get through. The keys
    are HMACs: the device cookie and network address are never stored."""
    if counter.kind not in RATED_UNIT_KINDS or not counter.is_current():
        raise ValidationError({"counter": _("This counter does not take ratings.")})
    rating.rated_at = None  # a phone rates now; its clock is not trusted
    contacts = cases.contacts_of([rating])
    channel = Channel.DOSSIER if rating.dossier_code else Channel.QR
    if RatingKey.objects.claimed(rating.client_id):
        return _already_counted(rating, counter, channel, contacts)
    if rating.dossier_code:
        rating.dossier_code = rating.dossier_code.strip().upper()
        _check_rating(rating, current_scale(), timezone.now(), "")
        if RatingKey.objects.dossier_rated(rating.dossier_code):
            raise ValidationError({"dossier_code": _("This dossier has already been rated.")})
    buckets = [
        (throttle.key_for("dev", device_key), *conf.device_bucket()),
        (throttle.key_for("net", network_key), *conf.network_bucket()),
        (throttle.key_for("cnt", counter.pk), *conf.counter_online_bucket()),
    ]
    if not rating.dossier_code:  # a dossier code is its own limit: one rating each
        buckets.insert(
            0, (throttle.key_for("devcnt", device_key, counter.pk), *conf.device_counter_bucket())
        )
    with transaction.atomic():
        # Copies of one form sent at once (two taps) wait here for the first: they are then
        # answered "already counted" instead of spending the phone's allowance (a 429).
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [str(rating.client_id)]
            )
        if RatingKey.objects.claimed(rating.client_id):
            return _already_counted(rating, counter, channel, contacts)
        throttle.spend(buckets)
        official = Official.objects.active().filter(unit=counter).values_list("pk", flat=True)
        official_ids = list(official[:2])
        (result,) = record_ratings(
            counter=counter,
            ratings=[rating],
            channel=channel,
            official_id=official_ids[0] if len(official_ids) == 1 else None,
        )
    if (
        rating.dossier_code
        and not result.stored
        and not RatingKey.objects.claimed(rating.client_id)
    ):
        raise ValidationError({"dossier_code": _("This dossier has already been rated.")})
    if contacts:
        (result,) = cases.with_receipts([result], counter, channel, contacts)
    return result


def _already_counted(
    rating: RatingInput,
    counter: OrgUnit,
    channel: str,
    contacts: list[tuple[uuid.UUID, cases.Contact]],
) -> Stored:
    """The same form sent again: counted once; its follow-up case's receipt is given back."""
    result = Stored(rating.client_id, False)
    if contacts:
        (result,) = cases.with_receipts([result], counter, channel, contacts)
    return result


# --- Rollups ------------------------------------------------------------------------------

_ROLLUP_RATINGS = f"""
INSERT INTO {RatingDay._meta.db_table}
  (day, counter_id, official_id, scale, level, score, side, ratings)
SELECT rated_on, counter_id, official_id, scale, level, min(score), min(side), count(*)
FROM {ServiceRating._meta.db_table}
WHERE rated_on = ANY(%s::date[])
GROUP BY rated_on, counter_id, official_id, scale, level
"""
_ROLLUP_REASONS = f"""
INSERT INTO {ReasonDay._meta.db_table} (day, counter_id, official_id, reason, side, ratings)
SELECT rated_on, counter_id, official_id, reason, side, count(*)
FROM {ServiceRating._meta.db_table}, unnest(reasons) AS reason
WHERE rated_on = ANY(%s::date[])
GROUP BY rated_on, counter_id, official_id, reason, side
"""


@transaction.atomic
def rollup_days(*, days: list[datetime.date]) -> int:
    """Recompute the daily rollups of these days from the raw ratings (replace, never add:
    running twice gives the same rows). Returns the number of rollup rows written."""
    days = sorted(set(days))
    if not days:
        return 0
    RatingDay.objects.filter(day__in=days).delete()
    ReasonDay.objects.filter(day__in=days).delete()
    with connection.cursor() as cursor:
        cursor.execute(_ROLLUP_RATINGS, [days])
        written: int = cursor.rowcount
        cursor.execute(_ROLLUP_REASONS, [days])
        written += cursor.rowcount
    return written


def days_to_roll_up(*, since: datetime.datetime) -> list[datetime.date]:
    """Days that received ratings since `since` (offline backlogs land on earlier days),
    plus today."""
    days = set(
        ServiceRating.objects.filter(received_at__gte=since)
        .values_list("rated_on", flat=True)
        .distinct()
    )
    days.add(timezone.localdate())
    return sorted(days)
