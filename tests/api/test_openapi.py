"""The OpenAPI document is valid and complete; the docs page loads nothing from a CDN."""

from __future__ import annotations

import pytest
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db


def test_openapi_document_is_valid_and_lists_the_endpoints(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    validate(document)
    assert {
        "/api/v1/units",
        "/api/v1/units/{unit_id}",
        "/api/v1/units/{unit_id}/subtree",
        "/api/v1/units/{unit_id}/children",
        "/api/v1/places",
        "/api/v1/places/{place_id}",
        "/api/v1/officials",
        "/api/v1/officials/{official_id}",
    } <= set(document["paths"])
    assert set(document["paths"]["/api/v1/officials/{official_id}"]) == {"get", "patch"}


def test_openapi_describes_token_and_session_auth(client):
    document = client.get("/api/v1/openapi.json").json()

    schemes = document["components"]["securitySchemes"]
    assert schemes["ApiTokenAuth"]["type"] == "http"
    assert schemes["ApiTokenAuth"]["scheme"] == "bearer"
    assert "API token" in schemes["ApiTokenAuth"]["description"]
    assert schemes["ApiSessionAuth"]["in"] == "cookie"
    operation = document["paths"]["/api/v1/officials"]["get"]
    assert {"ApiTokenAuth": []} in operation["security"]


def test_docs_page_uses_bundled_files_not_a_cdn(client, plain_static_files):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    assert "://" not in html


# The main resources an integrator syncs: every property shows an example value.
EXAMPLED = (
    "UnitOut",
    "UnitRef",
    "PostRef",
    "PlaceOut",
    "OfficialOut",
    "OfficialCreate",
    "OfficialPatch",
    "InspectionOut",
    "InspectionDetailOut",
    "ActionOut",
    "ReportHandlingOut",
    "PeriodOut",
    "EvaluationOut",
    "ClassificationOut",
    "NominationOut",
    "NominationIn",
    "MeasureOut",
)


def test_the_main_resources_have_an_example_on_every_property(client):
    document = client.get("/api/v1/openapi.json").json()
    validate(document)

    schemas = document["components"]["schemas"]
    missing = [
        f"{name}.{prop}"
        for name in EXAMPLED
        for prop, schema in schemas[name]["properties"].items()
        if not schema.get("examples")
    ]
    assert missing == []
