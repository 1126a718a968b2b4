"""Workflows that change organisation data. Views and API endpoints call these, never the ORM."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction

from civility.core.audit import acting_as
from civility.orgs.models import Official, OrgUnit, Post
from civility.orgs.scopes import MANAGER_ROLES, scope_of

OFFICIAL_FIELDS = frozenset(
    {
        "unit", "staff_code", "full_name", "staff_category", "post", "is_leader",
        "post_start_date", "email", "phone", "left_on",
    }
)


def ensure_can_manage(actor, unit: OrgUnit) -> None:
    if not scope_of(actor).covers(unit, roles=MANAGER_ROLES):
        raise PermissionDenied


@transaction.atomic
def create_official(
    *, actor, unit: OrgUnit, full_name: str, staff_category: str, post: Post | None = None,
    is_leader: bool = False, post_start_date: datetime.date | None = None, email: str = "",
    phone: str = "", staff_code: str = "",
) -> Official:
    ensure_can_manage(actor, unit)
    official = Official(
        unit=unit, full_name=full_name.strip(), staff_category=staff_category, post=post,
        is_leader=is_leader, post_start_date=post_start_date, email=email, phone=phone,
        staff_code=staff_code,
    )
    official.full_clean()
    with acting_as(actor):
        official.save()
    return official


@transaction.atomic
def update_official(*, actor, official: Official, **changes) -> Official:
    """Change an official's fields; moving them to another unit needs rights on both."""
    unknown = set(changes) - OFFICIAL_FIELDS
    if unknown:
        raise TypeError(f"update_official() got unknown fields: {sorted(unknown)}")
    ensure_can_manage(actor, official.unit)
    if "unit" in changes:
        ensure_can_manage(actor, changes["unit"])
    for name, value in changes.items():
        setattr(official, name, value)
    official.full_clean()
    with acting_as(actor):
        official.save()
    return official
