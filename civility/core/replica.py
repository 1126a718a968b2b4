"""Read-only pages may read a streaming replica (DATABASE_REPLICA_URL, docs/deploy.md).

Nothing reads the replica unless it asks to: a view decorated with ``@reads_replica`` (or code
inside ``with replica():``) sends its reads there; writes, and every read outside, go to the
primary. A replica lags by a moment, so only pages that tolerate slightly old figures
(dashboards, rankings) opt in, never a page that shows what the user has just saved.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.db.models import Model

_P = ParamSpec("_P")
_R = TypeVar("_R")

REPLICA = "replica"
_reading_replica: ContextVar[bool] = ContextVar("reading_replica", default=False)


def replica_alias() -> str:
    """The alias reads should use now: the replica inside replica(), when one is configured."""
    if _reading_replica.get() and REPLICA in settings.DATABASES:
        return REPLICA
    return "default"


@contextmanager
def replica() -> Iterator[None]:
    token = _reading_replica.set(True)
    try:
        yield
    finally:
        _reading_replica.reset(token)


def reads_replica(view: Callable[_P, _R]) -> Callable[_P, _R]:
    """Decorate a read-only view so that its queries read the replica."""

    @functools.wraps(view)
    def wrapped(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with replica():
            return view(*args, **kwargs)

    return wrapped


# Who is signed in is always read from the primary: a session saved a moment ago may not
# have reached the replica yet.
PRIMARY_ONLY_APPS = frozenset(
    {"sessions", "auth", "accounts", "otp_totp", "otp_static", "django_otp", "axes"}
)


class ReplicaRouter:
    """Reads go where replica_alias() says; writes and migrations only to the primary."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        if model._meta.app_label in PRIMARY_ONLY_APPS:
            return "default"
        return replica_alias()

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        return True  # the replica is a copy of the primary: same rows

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints: Any
    ) -> bool:
        return db == "default"
