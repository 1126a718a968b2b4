"""One-stop dossier figures of service points, imported or pushed."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from civility.core.models import UnitAudited
from civility.feedback.models.scoping import scoped
from civility.orgs.models import OrgUnit
from civility.orgs.scopes import Reader


class DossierStatQuerySet(models.QuerySet["DossierStat"]):
    def visible_to(self, user: Reader) -> DossierStatQuerySet:
        return self.filter(scoped("unit__path", user))


class DossierStat(UnitAudited):
    """One-stop processing figures of a service point for a period (imported or pushed)."""

    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="dossier_stats", verbose_name=_("unit")
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    received = models.PositiveIntegerField(_("received"))
    processed = models.PositiveIntegerField(_("processed"))
    early = models.PositiveIntegerField(_("before the deadline"))
    on_time = models.PositiveIntegerField(_("on time"))
    late = models.PositiveIntegerField(_("late"))
    online = models.PositiveIntegerField(_("received online"))
    updated_at = models.DateTimeField(auto_now=True)

    objects = DossierStatQuerySet.as_manager()

    class Meta:
        verbose_name = _("dossier statistics")
        verbose_name_plural = _("dossier statistics")
        ordering = ["-period_start", "unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "period_start", "period_end"], name="dossierstat_unique"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="dossierstat_period"
            ),
            models.CheckConstraint(
                condition=Q(processed__gte=F("early") + F("on_time") + F("late")),
                name="dossierstat_timeliness_within_processed",
            ),
            models.CheckConstraint(
                condition=Q(received__gte=F("online")), name="dossierstat_online_within_received"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} · {self.period_start}–{self.period_end}"

    def online_share(self) -> float | None:
        return self.online / self.received if self.received else None
