"""`GET /me`: who the caller is, through which credential, and what that credential reaches,
so an integrator can check a token before relying on it."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from ninja import Router, Schema
from pydantic import ConfigDict

from civility.accounts.models import ApiToken
from civility.core.api_lists import property_examples
from civility.core.http import AuthenticatedRequest
from civility.core.i18n import person_name
from civility.core.schemas import Message
from civility.orgs.models import OrgUnit
from civility.orgs.scopes import Role, scope_of

router = Router(tags=["me"])


class GrantOut(Schema):
    role: Role
    unit_id: int
    unit_name: str


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    role: Role
    unit_id: int
    unit_name: str
    created_at: datetime.datetime
    expires_at: datetime.datetime | None
    last_used_at: datetime.datetime | None

    model_config = ConfigDict(
        json_schema_extra=property_examples(
            id=2,
            name="HR sync",
            prefix="cvt_3f2a",
            unit_id=91,
            unit_name="Phường Tây Hồ",
            created_at="2026-11-02T09:00:00+07:00",
            expires_at="2027-01-31T09:00:00+07:00",
            last_used_at="2026-12-01T08:29:00+07:00",
        )
    )


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    authenticated_by: Literal["token", "session"]
    token: TokenOut | None
    all_units: bool
    scope: list[GrantOut]

    model_config = ConfigDict(
        json_schema_extra=property_examples(
            id=5,
            username="lan.nguyen",
            full_name="Nguyễn Thị Lan",
            authenticated_by="token",
            all_units=False,
        )
    )


@router.get(
    "/me",
    response={200: MeOut, 401: Message},
    summary="Who am I",
    description=(
        "The account the request acts as, whether it came with an API token or the web "
        "session, the token's name, role, unit and expiry, and the grants (role on a unit "
        "and everything under it) every other operation is limited to. `all_units` is true "
        "for a superuser's session."
    ),
)
def me(request: AuthenticatedRequest) -> dict[str, Any]:
    user = request.user
    scope = scope_of(user)
    # ApiTokenAuth puts the token on the request (accounts/http.py's TokenRequest).
    api_token: ApiToken | None = getattr(request, "api_token", None)
    paths = {path for _role, path in scope.grants}
    units = {unit.path: unit for unit in OrgUnit.objects.filter(path__in=paths)}
    grants = [
        {"role": role, "unit_id": units[path].pk, "unit_name": units[path].display_name}
        for role, path in sorted(scope.grants, key=lambda grant: (grant[1], grant[0]))
        if path in units
    ]
    token: dict[str, Any] | None = None
    if api_token is not None:
        token = {
            "id": api_token.pk,
            "name": api_token.name,
            "prefix": api_token.key_prefix,
            "role": api_token.role,
            "unit_id": api_token.unit_id,
            "unit_name": api_token.unit.display_name,
            "created_at": api_token.created_at,
            "expires_at": api_token.expires_at,
            "last_used_at": api_token.last_used_at,
        }
    return {
        "id": user.pk,
        "username": user.get_username(),
        "full_name": person_name(user),
        "authenticated_by": "token" if api_token is not None else "session",
        "token": token,
        "all_units": scope.is_global,
        "scope": grants,
    }
