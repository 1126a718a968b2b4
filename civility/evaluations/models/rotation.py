"""Rotation of posts subject to periodic rotation: plans and exceptions (deferrals under
Decree 59/2019, or another stated reason)."""

from __future__ import annotations

import datetime
from typing import Self, TypeVar

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civility.core.models import UnitAudited
from civility.evaluations.models.common import MANAGER_ROLES
from civility.orgs.models import Official, OrgUnit, Post
from civility.orgs.scopes import scope_of

# --- Rotation of posts subject to periodic rotation --------------------------------------


class RotationStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


_Row = TypeVar("_Row", bound=models.Model)


class RotationQuerySet(models.QuerySet[_Row]):
    """Rotation plans and exceptions, read by their official's unit."""

    def visible_to(self, user: User | AnonymousUser | None) -> Self:
        return self.filter(scope_of(user).q("official__unit__path", roles=MANAGER_ROLES))

    def under(self, unit: OrgUnit) -> Self:
        return self.filter(official__unit__path__startswith=unit.path)


class RotationPlanQuerySet(RotationQuerySet["RotationPlan"]):
    pass


class RotationExceptionQuerySet(RotationQuerySet["RotationException"]):
    pass


class RotationPlan(UnitAudited):
    """A planned (then completed) move of an official from a post subject to periodic rotation
    to another."""

    audit_unit = "official.unit"

    official = models.ForeignKey(
        Official, on_delete=models.PROTECT, related_name="rotations", verbose_name=_("official")
    )
    from_post = models.ForeignKey(
        Post, on_delete=models.PROTECT, related_name="+", verbose_name=_("from post")
    )
    to_post = models.ForeignKey(
        Post, on_delete=models.PROTECT, related_name="+", verbose_name=_("to post")
    )
    planned_on = models.DateField(_("planned for"))
    status = models.CharField(
        _("status"), max_length=16, choices=RotationStatus.choices, default=RotationStatus.PLANNED
    )
    done_on = models.DateField(_("rotated on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RotationPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("rotation")
        verbose_name_plural = _("rotations")
        ordering = ["planned_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_post=models.F("to_post")), name="rotation_changes_post"
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(done_on__isnull=False), name="rotation_done_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.official}: {self.from_post} → {self.to_post}"


class RotationExceptionKind(models.TextChoices):
    """Why an official is not rotated when due. The first five defer the rotation while they
    last (Decree 59/2019, amended by Decree 134/2021)."""

    DISCIPLINARY_REVIEW = "disciplinary_review", _("Under disciplinary review")
    INVESTIGATION = "investigation", _("Under investigation")
    SERIOUS_ILLNESS = "serious_illness", _("Treated for a serious illness")
    PREGNANCY = "pregnancy", _("Pregnant")
    CHILD_UNDER_36_MONTHS = "child_under_36_months", _("Raising a child under 36 months")
    OTHER = "other", _("Other reason, stated below")


class RotationException(UnitAudited):
    """An official not rotated when due, from a day to a day (or until further notice): a
    deferral under Decree 59/2019 or another stated reason."""

    audit_unit = "official.unit"

    official = models.ForeignKey(
        Official,
        on_delete=models.PROTECT,
        related_name="rotation_exceptions",
        verbose_name=_("official"),
    )
    post = models.ForeignKey(
        Post, on_delete=models.PROTECT, related_name="+", verbose_name=_("post")
    )
    kind = models.CharField(
        _("ground"),
        max_length=32,
        choices=RotationExceptionKind.choices,
        default=RotationExceptionKind.OTHER,
    )
    reason = models.TextField(_("reason"))
    starts_on = models.DateField(_("starts on"))
    valid_until = models.DateField(_("until"), null=True, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RotationExceptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("rotation exception")
        verbose_name_plural = _("rotation exceptions")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="rotation_exception_reason"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("starts_on")),
                name="rotation_exception_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.official} · {self.post}"

    def is_active(self, on: datetime.date) -> bool:
        return self.starts_on <= on and (self.valid_until is None or on <= self.valid_until)

    def is_deferral(self) -> bool:
        return self.kind != RotationExceptionKind.OTHER
