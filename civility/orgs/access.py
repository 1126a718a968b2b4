"""Pages that only some people may open, declared once on the view and read by the links.

A view decorated with `open_to(allowed)` (or `for_roles(*roles)`, the usual case) answers 404,
or 403, to whoever `allowed(user)` refuses; `may_open(user, name_or_path)` asks the same
question of the view behind a link, so navigation, tabs and buttons show only what the person
can open (template filter `may_open`, civility/orgs/templatetags/access.py). A view without
the decorator counts as open to every signed-in person as far as links are concerned; its own
scoped fetch still decides which rows it shows.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, wraps
from typing import Concatenate, ParamSpec, TypeAlias, TypeVar, cast
from urllib.parse import urlsplit

from django.contrib.auth.models import User
from django.http import Http404, HttpRequest
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from civility.orgs.scopes import scope_of

ATTRIBUTE = "open_to"

# Who may open a page: asked of the request's user, or of the user a link is drawn for. The
# decorated views sit behind login_required and the links on signed-in pages: a User.
Allowed: TypeAlias = Callable[[User], bool]

_Request = TypeVar("_Request", bound=HttpRequest)
_Params = ParamSpec("_Params")
_Response = TypeVar("_Response")
_View: TypeAlias = Callable[Concatenate[_Request, _Params], _Response]


def open_to(
    allowed: Allowed, *, denied: type[Exception] = Http404
) -> Callable[[_View[_Request, _Params, _Response]], _View[_Request, _Params, _Response]]:
    """Let the view run only for users `allowed(user)` accepts."""

    def decorator(
        view: _View[_Request, _Params, _Response],
    ) -> _View[_Request, _Params, _Response]:
        @wraps(view)
        def wrapped(
            request: _Request, /, *args: _Params.args, **kwargs: _Params.kwargs
        ) -> _Response:
            # Every decorated view sits below login_required: the user is signed in.
            if not allowed(cast(User, request.user)):
                raise denied
            return view(request, *args, **kwargs)

        setattr(wrapped, ATTRIBUTE, allowed)
        return wrapped

    return decorator


def holds_any(*roles: str) -> Allowed:
    def allowed(user: User) -> bool:
        return scope_of(user).holds(*roles)

    return allowed


def for_roles(
    *roles: str, denied: type[Exception] = Http404
) -> Callable[[_View[_Request, _Params, _Response]], _View[_Request, _Params, _Response]]:
    """Let the view run only for holders of one of `roles` on some unit of their scope."""
    return open_to(holds_any(*roles), denied=denied)


@lru_cache(maxsize=512)
def _allowed(target: str) -> Allowed | None:
    try:
        path = urlsplit(target).path if "/" in target else reverse(target)
        view = resolve(path).func
    except (NoReverseMatch, Resolver404):
        return None
    return getattr(view, ATTRIBUTE, None)


def may_open(user: User, target: str) -> bool:
    """Whether `user` may open the page of a URL name ("app:view") or a local path."""
    allowed = _allowed(target)
    return allowed is None or allowed(user)
