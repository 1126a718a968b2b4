import datetime

from auditlog.models import AbstractLogEntry, LogEntryManager
from django.conf import settings
from django.db import models
from django.utils import timezone
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


class Verified(models.Model):
    """A unit's own report checked by the level above. What the verifier found is kept next
    to what the unit reported (the subclass's own field), never over it, so the gap between
    the two stays visible (evaluations.gaps, insights.sources.self_assessment)."""

    verification_note = models.TextField(_("verification note"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)

    class Meta:
        abstract = True

    def is_verified(self) -> bool:
        return self.verified_at is not None

    def verify(self, *, by, note: str, now: datetime.datetime | None = None, **found) -> None:
        """Record what was found (`found`: the verified field and its value) and who found it.
        Callers check permission and that it is done once, and attribute the audit entry."""
        for field, value in found.items():
            setattr(self, field, value)
        self.verification_note = note.strip()
        self.verified_by = by
        self.verified_at = now or timezone.now()
        self.save(update_fields=[*found, "verification_note", "verified_by", "verified_at"])
