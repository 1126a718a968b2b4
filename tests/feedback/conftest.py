"""Fixtures for the citizens' voice: a service point serving ward A with two counters, its
head and counter staff, a kiosk on counter 1, and public places in both wards."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.contrib.auth.models import AbstractUser

from civility.feedback.actions import register_device
from civility.feedback.models import CounterDevice, ReportCategory
from civility.orgs.models import Official, OrgUnit, Place, PlaceKind, UnitKind
from civility.orgs.scopes import Role
from tests.factories import make_official, make_place, make_unit, make_user


@dataclass
class Point:
    center: OrgUnit
    point: OrgUnit
    counter: OrgUnit
    counter2: OrgUnit
    head: AbstractUser  # unit head of the service point
    clerk: AbstractUser  # official working at counter 1
    clerk_official: Official
    device: CounterDevice
    secret: str
    market: Place  # in ward A
    park_b: Place  # in ward B, with coordinates
    littering: ReportCategory


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def point(cast) -> Point:
    center = make_unit(
        "Trung tâm Phục vụ hành chính công", parent=cast.city, kind=UnitKind.SERVICE_CENTER
    )
    point = make_unit(
        "Điểm phục vụ hành chính công Phường Tây Hồ",
        parent=center,
        kind=UnitKind.SERVICE_POINT,
        serves=cast.a.ward,
        code="SP-00091",
    )
    counter = make_unit(
        "Quầy số 1", parent=point, kind=UnitKind.COUNTER, serves=cast.a.ward, name_en="Counter 1"
    )
    counter2 = make_unit("Quầy số 2", parent=point, kind=UnitKind.COUNTER, serves=cast.a.ward)
    head = make_user("point_head", roles={Role.UNIT_HEAD: point})
    clerk = make_user("clerk", roles={Role.OFFICIAL: counter})
    clerk_official = make_official("Lê Thị Thu", unit=counter, user=clerk)
    device, secret = register_device(actor=cast.admin, counter=counter, name="Máy tính bảng 1")
    return Point(
        center=center,
        point=point,
        counter=counter,
        counter2=counter2,
        head=head,
        clerk=clerk,
        clerk_official=clerk_official,
        device=device,
        secret=secret,
        market=make_place("Chợ Quảng An", unit=cast.a.ward, kind=PlaceKind.MARKET),
        park_b=make_place(
            "Vườn hoa Long Biên",
            unit=cast.b.ward,
            kind=PlaceKind.PARK,
            latitude=Decimal("21.040000"),
            longitude=Decimal("105.860000"),
        ),
        # get_or_create: a transactional test's flush removes the rows migration 0002 seeds.
        littering=ReportCategory.objects.get_or_create(
            code="littering", defaults={"name": "Xả rác", "name_en": "Littering"}
        )[0],
    )


def kiosk_headers(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def rating(level: int = 1, **fields) -> dict:
    return {"client_id": str(uuid.uuid4()), "level": level, **fields}


@pytest.fixture
def client_factory():
    """A fresh browser each call: a new phone with its own cookies."""
    from django.test import Client

    return Client
