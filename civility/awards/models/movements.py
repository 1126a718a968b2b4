"""Emulation movements (phong trào thi đua), run for a period over a unit's subtree, and the
units and officials registering for them."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civility.awards.models.catalogue import text_lines
from civility.awards.models.roles import AnyUser
from civility.codes.models import overlapping_q
from civility.core.models import NamedInTwoLanguages, UnitAudited
from civility.orgs.models import Official, OrgUnit

# --- Movements ---------------------------------------------------------------------------


class MovementQuerySet(models.QuerySet["Movement"]):
    def visible_to(self, user: AnyUser) -> MovementQuerySet:
        """Movements of a unit in the user's scope or above it (a ward joins the city's)."""
        return self.filter(overlapping_q(user, "unit__path"))

    def running(self, on: datetime.date | None = None) -> MovementQuerySet:
        day = on or timezone.localdate()
        return self.filter(starts_on__lte=day).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))


class Movement(NamedInTwoLanguages, UnitAudited):
    """An emulation movement, e.g. "officials strive to embody culture in offices"."""

    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="movements",
        verbose_name=_("launching unit"),
        help_text=_("The movement covers this unit and the units under it."),
    )
    name = models.CharField(_("name (Vietnamese)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    reference = models.CharField(
        _("launching document"), max_length=200, blank=True, help_text=_("Number and date.")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    criteria = models.TextField(
        _("criteria"), blank=True, help_text=_("One criterion per line: what is emulated.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MovementQuerySet.as_manager()

    class Meta:
        verbose_name = _("emulation movement")
        verbose_name_plural = _("emulation movements")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="movement_period",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("awards:movement_detail", args=[self.pk])

    def criteria_lines(self) -> list[str]:
        return text_lines(self.criteria)


class MovementRegistration(UnitAudited):
    """A unit, or an official in it, registering for a movement with a pledge."""

    movement = models.ForeignKey(
        Movement,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("movement"),
    )
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    official = models.ForeignKey(
        Official,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="movement_registrations",
        verbose_name=_("official"),
    )
    registered_on = models.DateField(_("registered on"), default=timezone.localdate)
    pledge = models.TextField(_("pledge"), blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )

    class Meta:
        verbose_name = _("movement registration")
        verbose_name_plural = _("movement registrations")
        ordering = ["unit__path", "official__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["movement", "unit"],
                condition=Q(official__isnull=True),
                name="registration_unit_once",
            ),
            models.UniqueConstraint(
                fields=["movement", "official"],
                condition=Q(official__isnull=False),
                name="registration_official_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.movement} · {self.official or self.unit}"
