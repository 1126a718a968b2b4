"""Workflows that change accounts: API tokens, and the resets a unit's system administrator
makes for the accounts of their subtree."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from civility.accounts.models import ApiToken, Profile
from civility.accounts.validators import generate_password
from civility.core.audit import acting_as
from civility.core.models import AuditEvent
from civility.orgs.models import Official, OrgUnit, RoleAssignment
from civility.orgs.scopes import Role, scope_of

# An integration's credential lapses unless renewed: a forgotten token stops working by itself.
DEFAULT_TOKEN_LIFETIME = datetime.timedelta(days=90)


def roles_for_tokens(actor: User, unit: OrgUnit | None = None) -> list[str]:
    """The roles `actor` may give a token (on `unit`, or anywhere when None): the roles they
    hold there; every role where they are a system administrator; and viewer wherever they
    hold any role, since reading is a narrowing of any role."""
    scope = scope_of(actor)
    held = scope.roles_on(unit) if unit is not None else {role for role, _p in scope.grants}
    if scope.is_global or Role.SYSTEM_ADMIN in held:
        return list(Role.values)
    if held:
        held.add(Role.VIEWER)
    return [role for role in Role.values if role in held]


def may_hold_token(user: User, *, unit: OrgUnit, role: str) -> bool:
    """Whether a token for `role` on `unit` may be owned (created, and still used) by `user`."""
    return role in roles_for_tokens(user, unit)


def ensure_can_revoke_token(actor: User, token: ApiToken) -> None:
    """The owner revokes their own; a system administrator revokes any token of their units."""
    if token.owner_id == actor.pk:
        return
    if not scope_of(actor).covers(token.unit, roles=(Role.SYSTEM_ADMIN,)):
        raise PermissionDenied


@transaction.atomic
def create_api_token(
    *,
    actor: User,
    name: str,
    unit: OrgUnit,
    role: str,
    expires_at: datetime.datetime | None = None,
) -> tuple[ApiToken, str]:
    """Create a token owned by `actor` for a role they hold on `unit`; it expires after
    DEFAULT_TOKEN_LIFETIME unless `expires_at` says otherwise. Return it with its secret,
    which is never stored."""
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role: %(role)s.") % {"role": role}})
    if not may_hold_token(actor, unit=unit, role=role):
        raise PermissionDenied
    if expires_at is None:
        expires_at = timezone.now() + DEFAULT_TOKEN_LIFETIME
    if expires_at <= timezone.now():
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
def revoke_api_token(*, actor: User, token: ApiToken) -> ApiToken:
    ensure_can_revoke_token(actor, token)
    if token.revoked_at is None:
        with acting_as(actor):
            token.revoke()
    return token


# --- Accounts administered by a unit's system administrators -------------------------------


def accounts_administered_by(actor: User) -> QuerySet[User]:
    """Accounts whose every role and official record lies in the subtrees where `actor` is a
    system administrator (all accounts for a superuser), their own excepted (they change it
    on their account page). An account that also holds a role
    elsewhere (say, a city coordinator with a role in the ward) is left to an administrator
    who covers all of it, so a ward's administrator cannot take over a wider account."""
    User = get_user_model()
    scope = scope_of(actor)
    if actor.is_superuser:
        return User.objects.exclude(pk=actor.pk)
    paths = scope.paths_with_role(Role.SYSTEM_ADMIN)
    if not paths:
        return User.objects.none()
    inside = Q()
    for path in paths:
        inside |= Q(unit__path__startswith=path)
    roles = RoleAssignment.objects.filter(user=OuterRef("pk"))
    officials = Official.objects.filter(user=OuterRef("pk"))
    return (
        User.objects.filter(is_superuser=False)
        .exclude(pk=actor.pk)
        .filter(Exists(roles.filter(inside)) | Exists(officials.filter(inside)))
        .exclude(Exists(roles.exclude(inside)))
        .exclude(Exists(officials.exclude(inside)))
    )


def _ensure_administers(actor: User, user: User) -> None:
    if not accounts_administered_by(actor).filter(pk=user.pk).exists():
        raise PermissionDenied


def _audit_account_change(*, actor: User, user: User, change: str) -> None:
    """Passwords and devices are not audited field by field (their values are secrets), so
    the reset itself is written to the trail, under the account's first unit."""
    unit = (
        OrgUnit.objects.filter(Q(role_assignments__user=user) | Q(officials__user=user))
        .order_by("depth", "path")
        .first()
    )
    AuditEvent.objects.log_create(
        user,
        force_log=True,
        action=AuditEvent.Action.UPDATE,
        changes={change: ["", str(_("reset by an administrator"))]},
        actor=actor,
        additional_data={"unit_path": unit.path if unit else ""},
    )


@transaction.atomic
def reset_password(*, actor: User, user: User) -> str:
    """Give `user` a random temporary password and return it (shown once to `actor`); the
    user must choose their own at the next sign-in. Their open sessions end."""
    _ensure_administers(actor, user)
    temporary = generate_password()
    user.set_password(temporary)
    user.save(update_fields=["password"])
    Profile.objects.update_or_create(user=user, defaults={"must_change_password": True})
    _audit_account_change(actor=actor, user=user, change="password")
    return temporary


@transaction.atomic
def reset_two_factor(*, actor: User, user: User) -> None:
    """Remove the user's authenticator devices (a lost phone); where their role requires two
    factors they enrol again at the next sign-in."""
    _ensure_administers(actor, user)
    TOTPDevice.objects.devices_for_user(user, confirmed=None).delete()
    _audit_account_change(actor=actor, user=user, change="two_factor")
