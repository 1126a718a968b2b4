"""Attribution of audit events outside a web request (imports, jobs, commands)."""

from auditlog.context import set_actor

__all__ = ["acting_as"]

# Actions wrap their writes in `with acting_as(actor):` so the audit trail names the user
# even when no request (and so no AuditlogMiddleware) is around.
acting_as = set_actor
