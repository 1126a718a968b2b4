"""How API callers prove who they are: a bearer token (machines) or the web session (people).

A token authenticates as its owner, but with only the token's own scope: one role on one unit
subtree. `restrict_scope` replaces the owner's scope for the rest of the request, so every
`visible_to(request.user)` and every action's permission check sees the token's scope.

Some permissions follow the owner rather than a role (a member of an inspection's delegation,
the official signing their own commitment), so the token's scope alone cannot stop a read-only
token from writing through them: the role's right to write is checked here, once, for every
operation.
"""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth

from civility.accounts.actions import may_hold_token
from civility.accounts.http import TokenRequest
from civility.accounts.models import TOKEN_PREFIX, ApiToken, hash_token
from civility.core.http import ApiError
from civility.orgs.scopes import Role, Scope, restrict_scope

# Writing last_used_at on every request would turn each read into a write; a minute is
# precise enough to tell which tokens are still in use.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)

# Roles that only read: a token holding one may use GET, HEAD and OPTIONS only.
READ_ONLY_ROLES = frozenset({Role.VIEWER})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer cvt_…` with a token its owner created on the tokens page."""

    openapi_bearerFormat = TOKEN_PREFIX + "…"
    openapi_description = (
        "An API token, sent as `Authorization: Bearer cvt_…`. Anyone with a role creates one "
        "on the page /accounts/tokens/ for a unit and a role they hold there (or "
        "`manage.py create_api_token`); the secret is shown once, and it expires after 90 "
        "days unless another date is chosen. The token acts as its owner, limited to that "
        "unit's subtree and that role; `GET /api/v1/me` says which. "
        "A viewer token only reads: every POST, PUT, PATCH or DELETE answers 403. "
        "Revoked or expired tokens get 401."
    )

    # The request ninja hands over is the one this method makes a TokenRequest (api_token).
    def authenticate(self, request: TokenRequest, token: str) -> object | None:  # type: ignore[override]
        api_token = find_active_token(token)
        if api_token is None:
            # An explicit credential that fails must not fall back to the session.
            raise AuthenticationError(message=_("Invalid, expired or revoked API token."))
        if request.method not in SAFE_METHODS and api_token.role in READ_ONLY_ROLES:
            raise ApiError(
                403,
                _("This API token's role (%(role)s) may only read.")
                % {"role": api_token.get_role_display()},
                code="read_only_token",
            )
        owner = api_token.owner
        restrict_scope(owner, Scope(grants=((api_token.role, api_token.unit.path),)))
        request.user = owner
        request.api_token = api_token
        touch_token(api_token)
        return owner


class ApiSessionAuth(SessionAuth):
    """The signed-in web user; unsafe methods need the CSRF token (`X-CSRFToken`)."""

    openapi_description = "The web session cookie; POST/PATCH also need the X-CSRFToken header."

    def __call__(self, request: HttpRequest) -> object | None:
        # Check CSRF only for a real session, so an anonymous POST gets 401, not 403.
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


def find_active_token(raw: str) -> ApiToken | None:
    raw = raw.strip()
    if not raw.startswith(TOKEN_PREFIX):
        return None
    api_token = (
        ApiToken.objects.active()
        .select_related("owner", "unit")
        .filter(key_hash=hash_token(raw))
        .first()
    )
    if api_token is None or not api_token.owner.is_active:
        return None
    # A token never outlives its owner's right to create it.
    if not may_hold_token(api_token.owner, unit=api_token.unit, role=api_token.role):
        return None
    return api_token


def touch_token(api_token: ApiToken) -> None:
    now = timezone.now()
    last = api_token.last_used_at
    if last is None or now - last >= LAST_USED_PRECISION:
        # update() rather than save(): no audit event for a bookkeeping timestamp.
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        api_token.last_used_at = now


token_auth = ApiTokenAuth()
session_auth = ApiSessionAuth()

# Token first: a machine's POST carries no session and must not meet the CSRF check.
API_AUTH = [token_auth, session_auth]
