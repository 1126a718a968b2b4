"""Who may see what: roles granted on units, each covering the unit's subtree.

`scope_of(user)` is computed once per user object and cached on it; API tokens replace it
with the token's own narrower scope (see civility.accounts.api_auth).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeAlias, cast

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser, User

    from civility.orgs.models import OrgUnit  # the models build on this module

# Whoever reads: a signed-in or anonymous user, or None where no request is at hand.
Reader: TypeAlias = "AbstractBaseUser | AnonymousUser | None"


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    COORDINATOR = "coordinator", _("Programme coordinator")
    UNIT_HEAD = "unit_head", _("Unit head")
    INSPECTOR = "inspector", _("Inspector")
    EVALUATOR = "evaluator", _("Evaluator")
    OFFICIAL = "official", _("Official")
    BOARD_MEMBER = "board_member", _("Commendation board member")
    VIEWER = "viewer", _("Viewer")


# Roles that may change the people and structure of the units they cover.
MANAGER_ROLES = (Role.SYSTEM_ADMIN, Role.COORDINATOR, Role.UNIT_HEAD)

_CACHE_ATTRIBUTE = "_civility_scope"


@dataclass(frozen=True)
class Scope:
    """The unit subtrees a principal reaches, with the roles held on each."""

    is_global: bool = False
    grants: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (role, unit path)

    AUDIT_READER_ROLES = (Role.SYSTEM_ADMIN, Role.COORDINATOR)

    @property
    def paths(self) -> list[str]:
        return _outermost(path for _role, path in self.grants)

    def paths_with_role(self, *roles: str) -> list[str]:
        return _outermost(path for role, path in self.grants if role in roles)

    def holds(self, *roles: str) -> bool:
        """Whether one of `roles` is held on some unit (every role, for a global scope): the
        condition for a page of those roles to open at all (civility.orgs.access)."""
        return self.is_global or bool(self.paths_with_role(*roles))

    def q(self, path_field: str, *, roles: tuple[str, ...] | None = None) -> Q:
        """A filter for rows whose unit path lies in this scope (optionally for some roles)."""
        if self.is_global:
            return Q()
        paths = self.paths if roles is None else self.paths_with_role(*roles)
        if not paths:
            return Q(pk__in=[])
        condition = Q()
        for path in paths:
            condition |= Q(**{f"{path_field}__startswith": path})
        return condition

    def covers(self, unit: OrgUnit, *, roles: tuple[str, ...] | None = None) -> bool:
        if self.is_global:
            return True
        paths = self.paths if roles is None else self.paths_with_role(*roles)
        return any(unit.path.startswith(path) for path in paths)

    def roles_on(self, unit: OrgUnit) -> set[str]:
        if self.is_global:
            return set(Role.values)
        return {role for role, path in self.grants if unit.path.startswith(path)}


def _outermost(paths: Iterable[str]) -> list[str]:
    """Drop paths nested inside another, so filters stay short."""
    kept: list[str] = []
    for path in sorted(set(paths), key=len):
        if not any(path.startswith(outer) for outer in kept):
            kept.append(path)
    return kept


NO_SCOPE = Scope()


def scope_of(user: Reader) -> Scope:
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_SCOPE
    cached: Scope | None = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    # Signed in and active: an account of AUTH_USER_MODEL, which is Django's User.
    scope = _load_scope(cast("User", user))
    setattr(user, _CACHE_ATTRIBUTE, scope)
    return scope


def restrict_scope(user: Reader, scope: Scope) -> None:
    """Make `user` act with `scope` only for the rest of this request (API tokens)."""
    setattr(user, _CACHE_ATTRIBUTE, scope)


def forget_scope(user: Reader) -> None:
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def _load_scope(user: User) -> Scope:
    if user.is_superuser:
        return Scope(is_global=True)
    # Through the user's reverse relation: models.py builds on this module, so it is not imported.
    grants = tuple(user.role_assignments.values_list("role", "unit__path"))
    return Scope(grants=grants)
