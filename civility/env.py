"""Reading configuration strictly, for settings.py and the apps' own knobs (feedback/conf.py).

Every variable goes through one of these parsers. A value that does not parse raises
ImproperlyConfigured naming the variable and what it should look like, so a mistyped
deployment stops at start-up instead of running with a silent default ("ture" read as
false once switched off Open311's key check). Each parser takes the raw value from the
environment (`os.environ`), or the one given (a Django setting that overrides it); values
that are already of the right type (a test's `settings.X = True`) pass as they are.

No Django import but the exception: settings.py imports this before Django is set up.
"""

from __future__ import annotations

import ipaddress
import os

from django.core.exceptions import ImproperlyConfigured

TRUE = frozenset({"1", "true", "yes", "on"})
FALSE = frozenset({"0", "false", "no", "off"})


def _raw(name: str, default: str, value: object = None) -> object:
    if value is not None:
        return value
    return os.environ.get(name, default)


def env_str(name: str, default: str = "", *, value: object = None) -> str:
    return str(_raw(name, default, value)).strip()


def env_bool(name: str, default: bool, *, value: object = None) -> bool:
    """true/false (also 1/0, yes/no, on/off); unset or blank reads as `default`."""
    raw = _raw(name, "", value)
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if not text:
        return default
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int, *, value: object = None, minimum: int = 0) -> int:
    """A whole number, at least `minimum`; unset or blank reads as `default`."""
    raw = _raw(name, "", value)
    if not str(raw).strip():
        return default
    try:
        number = int(str(raw).strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None
    if number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {raw!r}")
    return number


def env_float(name: str, default: float, *, value: object = None, minimum: float = 0) -> float:
    """A number, at least `minimum`; unset or blank reads as `default`."""
    raw = _raw(name, "", value)
    if not str(raw).strip():
        return default
    try:
        number = float(str(raw).strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, not {raw!r}") from None
    if not number >= minimum:  # also refuses nan
        raise ImproperlyConfigured(f"{name} must be at least {minimum:g}, not {raw!r}")
    return number


def env_list(name: str, default: str = "", *, value: object = None) -> list[str]:
    return [item.strip() for item in str(_raw(name, default, value)).split(",") if item.strip()]


def env_choice(name: str, default: str, choices: set[str], *, value: object = None) -> str:
    text = env_str(name, default, value=value) or default
    if text not in choices:
        allowed = ", ".join(sorted(choices))
        raise ImproperlyConfigured(f"{name} must be one of {allowed}, not {text!r}")
    return text


def env_networks(name: str) -> list[str]:
    """Comma-separated addresses or networks (10.0.0.0/24), checked at start-up."""
    networks = env_list(name, "")
    for network in networks:
        try:
            ipaddress.ip_network(network)
        except ValueError as error:
            raise ImproperlyConfigured(f"{name}: {error}") from None
    return networks


def env_rate(name: str, default: str) -> tuple[int, float]:
    """A throttle as "burst/seconds": that many requests at once, then one per `seconds`."""
    value = os.environ.get(name, default)
    burst, _slash, seconds = value.partition("/")
    try:
        return int(burst), float(seconds)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must look like 30/120 (burst/seconds), not {value!r}"
        ) from None
