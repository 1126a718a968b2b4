"""The request a counter kiosk's API call arrives as, for type annotations only: KioskAuth
(feedback/api.py) puts the authenticated device on it, like core/http.py's classes."""

from __future__ import annotations

from django.http import HttpRequest

from civility.feedback.models import CounterDevice


class KioskRequest(HttpRequest):
    device: CounterDevice
