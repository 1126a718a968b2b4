"""Attribution of audit events outside a web request (imports, jobs, commands)."""

import contextlib
from collections.abc import Iterator

from auditlog.cid import correlation_id
from auditlog.context import auditlog_value, set_actor

__all__ = ["acting_as", "anonymously"]


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
