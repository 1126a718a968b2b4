"""The request an API call signed with a token arrives as, for type annotations only:
ApiTokenAuth (accounts/api_auth.py) puts the token on it, like core/http.py's classes."""

from __future__ import annotations

from civility.accounts.models import ApiToken
from civility.core.http import HtmxRequest


class TokenRequest(HtmxRequest):
    api_token: ApiToken
