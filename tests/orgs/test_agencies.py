"""The agency of a unit (cơ quan, tổ chức, đơn vị: the level at which evaluation quotas are
counted and whose head evaluates its staff), and the heads and deputy heads of agencies."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from civility.orgs.actions import create_official
from civility.orgs.models import AgencyRole, UnitKind, nearest_of_kinds
from tests.factories import make_unit

pytestmark = pytest.mark.django_db


def test_a_division_belongs_to_the_agency_above_it_and_an_agency_to_itself(cast):
    division = make_unit("Phòng Văn hóa - Xã hội", parent=cast.a.ward, kind=UnitKind.DIVISION)
    point = make_unit("Điểm phục vụ hành chính công", parent=cast.city, kind=UnitKind.SERVICE_POINT)
    counter = make_unit("Quầy số 1", parent=point, kind=UnitKind.COUNTER)
    assert division.agency == cast.a.ward
    assert counter.agency == point
    assert cast.a.ward.agency == cast.a.ward
    assert nearest_of_kinds([division, counter], (UnitKind.PROVINCE,)) == {
        division.pk: cast.city,
        counter.pk: cast.city,
    }


def test_the_head_or_a_deputy_head_of_an_agency_must_be_a_leader(cast):
    with pytest.raises(ValidationError) as error:
        create_official(
            actor=cast.admin,
            unit=cast.a.department,
            full_name="Lê Văn Phó",
            staff_category="civil_servant",
            agency_role=AgencyRole.DEPUTY,
        )
    assert "The head or a deputy head of the agency is a leader" in str(error.value)
    official = create_official(
        actor=cast.admin,
        unit=cast.a.department,
        full_name="Lê Văn Phó",
        staff_category="civil_servant",
        is_leader=True,
        agency_role=AgencyRole.DEPUTY,
    )
    assert official.get_agency_role_display() == "Deputy head of the agency"
