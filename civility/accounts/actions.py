"""Workflows that change accounts: API tokens."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civility.accounts.models import ApiToken
from civility.core.audit import acting_as
from civility.orgs.models import OrgUnit
from civility.orgs.scopes import Role, scope_of


def ensure_can_manage_tokens(actor, unit: OrgUnit) -> None:
    if not scope_of(actor).covers(unit, roles=(Role.SYSTEM_ADMIN,)):
        raise PermissionDenied


@transaction.atomic
def create_api_token(
    *,
    actor,
    name: str,
    unit: OrgUnit,
    role: str,
    expires_at: datetime.datetime | None = None,
) -> tuple[ApiToken, str]:
    """Create a token owned by `actor`; return it with its secret, which is never stored."""
    ensure_can_manage_tokens(actor, unit)
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role: %(role)s.") % {"role": role}})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry must be in the future.")})
    secret = ApiToken.new_secret()
    api_token = ApiToken(
        name=name.strip(), owner=actor, unit=unit, role=role, expires_at=expires_at
    )
    api_token.set_secret(secret)
    api_token.full_clean()
    with acting_as(actor):
        api_token.save()
    return api_token, secret


@transaction.atomic
def revoke_api_token(*, actor, token: ApiToken) -> ApiToken:
    ensure_can_manage_tokens(actor, token.unit)
    if token.revoked_at is None:
        with acting_as(actor):
            token.revoke()
    return token
