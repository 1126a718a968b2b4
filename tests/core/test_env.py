"""Every configuration variable is read by one strict parser (civility/env.py): a value that
does not parse stops start-up with a message naming the variable, for settings.py's own
variables and for the feedback app's FEEDBACK_* knobs alike."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from civility import env
from civility.feedback import conf, scales

ROOT = Path(__file__).resolve().parents[2]


def _start(**variables: str) -> subprocess.CompletedProcess:
    """Start Django in a fresh process with these variables, as gunicorn or manage.py would."""
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "civility.settings", **variables}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_boolean_reads_the_usual_spellings(monkeypatch):
    for text, expected in [("true", True), ("ON", True), ("1", True), ("no", False)]:
        monkeypatch.setenv("CIVILITY_TEST_FLAG", text)
        assert env.env_bool("CIVILITY_TEST_FLAG", not expected) is expected
    monkeypatch.setenv("CIVILITY_TEST_FLAG", "")
    assert env.env_bool("CIVILITY_TEST_FLAG", True) is True


def test_an_unknown_boolean_is_refused_not_read_as_false(monkeypatch):
    monkeypatch.setenv("CIVILITY_TEST_FLAG", "ture")
    with pytest.raises(ImproperlyConfigured, match="CIVILITY_TEST_FLAG must be true or false"):
        env.env_bool("CIVILITY_TEST_FLAG", False)


def test_numbers_are_refused_when_they_do_not_parse_or_are_too_small(monkeypatch):
    monkeypatch.setenv("CIVILITY_TEST_NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured, match="CIVILITY_TEST_NUMBER must be a whole"):
        env.env_int("CIVILITY_TEST_NUMBER", 10)
    with pytest.raises(ImproperlyConfigured, match="CIVILITY_TEST_NUMBER must be a number"):
        env.env_float("CIVILITY_TEST_NUMBER", 1.5)
    monkeypatch.setenv("CIVILITY_TEST_NUMBER", "-1")
    with pytest.raises(ImproperlyConfigured, match="at least 0"):
        env.env_int("CIVILITY_TEST_NUMBER", 10)


def test_a_feedback_setting_is_read_by_the_same_parser(settings, monkeypatch):
    monkeypatch.setenv("FEEDBACK_OPEN311_REQUIRE_KEY", "yes")
    assert conf.open311_keys_required() is True
    monkeypatch.setenv("FEEDBACK_OPEN311_REQUIRE_KEY", "ture")
    with pytest.raises(ImproperlyConfigured, match="FEEDBACK_OPEN311_REQUIRE_KEY"):
        conf.check()
    monkeypatch.delenv("FEEDBACK_OPEN311_REQUIRE_KEY")
    settings.FEEDBACK_KIOSK_REFILL_S = "four"
    with pytest.raises(ImproperlyConfigured, match="FEEDBACK_KIOSK_REFILL_S must be a number"):
        conf.check()
    settings.FEEDBACK_KIOSK_REFILL_S = 4
    settings.FEEDBACK_RATING_SCALE = "seven"
    with pytest.raises(ImproperlyConfigured, match="FEEDBACK_RATING_SCALE must be one of"):
        conf.check()


def test_the_scales_conf_accepts_are_the_scales_there_are():
    assert set(scales.SCALES) == conf.RATING_SCALES


@pytest.mark.parametrize(
    ("variable", "value"),
    [("SECURE_COOKIES", "maybe"), ("FEEDBACK_OPEN311_REQUIRE_KEY", "ture")],
)
def test_a_bad_value_stops_start_up_naming_the_variable(variable, value):
    started = _start(**{variable: value})
    assert started.returncode != 0
    assert f"{variable} must be true or false, not '{value}'" in started.stderr
