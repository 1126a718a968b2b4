"""Errors answered in a protocol's own format. The middlewares here that answer before any
view runs (input guard, idempotency) answer a protocol's clients as the protocol asks: the
app that owns it registers its format for its paths when it starts (feedback: Open311), so
core imports no app."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpResponse

# (path, status, description) → the error as the protocol writes it.
ErrorAnswer = Callable[[str, int, str], HttpResponse]
_by_prefix: dict[str, ErrorAnswer] = {}


def register(prefix: str, answer: ErrorAnswer) -> None:
    _by_prefix[prefix] = answer


def error_for_path(path: str, status: int, description: str) -> HttpResponse | None:
    """The protocol's answer for `path`, or None when no protocol claims it."""
    for prefix, answer in _by_prefix.items():
        if path.startswith(prefix):
            return answer(path, status, description)
    return None
