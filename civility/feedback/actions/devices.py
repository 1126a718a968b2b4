"""The counter kiosks: registering one, its key, who is on duty at its counter."""

from __future__ import annotations

import datetime
import json

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civility.accounts.models import hash_token
from civility.core.audit import acting_as
from civility.core.db import bound_cursor
from civility.feedback import stream
from civility.feedback.models import (
    RATED_UNIT_KINDS,
    CounterDevice,
)
from civility.orgs.models import Official, OfficialQuerySet, OrgUnit
from civility.orgs.scopes import MANAGER_ROLES, scope_of

LAST_SEEN_PRECISION = datetime.timedelta(minutes=1)


@transaction.atomic
def register_device(*, actor: User, counter: OrgUnit, name: str) -> tuple[CounterDevice, str]:
    """A kiosk for `counter`; returns the device and its secret (shown once)."""
    if counter.kind not in RATED_UNIT_KINDS:
        raise ValidationError({"counter": _("Kiosks belong to one-stop counters.")})
    if not scope_of(actor).covers(counter, roles=MANAGER_ROLES):
        raise PermissionDenied
    return _new_device(actor=actor, counter=counter, name=name.strip() or counter.name)


def _new_device(
    *, actor: User, counter: OrgUnit, name: str, on_duty_id: int | None = None
) -> tuple[CounterDevice, str]:
    secret = CounterDevice.new_secret()
    device = CounterDevice(counter=counter, name=name, on_duty_id=on_duty_id, created_by=actor)
    device.set_secret(secret)
    with acting_as(actor):
        device.save()
    return device, secret


@transaction.atomic
def reissue_device_key(*, actor: User, device: CounterDevice) -> tuple[CounterDevice, str]:
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


def revoke_device(*, actor: User, device: CounterDevice) -> None:
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
        cursor.execute("SELECT pg_notify(%s, %s)", [stream.CHANNEL, json.dumps(payload)])


def counter_officials(counter: OrgUnit) -> OfficialQuerySet:
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
