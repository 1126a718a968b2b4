"""Who may do what with the catalogue and the records: the permission checks every conduct
workflow starts with."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied

from civility.conduct.models import (
    CATALOGUE_ROLES,
    DECIDER_ROLES,
    READER_ROLES,
    ViolationRecord,
)
from civility.orgs.models import OrgUnit
from civility.orgs.scopes import scope_of

# --- Permissions -------------------------------------------------------------------------


def can_manage_catalogue(user: User | None, unit: OrgUnit) -> bool:
    return scope_of(user).covers(unit, roles=CATALOGUE_ROLES)


def can_report(user: User | None, unit: OrgUnit) -> bool:
    return scope_of(user).covers(unit, roles=READER_ROLES)


def can_handle(user: User | None, record: ViolationRecord) -> bool:
    """Verify, add evidence, ask the reporter. Nobody handles a record about themselves."""
    return scope_of(user).covers(record.unit, roles=READER_ROLES) and not record.is_about(user)


def can_decide(user: User | None, record: ViolationRecord) -> bool:
    return scope_of(user).covers(record.unit, roles=DECIDER_ROLES) and not record.is_about(user)


def may_see_reporter(user: User | None, record: ViolationRecord) -> bool:
    """The official concerned never learns who reported; handlers of the subtree do."""
    return not record.is_about(user) and scope_of(user).covers(record.unit, roles=READER_ROLES)


def _ensure(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied
