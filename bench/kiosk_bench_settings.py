"""Settings for bench/kiosk_ingest.py: the production settings plus one bare view."""

from civility.settings import *  # noqa: F403

ROOT_URLCONF = "kiosk_bench_urls"
