"""Revoke an API token by id or by the prefix shown in listings (cvt_xxxx)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from civility.accounts.actions import revoke_api_token
from civility.accounts.models import ApiToken


class Command(BaseCommand):
    help = "Revoke an API token at once. Requests that use it get 401 from then on."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("token", help="The token's id or its key prefix (cvt_xxxx).")
        parser.add_argument(
            "--user",
            help="Username recorded as revoking it (default: the token's owner). Must be a "
            "system administrator of the token's unit or a superuser.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        api_token = _get_token(options["token"])
        actor = api_token.owner
        if options["user"]:
            try:
                actor = get_user_model().objects.get(username=options["user"])
            except get_user_model().DoesNotExist as exc:
                raise CommandError(f"No user named {options['user']!r}.") from exc
        try:
            revoke_api_token(actor=actor, token=api_token)
        except PermissionDenied as exc:
            raise CommandError(
                f"{actor} may not revoke tokens of {api_token.unit}; pass --user of a superuser."
            ) from exc
        self.stdout.write(f"Revoked API token #{api_token.pk} '{api_token.name}'.")


def _get_token(reference: str) -> ApiToken:
    tokens = (
        ApiToken.objects.filter(pk=int(reference))
        if reference.isdigit()
        else ApiToken.objects.filter(key_prefix=reference)
    )
    found = list(tokens.select_related("owner", "unit")[:2])
    if not found:
        raise CommandError(f"No API token {reference!r}.")
    if len(found) > 1:
        raise CommandError(f"Several tokens start with {reference!r}; use the id.")
    return found[0]
