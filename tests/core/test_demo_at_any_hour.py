"""`make run` loads the demo at any hour of any day, twice, and leaves every role work to do.

The loaders once drew ratings for "the last 30 days" at office hours while the rating action
refused anything older than 30 days counted from now, so `make run` failed most working
hours. Each instant below loads the whole demo (`load_demo`, the one list `make run` uses)
into its own copy of one migrated template database, with Python's clock frozen there, then
loads it again a day and a few hours later on the same data.
"""

from __future__ import annotations

import contextlib
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.db import connections

from tests.core import demo_work

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def _at(*parts: int) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=HANOI)


# Hanoi time; the days of week are those of the dates (7 December 2026 is a Monday).
INSTANTS = {
    "monday_0005": _at(2026, 12, 7, 0, 5),
    "tuesday_0759": _at(2026, 12, 8, 7, 59),
    "wednesday_0801": _at(2026, 12, 9, 8, 1),
    "thursday_noon": _at(2026, 12, 10, 12, 0),
    "friday_2355": _at(2026, 12, 11, 23, 55),
    "sunday_noon": _at(2026, 12, 13, 12, 0),
    "first_of_month_0930": _at(2027, 2, 1, 9, 30),
    "last_of_month_1630": _at(2027, 3, 31, 16, 30),
    "new_years_eve_2355": _at(2026, 12, 31, 23, 55),
    "new_year_0005": _at(2027, 1, 1, 0, 5),
    "leap_day_noon": _at(2028, 2, 29, 12, 0),
    "decree_335_first_day_1000": _at(2026, 1, 1, 10, 0),
}
SECOND_RUN_AFTER = datetime.timedelta(days=1, hours=5)


def _recreate(cursor, name: str, *, template: str | None = None) -> None:
    cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
    cursor.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))


@contextlib.contextmanager
def _database(name: str, *, template: str | None = None):
    """Point the default connection at a fresh database (a copy of `template`), then back."""
    connection = connections["default"]
    original = connection.settings_dict["NAME"]
    connection.close()
    with connection._nodb_cursor() as cursor:
        _recreate(cursor, name, template=template)
    connection.settings_dict["NAME"] = name
    ContentType.objects.clear_cache()
    cache.clear()
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original
        ContentType.objects.clear_cache()
        cache.clear()
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


@pytest.fixture(scope="module")
def migrated_template(django_db_setup, django_db_blocker):
    name = f"{connections['default'].settings_dict['NAME']}_demo_template"
    with django_db_blocker.unblock():
        connection = connections["default"]
        original = connection.settings_dict["NAME"]
        connection.close()
        with connection._nodb_cursor() as cursor:
            _recreate(cursor, name)
        connection.settings_dict["NAME"] = name
        try:
            call_command("migrate", verbosity=0)
        finally:
            connection.close()
            connection.settings_dict["NAME"] = original
    yield name
    with django_db_blocker.unblock(), connections["default"]._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


def _load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out, stderr=out)
    return out.getvalue()


@pytest.mark.parametrize("instant", INSTANTS.values(), ids=INSTANTS.keys())
def test_make_run_loads_the_demo_twice_and_leaves_every_role_work(
    instant, migrated_template, django_db_blocker, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    name = f"{migrated_template}_{instant:%Y%m%d%H%M}"
    with django_db_blocker.unblock(), _database(name, template=migrated_template):
        with time_machine.travel(instant, tick=True):
            printed = _load_demo()
            missing = demo_work.missing(today=instant.date())
        assert "Civility is ready at" in printed and "dieu_phoi_sonla" in printed
        assert not missing, f"At {instant:%a %Y-%m-%d %H:%M}, nothing to do: {missing}"
        with time_machine.travel(instant + SECOND_RUN_AFTER, tick=True):
            _load_demo()
            later = instant + SECOND_RUN_AFTER
            missing = demo_work.missing(today=later.date())
        assert not missing, f"On the second run ({later:%a %Y-%m-%d %H:%M}): {missing}"
