"""Who may do what in awards: the permission checks every action and page asks."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from civility.awards.models.nominations import Nomination
from civility.awards.models.roles import (
    BOARD_ROLES,
    CATALOGUE_ROLES,
    DECIDER_ROLES,
    MANAGER_ROLES,
    PROPOSER_ROLES,
    READER_ROLES,
    AnyUser,
)
from civility.orgs.models import OrgUnit
from civility.orgs.scopes import scope_of


def ensure_allowed(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def can_manage_catalogue(user: AnyUser, unit: OrgUnit) -> bool:
    return scope_of(user).covers(unit, roles=CATALOGUE_ROLES)


def can_propose(user: AnyUser, unit: OrgUnit) -> bool:
    return scope_of(user).covers(unit, roles=PROPOSER_ROLES)


def can_read(user: AnyUser, unit: OrgUnit) -> bool:
    return scope_of(user).covers(unit, roles=READER_ROLES)


def can_vote(user: AnyUser, nomination: Nomination) -> bool:
    return scope_of(user).covers(nomination.unit, roles=BOARD_ROLES)


def can_decide(user: AnyUser, unit: OrgUnit) -> bool:
    return scope_of(user).covers(unit, roles=DECIDER_ROLES)


def can_manage(user: AnyUser, unit: OrgUnit) -> bool:
    return scope_of(user).covers(unit, roles=MANAGER_ROLES)
