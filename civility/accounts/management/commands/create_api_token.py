"""Create an API token for a system administrator and print its secret, once."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from civility.accounts.actions import create_api_token
from civility.orgs.models import OrgUnit
from civility.orgs.scopes import Role


class Command(BaseCommand):
    help = (
        "Create an API token owned by --user, limited to the unit's subtree and a role the "
        "user holds there (any role for its system administrators). It expires after 90 days "
        "unless --expires-in-days says otherwise. The secret is printed once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="Username of the token's owner.")
        unit = parser.add_mutually_exclusive_group(required=True)
        unit.add_argument("--unit-code", help="Official code of the scope unit.")
        unit.add_argument("--unit-id", type=int, help="Primary key of the scope unit.")
        parser.add_argument(
            "--role", default=Role.VIEWER, choices=Role.values, help="Role the token acts with."
        )
        parser.add_argument("--name", required=True, help="What the token is for.")
        parser.add_argument(
            "--expires-in-days", type=int, default=None, help="Expire after this many days (90)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = _get_user(options["user"])
        unit = _get_unit(code=options["unit_code"], pk=options["unit_id"])
        expires_at = None
        if options["expires_in_days"] is not None:
            if options["expires_in_days"] < 1:
                raise CommandError("--expires-in-days must be at least 1.")
            expires_at = timezone.now() + datetime.timedelta(days=options["expires_in_days"])
        try:
            api_token, secret = create_api_token(
                actor=user,
                name=options["name"],
                unit=unit,
                role=options["role"],
                expires_at=expires_at,
            )
        except PermissionDenied as exc:
            raise CommandError(
                f"{user} does not hold the role {options['role']} on {unit} (nor is a system "
                "administrator of it)."
            ) from exc
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stderr.write(
            f"Created API token #{api_token.pk} '{api_token.name}' for {user} on {unit} "
            f"as {api_token.role}. Store the secret now: it is not shown again."
        )
        self.stdout.write(secret)


def _get_user(username: str) -> User:
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist as exc:
        raise CommandError(f"No user named {username!r}.") from exc


def _get_unit(*, code: str | None, pk: int | None) -> OrgUnit:
    units = (
        OrgUnit.objects.filter(code=code)
        if code is not None
        else OrgUnit.objects.filter(pk=pk or 0)
    )
    found = list(units[:2])
    if not found:
        raise CommandError(f"No unit with {'code ' + repr(code) if code else 'id ' + str(pk)}.")
    if len(found) > 1:
        raise CommandError(f"Several units have code {code!r}; use --unit-id.")
    return found[0]
