"""Attribution of audit events: who wrote, and from which address.

Only a signed-in actor's writes carry a source address, the client's as decided by
civility.core.clients (X-Forwarded-For believed only from TRUSTED_PROXIES). Citizens' writes
(public reports, ratings, anonymous reports) carry none, so the trail never locates them.
"""

import contextlib
from collections.abc import Iterator

from auditlog.context import auditlog_value, set_actor
from auditlog.middleware import AuditlogMiddleware

from civility.core.clients import client_address

__all__ = ["AuditMiddleware", "acting_as"]


class AuditMiddleware(AuditlogMiddleware):
    """auditlog's middleware, with our client address instead of X-Forwarded-For's left-most
    entry (anyone can write that), and none for anonymous requests. No port: a client sets
    X-Forwarded-Port too, and the address is enough."""

    def get_extra_data(self, request):
        actor = self._get_actor(request)
        return {
            "actor": actor,
            "remote_addr": client_address(request) if actor is not None else None,
            "remote_port": None,
        }


@contextlib.contextmanager
def acting_as(actor, *, remote_addr: str | None = None) -> Iterator[None]:
    """Record the audit events written inside the block as `actor`'s.

    Actions wrap their writes in it so the trail names the user even when no request (and so
    no AuditMiddleware) is around. Inside a request an actor's writes keep the request's
    source address (losing it here is why nearly every event had none); `acting_as(None)`,
    a citizen's write, keeps no address. auditlog's own `set_actor` does not nest: it
    overwrites the request's context, so on leaving the request's signal receiver is never
    disconnected (one leaked receiver per request). Restoring the outer context on exit
    fixes that.
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
