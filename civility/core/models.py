from auditlog.models import AbstractLogEntry, LogEntryManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEventQuerySet(models.QuerySet):
    def in_subtree(self, path: str) -> "AuditEventQuerySet":
        """Events on records that belong to the unit at `path` or below it."""
        return self.filter(additional_data__unit_path__startswith=path)

    def visible_to(self, user) -> "AuditEventQuerySet":
        from civility.orgs.scopes import scope_of

        scope = scope_of(user)
        if scope.is_global:
            return self
        paths = scope.paths_with_role(*scope.AUDIT_READER_ROLES)
        if not paths:
            return self.none()
        condition = models.Q()
        for path in paths:
            condition |= models.Q(additional_data__unit_path__startswith=path)
        return self.filter(condition)


class AuditEvent(AbstractLogEntry):
    """Who changed which record, when, and what changed (before → after).

    Written by django-auditlog for every registered model; `additional_data.unit_path`
    carries the owning unit's path so coordinators read the events of their subtree.
    """

    objects = LogEntryManager.from_queryset(AuditEventQuerySet)()

    class Meta(AbstractLogEntry.Meta):
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
