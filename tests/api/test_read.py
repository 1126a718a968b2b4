"""Reading units, places and officials: filters, accent-free search, pagination, query counts."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civility.orgs.models import PlaceKind, StaffCategory, UnitKind
from tests.factories import make_official, make_place, make_post, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, cast):
    client.force_login(cast.admin)
    return client


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row.get("full_name", row.get("name")) for row in response.json()["items"]]


def test_search_for_officials_ignores_accents_and_case(admin_client, cast):
    response = admin_client.get("/api/v1/officials", {"q": "nguyen van"})

    assert names(response) == ["Nguyễn Văn A", "Nguyễn Văn B"]


def test_search_for_units_ignores_accents(admin_client, cast):
    response = admin_client.get("/api/v1/units", {"q": "PHUONG tay ho", "kind": "ward"})

    assert names(response) == ["Phường Tây Hồ"]


def test_search_for_places_ignores_accents(admin_client, cast):
    make_place("Chợ Đồng Xuân", unit=cast.a.ward, address="Phố Đồng Xuân")
    make_place("Công viên Thống Nhất", unit=cast.b.ward, kind=PlaceKind.PARK)

    response = admin_client.get("/api/v1/places", {"q": "dong xuan"})

    assert names(response) == ["Chợ Đồng Xuân"]


def test_officials_are_paginated_with_a_count(admin_client, cast):
    for number in range(5):
        make_official(f"Lê Thị {number}", unit=cast.a.department)

    first = admin_client.get("/api/v1/officials", {"limit": 3, "offset": 0}).json()
    last = admin_client.get("/api/v1/officials", {"limit": 3, "offset": 6}).json()

    assert (first["count"], first["limit"], first["offset"], len(first["items"])) == (7, 3, 0, 3)
    assert [row["full_name"] for row in first["items"]] == ["Lê Thị 0", "Lê Thị 1", "Lê Thị 2"]
    assert [row["full_name"] for row in last["items"]] == ["Nguyễn Văn B"]


@pytest.mark.parametrize("params", [{"limit": 0}, {"offset": -1}, {"limit": "x"}])
def test_bad_paging_names_the_parameter(admin_client, cast, params):
    response = admin_client.get("/api/v1/officials", params)

    assert response.status_code == 422
    assert response.json()["field"] == next(iter(params))


def test_officials_filter_by_unit_category_leader_post_and_activity(admin_client, cast):
    post = make_post(
        "Tiếp nhận hồ sơ", unit=cast.city, is_sensitive=True, rotation_period_months=36
    )
    leader = make_official(
        "Phạm Lãnh Đạo", unit=cast.a.ward, is_leader=True, staff_category=StaffCategory.CADRE
    )
    clerk = make_official("Hoàng Một Cửa", unit=cast.a.department, post=post)
    make_official("Đã Nghỉ", unit=cast.a.department, left_on=datetime.date(2024, 1, 1))

    def found(**params) -> list[str]:
        return names(admin_client.get("/api/v1/officials", params))

    assert found(unit=cast.a.ward.pk, active="true") == [
        clerk.full_name,
        "Nguyễn Văn A",
        leader.full_name,
    ]
    assert found(is_leader="true") == [leader.full_name]
    assert found(staff_category="cadre") == [leader.full_name]
    assert found(post=post.pk) == [clerk.full_name]
    assert found(active="false") == ["Đã Nghỉ"]


def test_official_detail_shows_unit_and_post(admin_client, cast):
    post = make_post("Kế toán", unit=cast.city, is_sensitive=True, rotation_period_months=36)
    official = make_official("Vũ Thu", unit=cast.a.department, post=post, email="thu@example.vn")

    data = admin_client.get(f"/api/v1/officials/{official.pk}").json()

    assert data.pop("updated_at")
    assert data == {
        "id": official.pk,
        "full_name": "Vũ Thu",
        "staff_category": "civil_servant",
        "unit": {"id": cast.a.department.pk, "name": cast.a.department.name},
        "post": {"id": post.pk, "name": "Kế toán", "is_sensitive": True},
        "is_leader": False,
        "agency_role": "",
        "post_start_date": None,
        "email": "thu@example.vn",
        "phone": "",
        "staff_code": "",
        "left_on": None,
        "retirement_date": None,
    }


def test_listing_officials_takes_the_same_queries_however_many(admin_client, cast):
    post = make_post("Văn thư", unit=cast.city)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get("/api/v1/officials").status_code == 200
        return len(captured)

    few = queries()
    for number in range(20):
        make_official(f"Người {number}", unit=cast.b.department, post=post)
    assert queries() == few


def test_unit_filters_by_kind_parent_and_current(admin_client, cast):
    old = make_unit(
        "Phường Cũ",
        parent=cast.city,
        kind=UnitKind.WARD,
        valid_from=datetime.date(2000, 1, 1),
        valid_to=datetime.date(2025, 6, 30),
    )

    def found(**params) -> list[str]:
        return names(admin_client.get("/api/v1/units", params))

    assert found(kind="ward") == ["Phường Tây Hồ", "Phường Long Biên", old.name]
    assert found(parent=cast.city.pk, current="true") == ["Phường Tây Hồ", "Phường Long Biên"]
    assert found(current="false") == [old.name]


def test_unknown_unit_kind_is_a_field_error(admin_client, cast):
    response = admin_client.get("/api/v1/units", {"kind": "castle"})

    assert response.status_code == 422
    assert response.json()["field"] == "kind"


def test_unit_detail_has_tree_fields(admin_client, cast):
    data = admin_client.get(f"/api/v1/units/{cast.a.ward.pk}").json()

    assert data.pop("updated_at")
    assert data == {
        "id": cast.a.ward.pk,
        "kind": "ward",
        "code": "00091",
        "name": "Phường Tây Hồ",
        "name_en": "",
        "parent_id": cast.city.pk,
        "depth": cast.a.ward.depth,
        "valid_from": None,
        "valid_to": None,
        "is_current": True,
    }


def test_subtree_is_flat_in_tree_order_with_depth_and_parent(admin_client, cast):
    counter = make_unit("Quầy 1", parent=cast.a.department, kind=UnitKind.COUNTER)

    data = admin_client.get(f"/api/v1/units/{cast.a.ward.pk}/subtree").json()

    rows = [(row["id"], row["parent_id"], row["depth"]) for row in data["items"]]
    ward_depth = cast.a.ward.depth
    assert data["count"] == 3
    assert rows == [
        (cast.a.ward.pk, cast.city.pk, ward_depth),
        (cast.a.department.pk, cast.a.ward.pk, ward_depth + 1),
        (counter.pk, cast.a.department.pk, ward_depth + 2),
    ]


def test_children_lists_direct_children_only(admin_client, cast):
    response = admin_client.get(f"/api/v1/units/{cast.city.pk}/children")

    names = [row["name"] for row in response.json()["items"]]
    assert names == ["Phường Long Biên", "Phường Tây Hồ"]


def test_places_filter_by_unit_subtree_and_kind(admin_client, cast):
    market = make_place("Chợ Bưởi", unit=cast.a.ward, latitude="21.045000", longitude="105.810000")
    make_place("Vườn hoa", unit=cast.a.ward, kind=PlaceKind.PARK)
    make_place("Chợ Long Biên", unit=cast.b.ward)

    response = admin_client.get("/api/v1/places", {"unit": cast.a.ward.pk, "kind": "market"})

    items = response.json()["items"]
    assert all(item.pop("updated_at") for item in items)
    assert items == [
        {
            "id": market.pk,
            "kind": "market",
            "name": "Chợ Bưởi",
            "address": "",
            "unit_id": cast.a.ward.pk,
            "latitude": 21.045,
            "longitude": 105.81,
        }
    ]


def test_place_of_another_ward_is_404(client, cast):
    place = make_place("Chợ Long Biên", unit=cast.b.ward)
    client.force_login(cast.a.head)

    assert client.get(f"/api/v1/places/{place.pk}").status_code == 404
    assert client.get("/api/v1/places").json()["count"] == 0


def test_missing_object_is_404_json(admin_client, cast):
    response = admin_client.get("/api/v1/officials/999999")

    assert response.status_code == 404
    assert response.json()["field"] is None
    assert response.json()["message"]
