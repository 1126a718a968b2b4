"""The feedback app's settings: Django settings first, then the environment, then a default.

Kept here rather than in civility/settings.py so the app carries its own knobs; each is
listed in docs/feedback.md. Every value is read by the project's strict parsers
(civility/env.py), and `check()` reads them all when the app starts (apps.py), so a bad
value stops start-up with a message naming the variable.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from civility import env

# The rating scales (scales.py), named here to check FEEDBACK_RATING_SCALE without importing
# the scales (tests/feedback checks the two agree).
RATING_SCALES = {"five", "four", "three"}


def _setting(name: str) -> object:
    """A Django setting overriding the environment (tests, a deployment's settings file)."""
    return getattr(settings, name, None)


def _str(name: str, default: str = "") -> str:
    return env.env_str(name, default, value=_setting(name))


def _int(name: str, default: int, *, minimum: int = 0) -> int:
    return env.env_int(name, default, value=_setting(name), minimum=minimum)


def _float(name: str, default: float) -> float:
    return env.env_float(name, default, value=_setting(name))


def _bool(name: str, default: bool) -> bool:
    return env.env_bool(name, default, value=_setting(name))


def _bucket(
    burst: str, default_burst: int, refill: str, default_refill: float
) -> tuple[int, float]:
    return _int(burst, default_burst, minimum=1), _float(refill, default_refill)


def rating_scale() -> str:
    return env.env_choice(
        "FEEDBACK_RATING_SCALE", "five", RATING_SCALES, value=_setting("FEEDBACK_RATING_SCALE")
    )


def open311_keys_required() -> bool:
    """Anonymous Open311 POSTs are allowed unless a deployment asks for api_key."""
    return _bool("FEEDBACK_OPEN311_REQUIRE_KEY", False)


def open311_keys() -> set[str]:
    """Keys given to integrators. Without any, an api_key sent is not checked (FixMyStreet
    sends the one it was configured with, whatever the server wants)."""
    return set(env.env_list("FEEDBACK_OPEN311_KEYS", value=_setting("FEEDBACK_OPEN311_KEYS")))


def open311_jurisdiction() -> str:
    """This deployment's Open311 jurisdiction_id ("quangninh.gov.vn"): a request naming
    another is answered 404; empty, any is accepted (the spec asks for it only from servers
    of several jurisdictions)."""
    return _str("FEEDBACK_OPEN311_JURISDICTION")


def open311_contact() -> str:
    """Who integrators ask for help or a key (the discovery document's contact)."""
    return _str("FEEDBACK_OPEN311_CONTACT")


def report_due_days() -> int:
    """Days a commune has to close a public-place report ([NOT FOUND] in law: a setting)."""
    return _int("FEEDBACK_REPORT_DUE_DAYS", 10)


def routing_radius_m() -> int:
    """A map point is routed to the commune of the nearest known place within this radius."""
    return _int("FEEDBACK_ROUTING_RADIUS_M", 1500)


# Token buckets: (capacity, seconds to refill one token).
def kiosk_bucket() -> tuple[int, float]:
    """A kiosk: a burst of 30, then one rating every 4 s sustained (900/hour): far above a
    counter's pace, far below a script's."""
    return _bucket("FEEDBACK_KIOSK_BURST", 30, "FEEDBACK_KIOSK_REFILL_S", 4)


def device_counter_bucket() -> tuple[int, float]:
    """A phone and one counter: one rating, then one every 30 minutes."""
    return _bucket("FEEDBACK_DEVICE_COUNTER_BURST", 1, "FEEDBACK_DEVICE_COUNTER_REFILL_S", 1800)


def device_bucket() -> tuple[int, float]:
    """A phone, all counters together: 5 ratings, then one every 10 minutes."""
    return _bucket("FEEDBACK_DEVICE_BURST", 5, "FEEDBACK_DEVICE_REFILL_S", 600)


def network_bucket() -> tuple[int, float]:
    """One network address (a whole service point's Wi-Fi may share one): 30, then one
    every 2 minutes. It catches a script that throws its cookie away on every request."""
    return _bucket("FEEDBACK_NETWORK_BURST", 30, "FEEDBACK_NETWORK_REFILL_S", 120)


def counter_online_bucket() -> tuple[int, float]:
    """Online ratings of one counter, all phones together: 40, then one a minute."""
    return _bucket("FEEDBACK_COUNTER_BURST", 40, "FEEDBACK_COUNTER_REFILL_S", 60)


def report_bucket() -> tuple[int, float]:
    """Public-place reports from one device: 5, then one every 5 minutes."""
    return _bucket("FEEDBACK_REPORT_BURST", 5, "FEEDBACK_REPORT_REFILL_S", 300)


def assistance_bucket() -> tuple[int, float]:
    """Assistance calls of one counter: 3, then one a minute."""
    return _bucket("FEEDBACK_ASSIST_BURST", 3, "FEEDBACK_ASSIST_REFILL_S", 60)


def stream_under_wsgi() -> bool:
    """Whether a WSGI worker may serve the event stream (development does; production leaves
    it to the ASGI process, civility/feedback/asgi.py)."""
    return _bool("FEEDBACK_STREAM_WSGI", settings.DEBUG)


def stream_seconds() -> int:
    """How long one event-stream response lasts before the browser reconnects."""
    return _int("FEEDBACK_STREAM_SECONDS", 300)


# --- Ratings you can trust, follow-up cases, escalation (docs/feedback.md) ----------------


def burst_ratings() -> int:
    """More than this many kiosk ratings of one counter within `burst_seconds()` are a burst."""
    return _int("FEEDBACK_BURST_RATINGS", 5)


def burst_seconds() -> int:
    return _int("FEEDBACK_BURST_SECONDS", 60)


def session_grace_seconds() -> int:
    """A kiosk rating given this soon after its session closed still belongs to it (the
    citizen finishing while the official already pressed "Serve next citizen")."""
    return _int("FEEDBACK_SESSION_GRACE_S", 60)


def top_share_margin() -> float:
    """An official's share of top ratings this far (0-1) above the peers' mean is flagged."""
    return _float("FEEDBACK_TOP_SHARE_MARGIN", 0.25)


def top_share_min_ratings() -> int:
    """Officials (the flagged one and each peer) need this many ratings in the month."""
    return _int("FEEDBACK_TOP_SHARE_MIN_RATINGS", 30)


def top_share_min_peers() -> int:
    return _int("FEEDBACK_TOP_SHARE_MIN_PEERS", 2)


def case_due_days() -> int:
    """Days a service point has to answer a follow-up case ([NOT FOUND] in law: a setting)."""
    return _int("FEEDBACK_CASE_DUE_DAYS", 5)


def case_escalate_days() -> int:
    """Days past the due date after which an open case goes to the level above."""
    return _int("FEEDBACK_CASE_ESCALATE_DAYS", 3)


def assist_team_lead_seconds() -> int:
    """A call not acknowledged within this time alerts the team lead; acknowledging later
    makes it a slow call."""
    return _int("FEEDBACK_ASSIST_TEAM_LEAD_S", 60)


def assist_head_seconds() -> int:
    """A call still not acknowledged after this time alerts the unit head."""
    return _int("FEEDBACK_ASSIST_HEAD_S", 180)


def map_tile_url() -> str:
    """The deployment's own map tile server ("https://tiles.example.gov.vn/{z}/{x}/{y}.png"),
    or empty: then the report form shows no map, only "Use my location" and typed fields.
    Its origin is allowed for images by the Content-Security-Policy (settings.py)."""
    url = _str("MAP_TILE_URL")
    if url and not all(part in url for part in ("{z}", "{x}", "{y}")):
        raise ImproperlyConfigured(f"MAP_TILE_URL must hold {{z}}, {{x}} and {{y}}, not {url!r}")
    return url


def map_centre() -> str:
    """Where the report form's map opens before a point is known, "21.0285,105.8542" (the
    province's centre, MAP_CENTRE), or empty: then the map appears once there is a point."""
    text = _str("MAP_CENTRE")
    if not text:
        return ""
    try:
        lat, lon = (float(part) for part in text.split(","))
    except ValueError:
        lat = lon = math.nan
    if not (abs(lat) <= 90 and abs(lon) <= 180):
        raise ImproperlyConfigured(
            f"MAP_CENTRE must be latitude,longitude (21.0285,105.8542), not {text!r}"
        )
    return f"{lat},{lon}"


def map_attribution() -> str:
    """The tile server's credit shown on the map, plain text ("© OpenStreetMap contributors")."""
    return _str("MAP_TILE_ATTRIBUTION")


def check() -> None:
    """Read every value once, so a bad one stops start-up (FeedbackConfig.ready) with
    ImproperlyConfigured naming it, instead of failing the first request that needs it."""
    readers: list[Callable[[], object]] = [
        rating_scale,
        open311_keys_required,
        open311_keys,
        open311_jurisdiction,
        open311_contact,
        report_due_days,
        routing_radius_m,
        kiosk_bucket,
        device_counter_bucket,
        device_bucket,
        network_bucket,
        counter_online_bucket,
        report_bucket,
        assistance_bucket,
        stream_under_wsgi,
        stream_seconds,
        burst_ratings,
        burst_seconds,
        session_grace_seconds,
        top_share_margin,
        top_share_min_ratings,
        top_share_min_peers,
        case_due_days,
        case_escalate_days,
        assist_team_lead_seconds,
        assist_head_seconds,
        map_tile_url,
        map_centre,
        map_attribution,
    ]
    for read in readers:
        read()
