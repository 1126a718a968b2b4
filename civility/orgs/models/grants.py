"""What a unit grants and decides for its subtree: role assignments (scopes.py reads them)
and the values it chose for settings the law leaves open (policies.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civility.core.models import UnitAudited
from civility.orgs.models.units import OrgUnit
from civility.orgs.scopes import Reader, Role, scope_of


class RoleAssignmentQuerySet(models.QuerySet["RoleAssignment"]):
    def visible_to(self, user: Reader) -> RoleAssignmentQuerySet:
        return self.filter(scope_of(user).q("unit__path"))


class RoleAssignment(UnitAudited):
    """A role granted to a user on a unit; it covers the unit's whole subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("unit")
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit"], name="role_unique_grant"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit}"


class UnitPolicyQuerySet(models.QuerySet["UnitPolicy"]):
    def visible_to(self, user: Reader) -> UnitPolicyQuerySet:
        return self.filter(scope_of(user).q("unit__path"))


class UnitPolicy(UnitAudited):
    """A value chosen by a unit for a setting the law leaves open (civility.orgs.policies),
    in force in its subtree from `valid_from` until a later record replaces it."""

    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="policies", verbose_name=_("unit")
    )
    key = models.CharField(_("setting"), max_length=64)
    value = models.JSONField(_("value"))
    valid_from = models.DateField(_("in force from"))
    source = models.CharField(
        _("ground"),
        max_length=255,
        blank=True,
        help_text=_(
            "The document that decided it (number, article, clause). Leave empty when none "
            "was issued: the setting is then shown as 'to be confirmed'."
        ),
    )
    note = models.TextField(_("note"), blank=True, max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = UnitPolicyQuerySet.as_manager()

    class Meta:
        verbose_name = _("setting")
        verbose_name_plural = _("settings")
        ordering = ["unit__path", "key", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "key", "valid_from"], name="unitpolicy_once_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.key} · {self.valid_from}"
