"""Two provinces on one deployment: nothing of Hanoi reaches Son La's users and nothing of Son
La reaches Hanoi's, by page or API; a setting recorded by one never applies to the other's
units; only a superuser sees both (DESIGN: "Provinces side by side")."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from civility.orgs.actions import set_policy
from civility.orgs.models import Official, OrgUnit
from civility.orgs.policies import policy
from civility.orgs.profile import AUTHORITY_NAME, REVIEW_DIRECTIVE
from tests.factories import make_place

JAN_1 = datetime.date(2026, 1, 1)


@dataclass
class Province:
    """One province as its coordinator works in it."""

    name: str
    province: OrgUnit
    ward: OrgUnit
    official: Official
    coordinator: object


@pytest.fixture
def sides(cast, sonla) -> dict[str, Province]:
    return {
        "hanoi": Province("Hanoi", cast.city, cast.a.ward, cast.a.official, cast.city_coordinator),
        "son_la": Province("Son La", sonla.province, sonla.ward, sonla.official, sonla.coordinator),
    }


DIRECTIONS = [("son_la", "hanoi"), ("hanoi", "son_la")]


@pytest.mark.parametrize(("own", "other"), DIRECTIONS, ids=["son_la_sees", "hanoi_sees"])
def test_a_coordinator_sees_no_unit_or_official_of_the_other_province(client, sides, own, other):
    own, other = sides[own], sides[other]
    client.force_login(own.coordinator)

    units_page = client.get(reverse("orgs:unit_list")).content.decode()
    assert own.province.name_en in units_page and other.province.name_en not in units_page
    officials_page = client.get(reverse("orgs:official_list")).content.decode()
    assert own.official.full_name in officials_page
    assert other.official.full_name not in officials_page
    for url in (
        reverse("orgs:unit_detail", args=[other.ward.pk]),
        reverse("orgs:official_detail", args=[other.official.pk]),
        reverse("orgs:official_list") + f"?unit={other.province.pk}",
        f"/api/v1/units/{other.province.pk}",
        f"/api/v1/officials/{other.official.pk}",
    ):
        assert client.get(url).status_code == 404, url

    units = client.get("/api/v1/units?limit=500").json()["items"]
    assert {unit["id"] for unit in units} == set(
        OrgUnit.objects.subtree_of(own.province).values_list("pk", flat=True)
    )
    officials = client.get("/api/v1/officials").json()["items"]
    assert {official["id"] for official in officials} == set(
        Official.objects.under(own.province).values_list("pk", flat=True)
    )


@pytest.mark.parametrize(("own", "other"), DIRECTIONS, ids=["son_la_sees", "hanoi_sees"])
def test_a_coordinator_can_neither_read_nor_write_the_other_provinces_settings(
    client, sides, own, other
):
    own, other = sides[own], sides[other]
    set_policy(
        actor=other.coordinator,
        unit=other.province,
        key=AUTHORITY_NAME.key,
        value=f"ỦY BAN NHÂN DÂN {other.province.name.upper()}",
        valid_from=JAN_1,
        source="Nghị định 30/2020/NĐ-CP",
    )
    client.force_login(own.coordinator)

    other_page = reverse("orgs:unit_policies", args=[other.province.pk])
    assert client.get(other_page).status_code == 404
    response = client.post(
        other_page, {"key": AUTHORITY_NAME.key, "value": "X", "valid_from": "2026-02-01"}
    )
    assert response.status_code == 404
    own_page = client.get(reverse("orgs:unit_policies", args=[own.province.pk])).content.decode()
    assert other.province.name.upper() not in own_page
    assert other.province.name_en not in own_page


def test_a_setting_recorded_by_one_province_never_applies_to_the_others_units(cast, sonla, sides):
    set_policy(
        actor=cast.city_coordinator,
        unit=cast.city,
        key=REVIEW_DIRECTIVE.key,
        value="Chỉ thị 24-CT/TU",
        valid_from=datetime.date(2023, 8, 7),
        source="Chỉ thị 24-CT/TU ngày 07/08/2023 của Ban Thường vụ Thành ủy Hà Nội",
    )
    set_policy(
        actor=sonla.coordinator,
        unit=sonla.province,
        key=AUTHORITY_NAME.key,
        value="ỦY BAN NHÂN DÂN TỈNH SƠN LA",
        valid_from=JAN_1,
        source="Nghị định 30/2020/NĐ-CP, Phụ lục I",
    )

    for unit in (sonla.province, sonla.ward, sonla.office):
        directive = policy(REVIEW_DIRECTIVE.key, unit=unit, on=JAN_1)
        assert (directive.value, directive.set_by) == ("", None)
    hanoi_directive = policy(REVIEW_DIRECTIVE.key, unit=cast.a.department, on=JAN_1)
    assert (hanoi_directive.value, hanoi_directive.set_by) == ("Chỉ thị 24-CT/TU", cast.city)
    for unit in (cast.city, cast.a.ward, cast.b.department):
        assert policy(AUTHORITY_NAME.key, unit=unit, on=JAN_1).set_by is None
    assert policy(AUTHORITY_NAME.key, unit=sonla.office, on=JAN_1).set_by == sonla.province


def test_a_superuser_sees_both_provinces(client, cast, sonla):
    client.force_login(cast.admin)

    units_page = client.get(reverse("orgs:unit_list")).content.decode()
    assert "Hanoi" in units_page and "Son La Province" in units_page
    units = client.get("/api/v1/units?limit=500").json()["items"]
    assert {cast.city.pk, sonla.province.pk, sonla.ward.pk} <= {unit["id"] for unit in units}
    assert client.get(reverse("orgs:unit_policies", args=[sonla.province.pk])).status_code == 200
    assert client.get(reverse("orgs:unit_policies", args=[cast.city.pk])).status_code == 200


def test_a_province_code_of_conduct_is_not_offered_or_loadable_in_another(client, cast, sonla):
    from civility.codes.actions import load_code_seed

    with pytest.raises(ValidationError) as error:
        load_code_seed(actor=None, unit=sonla.province, slug="hanoi-522")
    assert "written for another province" in str(error.value)
    with pytest.raises(CommandError, match="No code of conduct is shipped for Tỉnh Sơn La"):
        call_command("load_codes", "--unit-code", "14")
    client.force_login(sonla.coordinator)

    assert "Load the codes of conduct" not in client.get("/codes/").content.decode()
    client.post("/codes/seed/", {"unit": sonla.province.pk})
    assert not sonla.province.codes.exists()

    load_code_seed(actor=None, unit=cast.city, slug="hanoi-522")
    assert "hanoi" not in client.get("/codes/").content.decode().lower()
    assert client.get("/api/v1/codes/").json()["items"] == []
    client.force_login(cast.city_coordinator)
    assert [code["unit_id"] for code in client.get("/api/v1/codes/").json()["items"]] == [
        cast.city.pk
    ]


def test_a_public_report_far_from_any_place_goes_to_the_province_it_lies_in(cast, sonla):
    from civility.feedback.routing import route_report

    make_place("Chợ Quảng Bá", unit=cast.a.ward, latitude=D("21.063"), longitude=D("105.826"))
    make_place("Quảng trường Tây Bắc", unit=sonla.ward, latitude=D("21.32"), longitude=D("103.91"))

    # Tens of kilometres from any known place: the province's coordinators reassign it.
    assert route_report(place=None, latitude=D("21.60"), longitude=D("104.20")) == sonla.province
    assert route_report(place=None, latitude=D("20.80"), longitude=D("105.60")) == cast.city
