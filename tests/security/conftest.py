"""The security suite probes the apps' own fixtures (a counter with its kiosk, media files)."""

from tests.conduct.conftest import catalogue, late  # noqa: F401 (fixtures used by tests here)
from tests.feedback.conftest import _media, point  # noqa: F401
