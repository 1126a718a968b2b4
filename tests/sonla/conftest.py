"""Son La beside the fixed cast's Hanoi: a province, a ward with an office and an official, a
coordinator and a ward head of its own."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AbstractUser

from civility.orgs.models import Official, OrgUnit, UnitKind
from civility.orgs.scopes import Role
from tests.factories import make_official, make_unit, make_user


@dataclass
class SonLa:
    province: OrgUnit
    ward: OrgUnit
    office: OrgUnit
    coordinator: AbstractUser
    head: AbstractUser
    official: Official


@pytest.fixture
def sonla(cast) -> SonLa:
    province = make_unit(
        "Tỉnh Sơn La", kind=UnitKind.PROVINCE, code="14", name_en="Son La Province"
    )
    ward = make_unit(
        "Phường Tô Hiệu", parent=province, kind=UnitKind.WARD, code="03646", name_en="To Hieu Ward"
    )
    office = make_unit("Văn phòng HĐND và UBND Phường Tô Hiệu", parent=ward)
    return SonLa(
        province=province,
        ward=ward,
        office=office,
        coordinator=make_user("coordinator_sonla", roles={Role.COORDINATOR: province}),
        head=make_user("head_sonla", roles={Role.UNIT_HEAD: ward}),
        official=make_official("Quàng Văn Bình", unit=office),
    )
