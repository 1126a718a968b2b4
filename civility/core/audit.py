"""Attribution of audit events outside a web request (imports, jobs, commands), and what a
reader of the audit log may not learn from it."""

import contextlib
from collections.abc import Callable, Iterable, Iterator

from auditlog.cid import correlation_id, get_cid
from auditlog.context import auditlog_value, set_actor
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q

__all__ = ["acting_as", "anonymously", "log_reads", "redactions_for", "register_redaction"]


@contextlib.contextmanager
def acting_as(actor, *, remote_addr: str | None = None) -> Iterator[None]:
    """Record the audit events written inside the block as `actor`'s.

    Actions wrap their writes in it so the trail names the user even when no request (and so
    no AuditlogMiddleware) is around. auditlog's own `set_actor` does not nest: it overwrites
    the request's context, so on leaving the request's signal receiver is never disconnected
    (one leaked receiver per request). Restoring the outer context on exit fixes that.
    """
    outer = auditlog_value.get(None)
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


def log_reads(*, actor, instances: Iterable[Model]) -> None:
    """Write an ACCESS event for each instance, in one statement, attributed as auditlog
    attributes the events written inside acting_as(actor).

    auditlog's `accessed` signal writes one row a statement: a list page showing fifty
    confidential records would make fifty inserts, and its query count would grow with
    the page.
    """
    from civility.core.models import AuditEvent

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


def redactions_for(user) -> tuple[Q, Q]:
    hidden, nameless = Q(pk__in=[]), Q(pk__in=[])
    for redaction in _redactions:
        more_hidden, more_nameless = redaction(user)
        hidden |= more_hidden
        nameless |= more_nameless
    return hidden, nameless
