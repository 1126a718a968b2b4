"""Attribution of audit events: who wrote, and from which address; and what a reader of the
audit log may not learn from it.

Only a signed-in actor's writes carry a source address, the client's as decided by
civility.core.clients (X-Forwarded-For believed only from TRUSTED_PROXIES). Citizens' writes
(public reports, ratings, anonymous reports) carry none, so the trail never locates them.
"""

import contextlib
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from auditlog.cid import correlation_id, get_cid
from auditlog.context import auditlog_value, set_actor
from auditlog.middleware import AuditlogMiddleware
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser, User
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q
from django.http import HttpRequest
from django.utils.encoding import smart_str

from civility.core.clients import client_address
from civility.core.models import AuditEvent

__all__ = [
    "AuditMiddleware",
    "acting_as",
    "anonymously",
    "log_reads",
    "log_writes",
    "may_read_log",
    "redactions_for",
    "register_readers",
    "register_redaction",
]


# django-auditlog ships no type information (no py.typed, no stubs): its classes are Any.
class AuditMiddleware(AuditlogMiddleware):  # type: ignore[misc]
    """auditlog's middleware, with our client address instead of X-Forwarded-For's left-most
    entry (anyone can write that), and none for anonymous requests. No port: a client sets
    X-Forwarded-Port too, and the address is enough."""

    def get_extra_data(self, request: HttpRequest) -> dict[str, Any]:
        actor = self._get_actor(request)
        return {
            "actor": actor,
            "remote_addr": client_address(request) if actor is not None else None,
            "remote_port": None,
        }


@contextlib.contextmanager
def acting_as(
    actor: User | AnonymousUser | None, *, remote_addr: str | None = None
) -> Iterator[None]:
    """Record the audit events written inside the block as `actor`'s.

    Actions wrap their writes in it so the trail names the user even when no request (and so
    no AuditMiddleware) is around. Inside a request an actor's writes keep the request's
    source address (losing it here is why nearly every event had none); `acting_as(None)`,
    a citizen's write, keeps no address. auditlog's own `set_actor` does not nest: it
    overwrites the request's context, so on leaving the request's signal receiver is never
    disconnected (one leaked receiver per request). Restoring the outer context on exit
    fixes that. auditlog names only a User as the actor: an AnonymousUser's events name none.
    """
    outer = auditlog_value.get(None)
    if remote_addr is None and actor is not None and outer is not None:
        remote_addr = outer.get("remote_addr")
    try:
        with set_actor(actor, remote_addr=remote_addr):
            yield
    finally:
        if outer is not None:
            auditlog_value.set(outer)


@contextlib.contextmanager
def anonymously() -> Iterator[None]:
    """Write the audit events of the block with nothing that could point at the person:
    no actor, no remote address or port, and no correlation id (a proxy's request id would
    match the event to its access-log line)."""
    token = correlation_id.set(None)
    try:
        with acting_as(None):
            yield
    finally:
        correlation_id.reset(token)


def log_reads(*, actor: User | AnonymousUser | None, instances: Iterable[Model]) -> None:
    """Write an ACCESS event for each instance, in one statement, attributed as auditlog
    attributes the events written inside acting_as(actor).

    auditlog's `accessed` signal writes one row a statement: a list page showing fifty
    confidential records would make fifty inserts, and its query count would grow with
    the page.
    """
    instances = list(instances)
    if not instances:
        return
    with acting_as(actor):
        context = auditlog_value.get({})
    attributed = context.get("actor")
    attributed = attributed if isinstance(attributed, get_user_model()) else None
    content_types = ContentType.objects.get_for_models(*{type(obj) for obj in instances})
    AuditEvent.objects.bulk_create(
        AuditEvent(
            action=AuditEvent.Action.ACCESS,
            content_type=content_types[type(obj)],
            object_pk=str(obj.pk),
            object_id=obj.pk,
            object_repr=str(obj),
            changes={},
            additional_data=getattr(obj, "get_additional_data", lambda: None)(),
            actor=attributed,
            actor_email=getattr(attributed, "email", None),
            remote_addr=context.get("remote_addr"),
            remote_port=context.get("remote_port"),
            cid=get_cid(),
        )
        for obj in instances
    )


def log_writes(
    *, actor: User | None, action: int, changes: Iterable[tuple[Model, dict[str, list[str]]]]
) -> int:
    """Write the CREATE or UPDATE events of rows written in bulk (bulk_create sends no
    signal, so auditlog sees nothing), attributed as `acting_as(actor)` attributes them.

    `changes` pairs each saved instance with {field: [before, after]} in auditlog's own
    form (values as text, "None" for empty), so the audit page reads them like any other.
    Computing them here costs microseconds a row; auditlog's diff reads every reverse
    one-to-one relation of the row, a query each. Returns the number of events written.
    """
    rows = [(obj, diff) for obj, diff in changes if diff]
    if not rows:
        return 0
    with acting_as(actor):
        context = auditlog_value.get({})
    attributed = context.get("actor")
    attributed = attributed if isinstance(attributed, get_user_model()) else None
    content_types = ContentType.objects.get_for_models(*{type(obj) for obj, _diff in rows})
    cid = get_cid()
    AuditEvent.objects.bulk_create(
        (
            AuditEvent(
                action=action,
                content_type=content_types[type(obj)],
                object_pk=smart_str(obj.pk),
                object_id=obj.pk,
                object_repr=smart_str(obj),
                changes=diff,
                additional_data=getattr(obj, "get_additional_data", lambda: None)(),
                actor=attributed,
                actor_email=getattr(attributed, "email", None),
                remote_addr=context.get("remote_addr"),
                remote_port=context.get("remote_port"),
                cid=cid,
            )
            for obj, diff in rows
        ),
        batch_size=5000,
    )
    return len(rows)


# --- Redaction ----------------------------------------------------------------------------

# A redaction takes the reader and returns two filters on AuditEvent: the rows the reader
# does not see at all, and the rows shown without who acted (nor the people named in their
# changes). Apps register theirs where their own confidentiality rules live (conduct: the
# reporter of a confidential record); AuditEvent.objects.visible_to applies them all.
Redaction = Callable[[object], tuple[Q, Q]]
_redactions: list[Redaction] = []


def register_redaction(redaction: Redaction) -> None:
    if redaction not in _redactions:
        _redactions.append(redaction)


def redactions_for(user: AbstractBaseUser | AnonymousUser | None) -> tuple[Q, Q]:
    hidden, nameless = Q(pk__in=[]), Q(pk__in=[])
    for redaction in _redactions:
        more_hidden, more_nameless = redaction(user)
        hidden |= more_hidden
        nameless |= more_nameless
    return hidden, nameless


# --- Readers ------------------------------------------------------------------------------

# Who may open the audit log is a question of unit roles, which orgs answers: it registers
# its answer when it starts (orgs/apps.py), as the apps register their redactions, so core
# imports no app. Until one is registered nobody reads the log.
Readers = Callable[[AbstractBaseUser | AnonymousUser | None], bool]
_readers: list[Readers] = []


def register_readers(may_read: Readers) -> None:
    if may_read not in _readers:
        _readers.append(may_read)


def may_read_log(user: AbstractBaseUser | AnonymousUser | None) -> bool:
    return any(may_read(user) for may_read in _readers)
