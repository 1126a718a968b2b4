"""The scope matrix through the API: each member of the cast sees and changes only their part."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def read(client, user, official):
    client.force_login(user)
    return client.get(f"/api/v1/officials/{official.pk}").status_code


def patch(client, user, official):
    client.force_login(user)
    response = client.patch(
        f"/api/v1/officials/{official.pk}",
        {"full_name": "Trần Thị Đổi"},
        content_type="application/json",
    )
    return response.status_code


@pytest.mark.parametrize("member", ["coordinator", "head", "official_user"])
def test_ward_users_read_their_own_wards_officials(client, cast, member):
    assert read(client, getattr(cast.a, member), cast.a.official) == 200


@pytest.mark.parametrize("member", ["coordinator", "head", "official_user"])
def test_ward_users_get_404_for_the_other_wards_officials(client, cast, member):
    assert read(client, getattr(cast.a, member), cast.b.official) == 404


@pytest.mark.parametrize("member", ["coordinator", "head"])
def test_ward_managers_patch_their_own_wards_officials(client, cast, member):
    assert patch(client, getattr(cast.a, member), cast.a.official) == 200
    cast.a.official.refresh_from_db()
    assert cast.a.official.full_name == "Trần Thị Đổi"


@pytest.mark.parametrize("member", ["coordinator", "head", "official_user"])
def test_ward_users_get_404_when_patching_the_other_wards_officials(client, cast, member):
    assert patch(client, getattr(cast.a, member), cast.b.official) == 404
    cast.b.official.refresh_from_db()
    assert cast.b.official.full_name == "Nguyễn Văn B"


def test_official_may_read_but_not_patch_their_own_ward(client, cast):
    assert patch(client, cast.a.official_user, cast.a.official) == 403


@pytest.mark.parametrize("member", ["city_coordinator", "admin"])
def test_city_coordinator_and_administrator_reach_both_wards(client, cast, member):
    user = getattr(cast, member)
    assert read(client, user, cast.b.official) == 200
    assert patch(client, user, cast.b.official) == 200


def test_ward_head_lists_only_units_of_their_ward(client, cast):
    client.force_login(cast.a.head)

    units = client.get("/api/v1/units").json()

    assert {row["id"] for row in units["items"]} == {cast.a.ward.pk, cast.a.department.pk}
    assert client.get(f"/api/v1/units/{cast.city.pk}").status_code == 404
    assert client.get(f"/api/v1/units/{cast.b.ward.pk}/subtree").status_code == 404
    assert client.get(f"/api/v1/units/{cast.b.ward.pk}/children").status_code == 404


def test_ward_head_cannot_filter_by_the_other_wards_unit(client, cast):
    client.force_login(cast.a.head)

    response = client.get("/api/v1/officials", {"unit": cast.b.ward.pk})

    assert response.status_code == 404


def test_user_without_roles_sees_nothing(client, cast, django_user_model):
    client.force_login(django_user_model.objects.create_user("nobody"))

    response = client.get("/api/v1/officials")

    assert response.status_code == 200
    assert response.json()["count"] == 0
