"""Workflows of the citizens' voice: ratings, assistance calls, reports, dossier figures,
rollups. Views, the API, Open311 and tasks call these; they check, write in one transaction
and notify."""

from __future__ import annotations

import datetime
import json
import math
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civility.core.attachments import PHOTOS, clean_attachment
from civility.core.audit import acting_as, anonymously
from civility.core.db import bound_cursor
from civility.core.receipts import new_secret, secret_matches
from civility.core.validators import web_link
from civility.feedback import cases, conf, stream, throttle, trust
from civility.feedback.limits import CLOCK_SKEW, DOSSIER_CODE, MAX_BATCH, MAX_RATING_AGE
from civility.feedback.models import (
    DOSSIER_UNIT_KINDS,
    RATED_UNIT_KINDS,
    STAFF_ROLES,
    AssistanceCall,
    CallSource,
    Channel,
    CounterDevice,
    DossierStat,
    PublicReport,
    RatingDay,
    RatingKey,
    Reason,
    ReasonDay,
    ReportCategory,
    ReportChannel,
    ReportStatus,
    ReportUpdate,
    ServiceRating,
    new_receipt,
)
from civility.feedback.routing import route_report
from civility.feedback.scales import current_scale
from civility.orgs.models import COMMUNE_LEVEL_KINDS, Official, OrgUnit, Place
from civility.orgs.scopes import MANAGER_ROLES, scope_of

NOTIFY_CHANNEL = "feedback_assistance"
LAST_SEEN_PRECISION = datetime.timedelta(minutes=1)


# --- Kiosk devices ------------------------------------------------------------------------


@transaction.atomic
def register_device(*, actor, counter: OrgUnit, name: str) -> tuple[CounterDevice, str]:
    """A kiosk for `counter`; returns the device and its secret (shown once)."""
    if counter.kind not in RATED_UNIT_KINDS:
        raise ValidationError({"counter": _("Kiosks belong to one-stop counters.")})
    if not scope_of(actor).covers(counter, roles=MANAGER_ROLES):
        raise PermissionDenied
    return _new_device(actor=actor, counter=counter, name=name.strip() or counter.name)


def _new_device(
    *, actor, counter: OrgUnit, name: str, on_duty_id: int | None = None
) -> tuple[CounterDevice, str]:
    secret = CounterDevice.new_secret()
    device = CounterDevice(counter=counter, name=name, on_duty_id=on_duty_id, created_by=actor)
    device.set_secret(secret)
    with acting_as(actor):
        device.save()
    return device, secret


@transaction.atomic
def reissue_device_key(*, actor, device: CounterDevice) -> tuple[CounterDevice, str]:
    """A new link for a kiosk whose link was lost or leaked: the old key stops working now.
    Returns the new device row and its secret (shown once).

    The old row is revoked and a new one made (same counter, name and official on duty)
    rather than the key rotated in place, so each row stays the story of one key: the old
    row keeps when its key was last used (a leak's question) and who issued it, the new row
    starts unseen (its "last seen" tells that the tablet took the new link), and the page
    lists the revoked key beside its successor. Ratings and sessions keep no device id, so
    no history moves; the official on duty belongs to the desk, not the key, and carries
    over."""
    if not scope_of(actor).covers(device.counter, roles=MANAGER_ROLES):
        raise PermissionDenied
    old = CounterDevice.objects.select_for_update().get(pk=device.pk)  # one new link per click
    if old.revoked_at is not None:
        raise ValidationError(_("This kiosk is revoked: register a new kiosk instead."))
    with acting_as(actor):
        old.revoke()
    _notify_revoked(old)
    return _new_device(
        actor=actor, counter=device.counter, name=old.name, on_duty_id=old.on_duty_id
    )


_DEVICE = f"""
SELECT d.id, d.name, d.on_duty_id, d.last_seen_at,
       c.id, c.kind, c.name, c.name_en, c.path, c.valid_from, c.valid_to,
       (SELECT count(*) FROM {Official._meta.db_table} o
         WHERE o.unit_id = c.id AND o.left_on IS NULL),
       (SELECT min(o.id) FROM {Official._meta.db_table} o
         WHERE o.unit_id = c.id AND o.left_on IS NULL)
FROM {CounterDevice._meta.db_table} d
JOIN {OrgUnit._meta.db_table} c ON c.id = d.counter_id
WHERE d.key_hash = %s AND d.revoked_at IS NULL
"""


def authenticate_device(raw: str) -> CounterDevice | None:
    """Every kiosk request starts here, so it is one hand-written query: the device, its
    counter, and who is on duty when the counter has a single official."""
    from civility.accounts.models import hash_token

    raw = raw.strip()
    if not raw.startswith(CounterDevice.PREFIX):
        return None
    with bound_cursor() as cursor:
        cursor.execute(_DEVICE, [hash_token(raw)])
        row = cursor.fetchone()
    if row is None:
        return None
    (device_id, name, on_duty_id, last_seen_at, *unit, official_count, first_official) = row
    counter = OrgUnit(
        id=unit[0],
        kind=unit[1],
        name=unit[2],
        name_en=unit[3],
        path=unit[4],
        valid_from=unit[5],
        valid_to=unit[6],
    )
    if not counter.is_current():
        return None
    device = CounterDevice(
        id=device_id, name=name, counter=counter, on_duty_id=on_duty_id, last_seen_at=last_seen_at
    )
    device.official_count, device.first_official = official_count, first_official
    return device


def touch_device(device: CounterDevice) -> None:
    now = timezone.now()
    if device.last_seen_at is None or now - device.last_seen_at >= LAST_SEEN_PRECISION:
        CounterDevice.objects.filter(pk=device.pk).update(last_seen_at=now)
        device.last_seen_at = now


def revoke_device(*, actor, device: CounterDevice) -> None:
    if not scope_of(actor).covers(device.counter, roles=MANAGER_ROLES):
        raise PermissionDenied
    with acting_as(actor):
        device.revoke()
    _notify_revoked(device)


def _notify_revoked(device: CounterDevice) -> None:
    """End the revoked kiosk's open event streams in every process (at commit); its token is
    refused from then on (stream.read_token)."""
    payload = {"event": stream.REVOKED, "device": device.pk, "path": device.counter.path}
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_notify(%s, %s)", [NOTIFY_CHANNEL, json.dumps(payload)])


def counter_officials(counter: OrgUnit):
    """Who may be on duty at a counter: active officials of the counter or its service point."""
    parent_path = counter.path.rsplit("/", 2)[0] + "/"
    return (
        Official.objects.active()
        .filter(unit__path__in=[counter.path, parent_path])
        .order_by("-unit__depth", "full_name")
    )


@transaction.atomic
def set_on_duty(*, device: CounterDevice, official_id: int | None) -> CounterDevice:
    official = None
    if official_id is not None:
        official = counter_officials(device.counter).filter(pk=official_id).first()
        if official is None:
            raise ValidationError({"official": _("This official does not work at this counter.")})
    device.on_duty = official
    device.save(update_fields=["on_duty"])
    return device


def official_on_duty(device: CounterDevice) -> int | None:
    """The device's named official, else the counter's only official, else nobody."""
    if device.on_duty_id:
        return device.on_duty_id
    if hasattr(device, "official_count"):  # annotated by authenticate_device
        return device.first_official if device.official_count == 1 else None
    ids = list(Official.objects.active().filter(unit=device.counter).values_list("pk")[:2])
    return ids[0][0] if len(ids) == 1 else None


# --- Ratings ------------------------------------------------------------------------------


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


def _check_rating(item: RatingInput, scale, now: datetime.datetime, prefix: str) -> None:
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
    rows: list[dict] = []
    for index, item in enumerate(ratings):
        _check_rating(item, scale, now, f"ratings.{index}." if many else "")
        if item.client_id in seen:
            continue
        seen.add(item.client_id)
        ids.append(item.client_id)
        level = scale.level(item.level)
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
    params = {
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
    results, answered = [], set()
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


def _already_counted(rating: RatingInput, counter: OrgUnit, channel: str, contacts) -> Stored:
    """The same form sent again: counted once; its follow-up case's receipt is given back."""
    result = Stored(rating.client_id, False)
    if contacts:
        (result,) = cases.with_receipts([result], counter, channel, contacts)
    return result


# --- Assistance calls ---------------------------------------------------------------------


def _notify(event: str, call: AssistanceCall) -> None:
    """Sent at commit (PostgreSQL holds NOTIFY until then), so listeners never see a call
    that was rolled back. Listeners in any process on any machine receive it."""
    payload = {
        "event": event,
        "call": call.pk,
        "counter": call.counter_id,
        "path": call.counter.path,
        "name": call.counter.name,
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_notify(%s, %s)", [NOTIFY_CHANNEL, json.dumps(payload)])


@transaction.atomic
def raise_assistance_call(*, counter: OrgUnit, source: str) -> tuple[AssistanceCall, bool]:
    """Ring the counter's staff. Pressing again while a call waits rings nobody twice: the
    waiting call is returned (created=False)."""
    if counter.kind not in RATED_UNIT_KINDS or not counter.is_current():
        raise ValidationError({"counter": _("This counter does not take calls.")})
    if source not in CallSource.values:
        raise ValidationError({"source": _("Unknown source.")})
    OrgUnit.objects.select_for_update().filter(pk=counter.pk).first()  # one caller at a time
    waiting = (
        AssistanceCall.objects.filter(counter=counter, acknowledged_at__isnull=True)
        .open()
        .select_related("counter")
        .first()
    )
    if waiting is not None:
        return waiting, False
    throttle.spend([(throttle.key_for("assist", counter.pk), *conf.assistance_bucket())])
    with anonymously():  # a citizen pressed it: no actor, and no network address logged
        call = AssistanceCall.objects.create(counter=counter, source=source)
    _notify("raised", call)
    trust.schedule_escalation(call)  # the ladder: team lead, then unit head
    return call, True


def _check_bell(actor, call: AssistanceCall) -> None:
    if not scope_of(actor).covers(call.counter, roles=STAFF_ROLES):
        raise PermissionDenied


@transaction.atomic
def acknowledge_call(*, actor, call: AssistanceCall) -> AssistanceCall:
    _check_bell(actor, call)
    call = AssistanceCall.objects.select_for_update().select_related("counter").get(pk=call.pk)
    if call.acknowledged_at is None:
        call.acknowledged_at = max(timezone.now(), call.raised_at)
        call.acknowledged_by = actor
        with acting_as(actor):
            call.save(update_fields=["acknowledged_at", "acknowledged_by"])
        _notify("acknowledged", call)
    return call


@transaction.atomic
def resolve_call(*, actor, call: AssistanceCall) -> AssistanceCall:
    _check_bell(actor, call)
    call = AssistanceCall.objects.select_for_update().select_related("counter").get(pk=call.pk)
    if call.resolved_at is None:
        now = max(timezone.now(), call.raised_at)
        if call.acknowledged_at is None:
            call.acknowledged_at, call.acknowledged_by = now, actor
        call.resolved_at, call.resolved_by = now, actor
        with acting_as(actor):
            call.save(
                update_fields=["acknowledged_at", "acknowledged_by", "resolved_at", "resolved_by"]
            )
        _notify("resolved", call)
    return call


# --- Public-place reports -----------------------------------------------------------------


@dataclass
class ReportInput:
    category: ReportCategory
    description: str
    place: Place | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    address: str = ""
    photo: object | None = None  # an UploadedFile
    media_url: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    # Answers to the category's questions, checked by the caller (Open311's attribute[...]).
    attributes: dict = field(default_factory=dict)


@transaction.atomic
def submit_report(
    *, data: ReportInput, channel: str = ReportChannel.WEB
) -> tuple[PublicReport, str]:
    """Store a citizen's report with a receipt code, routed to the responsible commune;
    returns it with the reporter's secret, to be shown once (only its hash is kept).
    Throttling is the caller's (it knows the device); no network data is stored."""
    # Optional here as in Open311 (the category, place and answers may say enough); the web
    # form asks for it through the model field.
    description = data.description.strip()
    if not data.category.is_active:
        raise ValidationError({"category": _("This category no longer takes reports.")})
    if data.place is None and data.latitude is None and not data.address.strip():
        raise ValidationError({"place": _("Choose a place, a point on the map or an address.")})
    if (data.latitude is None) != (data.longitude is None):
        raise ValidationError({"longitude": _("Give both latitude and longitude.")})
    now = timezone.now()
    secret, secret_hash = new_secret()
    report = PublicReport(
        secret_hash=secret_hash,
        category=data.category,
        description=description,
        place=data.place,
        latitude=data.latitude,
        longitude=data.longitude,
        address=data.address.strip(),
        unit=route_report(
            place=data.place,
            latitude=data.latitude,
            longitude=data.longitude,
            address=data.address,
        ),
        media_url=web_link(data.media_url, field="media_url"),
        contact_name=data.contact_name.strip(),
        contact_email=data.contact_email.strip(),
        contact_phone=data.contact_phone.strip(),
        attributes=data.attributes,
        channel=channel,
        submitted_at=now,
        updated_at=now,
        due_at=now + datetime.timedelta(days=conf.report_due_days()),
    )
    if data.photo:
        photo = clean_attachment(data.photo, field="photo", accept=PHOTOS, keep_name=False)
        report.photo.save(photo.name, photo, save=False)
    with anonymously():
        for _attempt in range(5):
            report.receipt = new_receipt()
            try:
                with transaction.atomic():
                    report.save()
                break
            except IntegrityError:
                report.pk = None
                continue
        ReportUpdate.objects.create(report=report, status=ReportStatus.NEW, created_at=now)
    return report, secret


def _check_report(actor, report: PublicReport) -> None:
    if not scope_of(actor).covers(report.unit, roles=STAFF_ROLES):
        raise PermissionDenied


def _step(actor, report: PublicReport, status: str, note: str, *, is_public: bool = True):
    now = timezone.now()
    report.status = status
    report.updated_at = now
    if status in (ReportStatus.CLOSED, ReportStatus.REJECTED, ReportStatus.MERGED):
        report.closed_at = now
    with acting_as(actor):
        report.save()
        ReportUpdate.objects.create(
            report=report,
            status=status,
            note=note.strip(),
            is_public=is_public,
            author=actor,
            created_at=now,
        )


@transaction.atomic
def accept_report(*, actor, report: PublicReport, note: str = "") -> PublicReport:
    _check_report(actor, report)
    if report.status != ReportStatus.NEW:
        raise ValidationError(_("Only a new report can be accepted."))
    _step(actor, report, ReportStatus.ACCEPTED, note)
    return report


@transaction.atomic
def reject_report(*, actor, report: PublicReport, reason: str) -> PublicReport:
    _check_report(actor, report)
    if not report.is_open():
        raise ValidationError(_("This report is already closed."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for rejecting the report.")})
    _step(actor, report, ReportStatus.REJECTED, reason)
    return report


@transaction.atomic
def merge_report(*, actor, report: PublicReport, into: PublicReport) -> PublicReport:
    _check_report(actor, report)
    _check_report(actor, into)
    if into.pk == report.pk or into.duplicate_of_id == report.pk:
        raise ValidationError({"into": _("A report cannot be merged into itself.")})
    if not report.is_open():
        raise ValidationError(_("This report is already closed."))
    while into.duplicate_of_id:  # merge into the survivor of a chain
        into = into.duplicate_of
    report.duplicate_of = into
    _step(
        actor,
        report,
        ReportStatus.MERGED,
        _("Handled together with report %(receipt)s.") % {"receipt": into.receipt},
    )
    return report


@transaction.atomic
def add_report_note(
    *, actor, report: PublicReport, note: str, is_public: bool = True
) -> PublicReport:
    _check_report(actor, report)
    if not report.is_open():
        raise ValidationError(_("This report is already closed."))
    if not note.strip():
        raise ValidationError({"note": _("Write the note.")})
    _step(actor, report, ReportStatus.IN_PROGRESS, note, is_public=is_public)
    return report


@transaction.atomic
def close_report(*, actor, report: PublicReport, public_note: str) -> PublicReport:
    _check_report(actor, report)
    if report.status not in (ReportStatus.ACCEPTED, ReportStatus.IN_PROGRESS):
        raise ValidationError(_("Accept the report before closing it."))
    if not public_note.strip():
        raise ValidationError({"public_note": _("Tell the public what was done.")})
    _step(actor, report, ReportStatus.CLOSED, public_note)
    return report


@transaction.atomic
def reassign_report(*, actor, report: PublicReport, unit: OrgUnit) -> PublicReport:
    _check_report(actor, report)
    if not scope_of(actor).covers(unit) and not scope_of(actor).covers(
        report.unit, roles=MANAGER_ROLES
    ):
        raise PermissionDenied
    if unit.kind not in COMMUNE_LEVEL_KINDS:
        raise ValidationError({"unit": _("Reports go to a commune or ward.")})
    report.unit = unit
    _step(
        actor,
        report,
        report.status,
        _("Sent to %(unit)s.") % {"unit": unit.name},
        is_public=True,
    )
    return report


@transaction.atomic
def add_outside_update(*, report: PublicReport, note: str) -> tuple[ReportUpdate, bool]:
    """A message about a report from outside Civility (FixMyStreet posts its users' updates
    over Open311): kept for the commune's staff only, the report's state unchanged (only
    staff move it). The same note on the same report is stored once (a client's retry);
    returns the update and whether it is new."""
    note = note.strip()
    if not note:
        raise ValidationError({"description": _("Write the update.")})
    report = PublicReport.objects.select_for_update().get(pk=report.pk)
    existing = report.updates.filter(is_public=False, author=None, note=note).first()
    if existing is not None:
        return existing, False
    with anonymously():
        update = ReportUpdate.objects.create(
            report=report, status=report.status, note=note, is_public=False
        )
    return update, True


@transaction.atomic
def record_handling_satisfaction(
    *, report: PublicReport, secret: str, satisfied: bool
) -> PublicReport:
    """The reporter's answer once the report is closed (Civility's own indicator of report
    handling, not a Decision 766 rate). The receipt code is public, so only the reporter's
    secret gives or changes the answer; each change is in the audit trail (with no actor or
    address)."""
    if report.status != ReportStatus.CLOSED:
        raise ValidationError(_("You can answer once the report is closed."))
    if not secret_matches(secret, report.secret_hash):
        raise ValidationError({"secret": _("This secret does not match the receipt code.")})
    report = PublicReport.objects.select_for_update().get(pk=report.pk)
    if report.citizen_satisfied is not satisfied:
        report.citizen_satisfied = satisfied
        with acting_as(None):
            report.save(update_fields=["citizen_satisfied"])
    return report


# --- Dossier statistics -------------------------------------------------------------------


@dataclass
class DossierRow:
    unit: OrgUnit
    period_start: datetime.date
    period_end: datetime.date
    received: int
    processed: int
    early: int
    on_time: int
    late: int
    online: int


def check_dossier_row(row: DossierRow, where: str = "") -> None:
    def fail(name: str, message: str):
        raise ValidationError({name: f"{where}{message}"})

    if row.unit.kind not in DOSSIER_UNIT_KINDS:
        fail("unit", _("Dossier figures belong to a service center, branch, point or counter."))
    if row.period_end < row.period_start:
        fail("period_end", _("The period ends before it starts."))
    for name in ("received", "processed", "early", "on_time", "late", "online"):
        if getattr(row, name) < 0:
            fail(name, _("Counts cannot be negative."))
    if row.early + row.on_time + row.late > row.processed:
        fail("processed", _("Early, on time and late add up to more than processed."))
    if row.online > row.received:
        fail("online", _("More dossiers received online than received."))


@transaction.atomic
def save_dossier_stats(*, actor, rows: list[DossierRow]) -> tuple[int, int]:
    """Create or replace figures per unit and period; all rows or none. (created, updated)"""
    scope = scope_of(actor)
    created = updated = 0
    with acting_as(actor):
        for number, row in enumerate(rows, start=1):
            where = _("Row %(row)s: ") % {"row": number} if len(rows) > 1 else ""
            check_dossier_row(row, where)
            if not scope.covers(row.unit, roles=STAFF_ROLES):
                raise PermissionDenied
            _stat, was_created = DossierStat.objects.update_or_create(
                unit=row.unit,
                period_start=row.period_start,
                period_end=row.period_end,
                defaults={
                    name: getattr(row, name)
                    for name in ("received", "processed", "early", "on_time", "late", "online")
                },
            )
            created += was_created
            updated += not was_created
    return created, updated


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
        written = cursor.rowcount
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
