"""TOTP two-factor sign-in (django-otp): required for superusers, system administrators and
coordinators, optional for everyone else.

The writes here are small and self-contained, so they live beside the reads rather than in
accounts/actions.py (the API's token actions).
"""

from __future__ import annotations

from base64 import b32encode

import segno
from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from civility.orgs.scopes import Role, scope_of

# Roles that must sign in with two factors (with superusers): they change structure, people,
# rights and settings for whole subtrees. Everyone else may choose to use them.
REQUIRED_ROLES = (Role.SYSTEM_ADMIN, Role.COORDINATOR)


def is_verified(user: User | AnonymousUser) -> bool:
    """Whether this session passed the second step: django_otp's OTPMiddleware puts
    `is_verified` on request.user; a user loaded any other way has none and is not."""
    check = getattr(user, "is_verified", None)
    return bool(check is not None and check())


def requires_two_factor(user: User | AnonymousUser) -> bool:
    """Whether the user must enrol and use a second factor before reaching any page."""
    if not user.is_authenticated or not settings.TWO_FACTOR_REQUIRED:
        return False
    scope = scope_of(user)
    return user.is_superuser or scope.is_global or bool(scope.paths_with_role(*REQUIRED_ROLES))


def has_confirmed_device(user: User) -> bool:
    found: bool = TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()
    return found


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def pending_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=False).first()


def secret_of(device: TOTPDevice) -> str:
    """The key in base32, for typing into an authenticator app by hand."""
    return b32encode(device.bin_key).decode().rstrip("=")


def qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// URL as an inline SVG QR code."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=5, dark="#000", light="#fff", svgclass="totp-qr"
    )


def check_code(user: User, device: TOTPDevice, token: str) -> TOTPDevice | None:
    """The device if `token` is a valid code for it (throttled and replay-proof)."""
    return verify_token(user, device.persistent_id, token)


@transaction.atomic
def start_totp_enrolment(*, user: User) -> TOTPDevice:
    """A fresh unconfirmed device; an earlier unfinished enrolment is discarded."""
    TOTPDevice.objects.devices_for_user(user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


@transaction.atomic
def confirm_totp_device(*, user: User, token: str) -> TOTPDevice | None:
    """Confirm the pending device if `token` matches it; None if there is none or it does not."""
    device = pending_device(user)
    if device is None or check_code(user, device, token) is None:
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device


@transaction.atomic
def remove_totp_device(*, user: User, token: str) -> bool:
    """Remove the confirmed device, on proof of a current code from it."""
    device = confirmed_device(user)
    if device is None or check_code(user, device, token) is None:
        return False
    TOTPDevice.objects.devices_for_user(user, confirmed=None).delete()
    return True
