"""The feedback app's settings: Django settings first, then the environment, then a default.

Kept here rather than in civility/settings.py so the app carries its own knobs; each is
listed in docs/feedback.md.
"""

from __future__ import annotations

import os

from django.conf import settings


def _get(name: str, default: str) -> str:
    value = getattr(settings, name, None)
    if value is not None:
        return str(value)
    return os.environ.get(name, default)


def _int(name: str, default: int) -> int:
    return int(_get(name, str(default)))


def rating_scale() -> str:
    return _get("FEEDBACK_RATING_SCALE", "five")


def open311_keys_required() -> bool:
    """Anonymous Open311 POSTs are allowed unless a deployment asks for api_key."""
    return _get("FEEDBACK_OPEN311_REQUIRE_KEY", "false").lower() in {"1", "true", "yes", "on"}


def open311_keys() -> set[str]:
    """Keys given to integrators. Without any, an api_key sent is not checked (FixMyStreet
    sends the one it was configured with, whatever the server wants)."""
    return {k.strip() for k in _get("FEEDBACK_OPEN311_KEYS", "").split(",") if k.strip()}


def open311_jurisdiction() -> str:
    """This deployment's Open311 jurisdiction_id ("quangninh.gov.vn"): a request naming
    another is answered 404; empty, any is accepted (the spec asks for it only from servers
    of several jurisdictions)."""
    return _get("FEEDBACK_OPEN311_JURISDICTION", "").strip()


def open311_contact() -> str:
    """Who integrators ask for help or a key (the discovery document's contact)."""
    return _get("FEEDBACK_OPEN311_CONTACT", "").strip()


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
    return _int("FEEDBACK_KIOSK_BURST", 30), float(_get("FEEDBACK_KIOSK_REFILL_S", "4"))


def device_counter_bucket() -> tuple[int, float]:
    """A phone and one counter: one rating, then one every 30 minutes."""
    return _int("FEEDBACK_DEVICE_COUNTER_BURST", 1), float(
        _get("FEEDBACK_DEVICE_COUNTER_REFILL_S", "1800")
    )


def device_bucket() -> tuple[int, float]:
    """A phone, all counters together: 5 ratings, then one every 10 minutes."""
    return _int("FEEDBACK_DEVICE_BURST", 5), float(_get("FEEDBACK_DEVICE_REFILL_S", "600"))


def network_bucket() -> tuple[int, float]:
    """One network address (a whole service point's Wi-Fi may share one): 30, then one
    every 2 minutes. It catches a script that throws its cookie away on every request."""
    return _int("FEEDBACK_NETWORK_BURST", 30), float(_get("FEEDBACK_NETWORK_REFILL_S", "120"))


def counter_online_bucket() -> tuple[int, float]:
    """Online ratings of one counter, all phones together: 40, then one a minute."""
    return _int("FEEDBACK_COUNTER_BURST", 40), float(_get("FEEDBACK_COUNTER_REFILL_S", "60"))


def report_bucket() -> tuple[int, float]:
    """Public-place reports from one device: 5, then one every 5 minutes."""
    return _int("FEEDBACK_REPORT_BURST", 5), float(_get("FEEDBACK_REPORT_REFILL_S", "300"))


def assistance_bucket() -> tuple[int, float]:
    """Assistance calls of one counter: 3, then one a minute."""
    return _int("FEEDBACK_ASSIST_BURST", 3), float(_get("FEEDBACK_ASSIST_REFILL_S", "60"))


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
    return float(_get("FEEDBACK_TOP_SHARE_MARGIN", "0.25"))


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
    url = _get("MAP_TILE_URL", "").strip()
    return url if all(part in url for part in ("{z}", "{x}", "{y}")) else ""


def map_centre() -> str:
    """Where the report form's map opens before a point is known, "21.0285,105.8542" (the
    province's centre, MAP_CENTRE), or empty: then the map appears once there is a point."""
    try:
        lat, lon = (float(part) for part in _get("MAP_CENTRE", "").split(","))
    except ValueError:
        return ""
    return f"{lat},{lon}" if abs(lat) <= 90 and abs(lon) <= 180 else ""


def map_attribution() -> str:
    """The tile server's credit shown on the map, plain text ("© OpenStreetMap contributors")."""
    return _get("MAP_TILE_ATTRIBUTION", "").strip()
