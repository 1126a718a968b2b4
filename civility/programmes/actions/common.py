"""Checks and helpers every programmes workflow shares."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import models

from civility.orgs.imports import Problem
from civility.orgs.models import OrgUnit
from civility.orgs.scopes import MANAGER_ROLES, scope_of


def ensure_manages(actor: User, unit: OrgUnit, roles: tuple[str, ...] = MANAGER_ROLES) -> None:
    if not scope_of(actor).covers(unit, roles=roles):
        raise PermissionDenied


def validate(obj: models.Model) -> None:
    obj.full_clean()


def language_for(address: str) -> str:
    user = get_user_model().objects.filter(email=address).select_related("profile").first()
    profile = getattr(user, "profile", None) if user else None
    return getattr(profile, "language", None) or settings.LANGUAGE_CODE


def self_and_ancestors(unit: OrgUnit) -> list[str]:
    parts = unit.path.strip("/").split("/")
    return ["/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]


def problem(row: int | None, column: str, message: str) -> Problem:
    return Problem(message, row=row, column=column)
