"""Every POST of the API honours `Idempotency-Key` (issue 22): a retry with the same key
creates nothing new and gets the first answer. The operations are read from the API's own
OpenAPI document, so one added later is covered without editing this file."""

from __future__ import annotations

import json
import re

import pytest
from django.http import JsonResponse
from ninja.operation import Operation
from ninja.utils import normalize_path

from civility.api import api
from civility.orgs.models import Official, StaffCategory
from civility.orgs.scopes import Role

KEY = "4f9a2c1e-sync-0001"


def _post_operations() -> list[str]:
    schema = api.get_openapi_schema()
    return [path for path, operations in schema["paths"].items() if "post" in operations]


POSTS = _post_operations()


def test_the_api_has_post_operations_to_check():
    assert len(POSTS) >= 15


def test_every_post_route_is_in_the_document_so_the_tests_below_cover_it():
    # A POST left out of the OpenAPI document (include_in_schema=False) would escape the
    # parametrized test: every route the routers hold must be listed.
    routes = {
        normalize_path("/".join(["/api/v1", prefix, path]))
        for prefix, router in api._routers
        for path, view in router.path_operations.items()
        for operation in view.operations
        if "POST" in operation.methods
    }

    assert routes == set(POSTS)


@pytest.mark.parametrize("path", POSTS)
def test_a_repeated_post_with_the_same_key_runs_the_operation_once(client, cast, monkeypatch, path):
    runs: list[str] = []

    def run_once_more(self, request, **kwargs):
        # Stands for the operation's own work: every run would create one more thing.
        runs.append(request.path)
        return JsonResponse({"created": len(runs)}, status=201)

    monkeypatch.setattr(Operation, "run", run_once_more)
    client.force_login(cast.admin)
    url = re.sub(r"\{\w+\}", "1", path)

    def send():
        return client.post(url, "{}", content_type="application/json", HTTP_IDEMPOTENCY_KEY=KEY)

    first, repeat = send(), send()

    assert runs == [url]
    assert first.status_code == repeat.status_code == 201
    assert repeat.json() == first.json() == {"created": 1}
    assert repeat.headers["Idempotent-Replay"] == "true"


def test_posting_an_official_twice_with_one_key_creates_one(client, cast, make_token):
    _token, headers = make_token(cast.a.ward, Role.UNIT_HEAD, actor=cast.a.head)
    body = {
        "unit_id": cast.a.department.pk,
        "full_name": "Trần Thị Mai",
        "staff_category": StaffCategory.CIVIL_SERVANT,
        "staff_code": "HR-0042",
        "phone": "0912 345 678",
    }
    before = Official.objects.count()

    def send():
        return client.post(
            "/api/v1/officials",
            json.dumps(body),
            content_type="application/json",
            headers={**headers, "Idempotency-Key": KEY},
        )

    first, retry = send(), send()

    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert Official.objects.count() == before + 1
    assert first.json()["staff_code"] == "HR-0042"
    assert first.json()["phone"] == "0912 345 678"


def test_a_sync_matches_officials_by_staff_code(client, cast, make_token):
    Official.objects.filter(pk=cast.a.official.pk).update(staff_code="HR-7", phone="024 1234")
    _token, headers = make_token(cast.a.ward)

    listed = client.get("/api/v1/officials", {"q": "HR-7"}, headers=headers).json()["items"]

    assert [(o["staff_code"], o["phone"]) for o in listed] == [("HR-7", "024 1234")]


def test_a_token_of_another_ward_sees_neither_the_official_nor_its_staff_code(
    client, cast, make_token
):
    Official.objects.filter(pk=cast.a.official.pk).update(staff_code="HR-7")
    _token, headers = make_token(cast.b.ward)

    listed = client.get("/api/v1/officials", {"q": "HR-7"}, headers=headers).json()

    assert listed["count"] == 0


def test_every_post_documents_the_idempotency_key_header(client, db):
    schema = client.get("/api/v1/openapi.json").json()

    for path in POSTS:
        parameters = schema["paths"][path]["post"].get("parameters", [])
        assert "Idempotency-Key" in {p["name"] for p in parameters if p["in"] == "header"}, path
