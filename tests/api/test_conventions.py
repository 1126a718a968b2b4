"""One way across the API (issue 22): pages with links and a clamped `limit`, `unit` as a
subtree with its deprecated alias, `updated_since`, whitelisted `ordering` (400 otherwise),
ETags with 304, error bodies `{code, message, field}` in the language asked for, and
X-RateLimit-* headers with a 429 that says Retry-After."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from civility.orgs.models import Official
from civility.orgs.scopes import Role
from tests.factories import make_official


@pytest.fixture
def admin_client(client, cast):
    client.force_login(cast.admin)
    return client


def test_a_limit_above_the_maximum_is_clamped_on_every_collection(admin_client, cast):
    for path in ("/api/v1/units", "/api/v1/officials", "/api/v1/inspections/actions"):
        page = admin_client.get(path, {"limit": 1000}).json()
        assert page["limit"] == 500, path


def test_pages_link_to_the_next_and_previous_ones(admin_client, cast):
    for number in range(5):
        make_official(f"Lê Thị {number}", unit=cast.a.ward)

    first = admin_client.get("/api/v1/officials", {"limit": 3, "unit": cast.a.ward.pk}).json()
    second = admin_client.get(first["next"]).json()

    assert first["count"] == second["count"] == 6
    assert first["previous"] is None
    assert f"unit={cast.a.ward.pk}" in first["next"] and "offset=3" in first["next"]
    assert len(second["items"]) == 3 and second["next"] is None
    assert "offset=0" in second["previous"]


def test_ordering_by_a_whitelisted_field_either_way(admin_client, cast):
    make_official("An Văn Đầu", unit=cast.a.ward)

    up = admin_client.get("/api/v1/officials", {"ordering": "full_name"}).json()["items"]
    down = admin_client.get("/api/v1/officials", {"ordering": "-full_name"}).json()["items"]

    assert [o["id"] for o in up] == [o["id"] for o in reversed(down)]
    assert up[0]["full_name"] == "An Văn Đầu"


@pytest.mark.parametrize(
    "path", ["/api/v1/officials", "/api/v1/units", "/api/v1/places", "/api/v1/conduct/records"]
)
def test_an_unknown_ordering_is_a_400_naming_the_accepted_values(admin_client, cast, path):
    response = admin_client.get(path, {"ordering": "salary"})

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_parameter" and body["field"] == "ordering"
    assert "salary" in body["message"] and "Use one of" in body["message"]


def test_unit_means_the_subtree_and_unit_id_is_its_old_name(admin_client, cast):
    path = "/api/v1/awards/models/counts"
    by_new = admin_client.get(path, {"unit": cast.a.ward.pk})
    by_old = admin_client.get(path, {"unit_id": cast.a.ward.pk})
    both = admin_client.get(path, {"unit": cast.a.ward.pk, "unit_id": cast.b.ward.pk})
    neither = admin_client.get(path)

    assert by_new.status_code == by_old.status_code == 200
    assert by_new.json() == by_old.json()
    assert both.status_code == 400 and both.json()["field"] == "unit"
    assert neither.status_code == 422 and neither.json()["field"] == "unit"


def test_the_old_names_are_marked_deprecated_in_the_openapi_document(admin_client):
    schema = admin_client.get("/api/v1/openapi.json").json()

    parameters = schema["paths"]["/api/v1/conduct/records"]["get"]["parameters"]
    deprecated = {p["name"] for p in parameters if p.get("deprecated")}
    assert deprecated == {"unit_id"}


def test_updated_since_gives_only_what_changed(admin_client, cast):
    since = timezone.now() + datetime.timedelta(seconds=1)
    changed = make_official("Mới Sửa", unit=cast.a.ward)
    Official.objects.filter(pk=changed.pk).update(updated_at=since + datetime.timedelta(hours=1))

    found = admin_client.get("/api/v1/officials", {"updated_since": since.isoformat()}).json()

    assert [o["id"] for o in found["items"]] == [changed.pk]
    assert found["items"][0]["updated_at"]


def test_a_single_resource_has_an_etag_and_answers_304_when_unchanged(admin_client, cast):
    url = f"/api/v1/officials/{cast.a.official.pk}"
    first = admin_client.get(url)

    again = admin_client.get(url, headers={"If-None-Match": first["ETag"]})
    Official.objects.filter(pk=cast.a.official.pk).update(full_name="Nguyễn Văn Mới")
    changed = admin_client.get(url, headers={"If-None-Match": first["ETag"]})

    assert first.status_code == 200 and first["ETag"]
    assert again.status_code == 304 and again.content == b""
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


def test_errors_carry_a_code_a_message_and_a_field(client, cast):
    anonymous = client.get("/api/v1/officials").json()
    client.force_login(cast.admin)
    missing = client.get("/api/v1/officials/999999").json()
    invalid_json = client.post(
        "/api/v1/officials", "{not json", content_type="application/json"
    ).json()
    invalid = client.post("/api/v1/officials", "{}", content_type="application/json").json()

    assert anonymous == {
        "code": "not_authenticated",
        "message": "Authentication required: send an API token or sign in.",
        "field": None,
    }
    assert missing["code"] == "not_found"
    assert invalid_json["code"] == "invalid_json"
    assert invalid["code"] == "invalid"
    assert invalid["errors"][0] == {
        "code": "missing",
        "field": "unit_id",
        "message": "This field is required.",
    }


def test_a_bad_token_and_a_read_only_token_say_so_in_their_codes(client, cast, make_token):
    _token, viewer = make_token(cast.a.ward, Role.VIEWER)

    bad = client.get("/api/v1/units", headers={"Authorization": "Bearer cvt_nope"}).json()
    read_only = client.post(
        "/api/v1/officials", "{}", content_type="application/json", headers=viewer
    ).json()

    assert bad["code"] == "invalid_token"
    assert read_only["code"] == "read_only_token"


def test_messages_follow_accept_language(client, cast):
    english = client.get("/api/v1/units", headers={"Accept-Language": "en-US,en;q=0.8"})
    vietnamese = client.get("/api/v1/units", headers={"Accept-Language": "vi-VN,vi;q=0.9"})

    assert english.json()["message"].startswith("Authentication required")
    assert vietnamese.json()["message"] == "Cần xác thực: hãy gửi mã truy cập API hoặc đăng nhập."
    assert vietnamese["Content-Language"] == "vi"
    assert "Accept-Language" in vietnamese["Vary"]


def test_every_answer_says_the_rate_limit_and_an_empty_bucket_answers_429(
    client, cast, make_token, settings
):
    settings.THROTTLE_API = (2, 30.0)
    _token, headers = make_token(cast.a.ward)

    first = client.get("/api/v1/units", headers=headers)
    second = client.get("/api/v1/units", headers=headers)
    third = client.get("/api/v1/units", headers=headers)

    assert first["X-RateLimit-Limit"] == "2"
    assert (first["X-RateLimit-Remaining"], second["X-RateLimit-Remaining"]) == ("1", "0")
    assert int(second["X-RateLimit-Reset"]) > 0
    assert third.status_code == 429
    assert third.json()["code"] == "throttled"
    assert third["Retry-After"] == "30"
    assert third["X-RateLimit-Remaining"] == "0"


def test_the_openapi_document_names_its_server_and_the_shared_answers(admin_client):
    schema = admin_client.get("/api/v1/openapi.json").json()

    assert schema["servers"][0]["url"]
    operation = schema["paths"]["/api/v1/officials"]["get"]
    assert {"200", "304", "429"} <= set(operation["responses"])
    assert "X-RateLimit-Remaining" in operation["responses"]["200"]["headers"]
    assert "400" in schema["paths"]["/api/v1/officials"]["post"]["responses"]


def _number_or_string(schema: dict) -> bool:
    types = {option.get("type") for option in schema.get("anyOf", [])}
    return {"number", "string"} <= types


def test_decimals_in_answers_are_strings_with_a_pattern(admin_client):
    schemas = admin_client.get("/api/v1/openapi.json").json()["components"]["schemas"]

    loose = [
        f"{name}.{prop}"
        for name, schema in schemas.items()
        if name.endswith("Out")
        for prop, definition in schema.get("properties", {}).items()
        if _number_or_string(definition)
        or any(_number_or_string(option) for option in definition.get("anyOf", []))
    ]
    assert loose == []
    score = schemas["InspectionOut"]["properties"]["score"]["anyOf"][0]
    assert score["type"] == "string" and score["pattern"]
