"""The fixed cast: a city with two sibling wards, and the same roles in each."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AbstractUser

from civility.orgs.models import Official, OrgUnit, UnitKind
from civility.orgs.scopes import Role
from tests.factories import make_official, make_unit, make_user


@pytest.fixture(autouse=True)
def test_settings(settings):
    """Tests read messages in English (the source strings; tests of the Vietnamese default set
    LANGUAGE_CODE back to "vi"), hash passwords quickly, serve static files without the
    manifest that only collectstatic writes, and sign coordinators in without the second
    factor their role requires (tests/security/test_two_factor_required.py turns it on)."""
    settings.LANGUAGE_CODE = "en"
    settings.TWO_FACTOR_REQUIRED = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with no cached page fragments (the cache lives in the process)."""
    from django.core.cache import cache

    cache.clear()


@dataclass
class Side:
    """One ward with its people: used twice, for the unit under test and its sibling."""

    ward: OrgUnit
    department: OrgUnit
    coordinator: AbstractUser
    head: AbstractUser
    official_user: AbstractUser
    official: Official


@dataclass
class Cast:
    city: OrgUnit
    admin: AbstractUser
    city_coordinator: AbstractUser
    a: Side
    b: Side


def _side(city: OrgUnit, label: str, name: str, code: str) -> Side:
    ward = make_unit(name, parent=city, kind=UnitKind.WARD, code=code)
    department = make_unit(f"Văn phòng HĐND và UBND {name}", parent=ward)
    official_user = make_user(f"official_{label}", roles={Role.OFFICIAL: department})
    return Side(
        ward=ward,
        department=department,
        coordinator=make_user(f"coordinator_{label}", roles={Role.COORDINATOR: ward}),
        head=make_user(f"head_{label}", roles={Role.UNIT_HEAD: ward}),
        official_user=official_user,
        official=make_official(f"Nguyễn Văn {label.upper()}", unit=department, user=official_user),
    )


@pytest.fixture
def cast(db) -> Cast:
    city = make_unit("Thành phố Hà Nội", kind=UnitKind.PROVINCE, code="01", name_en="Hanoi")
    return Cast(
        city=city,
        admin=make_user("admin", is_superuser=True),
        city_coordinator=make_user("coordinator_city", roles={Role.COORDINATOR: city}),
        a=_side(city, "a", "Phường Tây Hồ", "00091"),
        b=_side(city, "b", "Phường Long Biên", "00145"),
    )
