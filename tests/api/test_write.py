"""Creating and changing officials through the API: validation names the field, never a 500."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType

from civility.core.models import AuditEvent
from civility.orgs.models import Official
from civility.orgs.scopes import Role
from tests.factories import make_official, make_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def head_client(client, cast):
    client.force_login(cast.a.head)
    return client


def post_json(client, data, **kwargs):
    return client.post("/api/v1/officials", data, content_type="application/json", **kwargs)


def patch_json(client, official, data, **kwargs):
    return client.patch(
        f"/api/v1/officials/{official.pk}", data, content_type="application/json", **kwargs
    )


def test_head_creates_an_official_in_their_ward(head_client, cast):
    post = make_post("Một cửa", unit=cast.city, is_sensitive=True, rotation_period_months=36)

    response = post_json(
        head_client,
        {
            "unit_id": cast.a.department.pk,
            "full_name": "  Đỗ Minh Châu ",
            "staff_category": "civil_servant",
            "post_id": post.pk,
            "post_start_date": "2024-03-01",
            "email": "chau@example.vn",
        },
    )

    assert response.status_code == 201, response.content
    official = Official.objects.get(pk=response.json()["id"])
    assert (official.full_name, official.unit, official.post) == (
        "Đỗ Minh Châu",
        cast.a.department,
        post,
    )
    assert response.json()["post"] == {"id": post.pk, "name": "Một cửa", "is_sensitive": True}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"full_name": ""}, "full_name"),
        ({"staff_category": "boss"}, "staff_category"),
        ({"email": "not-an-address"}, "email"),
        ({"post_start_date": "31/12/2024"}, "post_start_date"),
        ({"unit_id": "abc"}, "unit_id"),
    ],
)
def test_create_errors_name_the_field(head_client, cast, change, field):
    data = {"unit_id": cast.a.ward.pk, "full_name": "Hà", "staff_category": "cadre", **change}

    response = post_json(head_client, data)

    assert response.status_code == 422, response.content
    body = response.json()
    assert body["field"] == field
    assert body["message"]
    assert body["code"] == "invalid" and body["errors"][0]["code"]
    assert body["errors"][0] | {"code": None} == {
        "code": None,
        "field": field,
        "message": body["message"],
    }


def test_create_lists_every_missing_field(head_client, cast):
    response = post_json(head_client, {})

    assert response.status_code == 422
    assert {error["field"] for error in response.json()["errors"]} == {
        "unit_id",
        "full_name",
        "staff_category",
    }


def test_create_in_another_ward_names_the_unit(head_client, cast):
    data = {"unit_id": cast.b.ward.pk, "full_name": "Hà", "staff_category": "cadre"}

    response = post_json(head_client, data)

    assert response.status_code == 422
    assert response.json()["field"] == "unit_id"
    assert not Official.objects.filter(full_name="Hà").exists()


def test_official_cannot_create_officials(client, cast):
    client.force_login(cast.a.official_user)
    data = {"unit_id": cast.a.department.pk, "full_name": "Hà", "staff_category": "cadre"}

    assert post_json(client, data).status_code == 403


def test_post_from_another_wards_catalogue_is_refused(head_client, cast):
    post_b = make_post("Văn thư", unit=cast.b.ward)

    response = patch_json(head_client, cast.a.official, {"post_id": post_b.pk})

    assert response.status_code == 422
    assert response.json()["field"] == "post_id"


def test_duplicate_staff_code_names_the_field(head_client, cast):
    make_official("Khác", unit=cast.a.department, staff_code="NV01")

    response = patch_json(head_client, cast.a.official, {"staff_code": "NV01"})

    assert response.status_code == 422
    assert response.json()["field"] == "staff_code"


@pytest.mark.parametrize("field", ["full_name", "unit_id", "is_leader", "email"])
def test_patch_refuses_null_for_required_fields(head_client, cast, field):
    response = patch_json(head_client, cast.a.official, {field: None})

    assert response.status_code == 422
    assert response.json()["field"] == field


def test_patch_changes_only_the_fields_sent(head_client, cast):
    response = patch_json(
        head_client, cast.a.official, {"is_leader": True, "left_on": "2025-07-01"}
    )

    assert response.status_code == 200
    cast.a.official.refresh_from_db()
    assert cast.a.official.is_leader is True
    assert str(cast.a.official.left_on) == "2025-07-01"
    assert cast.a.official.full_name == "Nguyễn Văn A"


def test_patch_moving_to_another_ward_is_refused(head_client, cast):
    response = patch_json(head_client, cast.a.official, {"unit_id": cast.b.department.pk})

    assert response.status_code == 422
    assert response.json()["field"] == "unit_id"


@pytest.mark.parametrize("body", ["{not json", "[1, 2]", '"text"', '{"is_leader": "perhaps"}', ""])
def test_malformed_body_is_a_client_error(head_client, cast, body):
    response = patch_json(head_client, cast.a.official, body)

    assert 400 <= response.status_code < 500
    assert response.json()["message"]


def test_patch_through_a_token_is_audited_as_the_owner(client, cast, make_token):
    _token, headers = make_token(cast.a.ward, role=Role.UNIT_HEAD)

    response = patch_json(client, cast.a.official, {"full_name": "Nguyễn Văn Á"}, headers=headers)

    assert response.status_code == 200
    event = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Official),
        object_pk=str(cast.a.official.pk),
    ).latest("timestamp")
    assert event.actor == cast.admin
    assert event.changes_dict["full_name"] == ["Nguyễn Văn A", "Nguyễn Văn Á"]
    assert event.additional_data["unit_path"] == cast.a.department.path


def test_unknown_field_is_named(head_client, cast):
    response = patch_json(head_client, cast.a.official, {"fullname": "Typo"})

    assert response.status_code == 422
    assert response.json()["field"] == "fullname"
