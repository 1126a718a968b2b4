"""The assistance bell: raising, acknowledging and resolving a call, notified to every
listening process."""

from __future__ import annotations

import json

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civility.core.audit import acting_as, anonymously
from civility.feedback import conf, stream, throttle, trust
from civility.feedback.models import (
    RATED_UNIT_KINDS,
    STAFF_ROLES,
    AssistanceCall,
    CallSource,
)
from civility.orgs.models import OrgUnit
from civility.orgs.scopes import scope_of


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
        cursor.execute("SELECT pg_notify(%s, %s)", [stream.CHANNEL, json.dumps(payload)])


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


def _check_bell(actor: User, call: AssistanceCall) -> None:
    if not scope_of(actor).covers(call.counter, roles=STAFF_ROLES):
        raise PermissionDenied


@transaction.atomic
def acknowledge_call(*, actor: User, call: AssistanceCall) -> AssistanceCall:
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
def resolve_call(*, actor: User, call: AssistanceCall) -> AssistanceCall:
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
