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


def _refers(schema: dict) -> bool:
    """A property that is another schema (or a list of them): the example is that schema's."""
    kinds = [kind for kind in schema.get("anyOf", [schema]) if kind.get("type") != "null"]
    return any("$ref" in kind or "$ref" in kind.get("items", {}) for kind in kinds)


def test_every_property_of_every_schema_has_an_example(client):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]

    missing = [
        f"{name}.{prop}"
        for name, schema in schemas.items()
        for prop, value in schema.get("properties", {}).items()
        if "examples" not in value and "example" not in value and not _refers(value)
    ]
    assert missing == []


def test_every_operation_is_described_and_every_parameter_has_an_example(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    undescribed, no_example = [], []
    for path, operations in paths.items():
        for method, operation in operations.items():
            if not operation.get("description") and not operation.get("summary"):
                undescribed.append(f"{method.upper()} {path}")
            no_example += [
                f"{method.upper()} {path} {parameter['name']}"
                for parameter in operation.get("parameters", [])
                if "example" not in parameter and "example" not in parameter.get("schema", {})
            ]
    assert undescribed == []
    assert no_example == []


def test_a_created_record_links_to_where_it_is_read(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    created = paths["/api/v1/officials"]["post"]["responses"]["201"]["links"]["ReadCreated"]
    listed = paths["/api/v1/officials"]["get"]["responses"]["200"]["links"]["ReadFirstItem"]
    job = paths["/api/v1/evaluations/periods"]["post"]["responses"]["202"]["links"]["FollowJob"]

    detail = paths["/api/v1/officials/{official_id}"]["get"]["operationId"]
    assert created == {"operationId": detail, "parameters": {"official_id": "$response.body#/id"}}
    assert listed["parameters"] == {"official_id": "$response.body#/items/0/id"}
    assert job["parameters"] == {"job_id": "$response.body#/id"}


def test_a_unit_needed_under_either_name_is_documented_as_required(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    parameters = {p["name"]: p for p in paths["/api/v1/feedback/figures"]["get"]["parameters"]}
    assert parameters["unit"]["required"] is True
    assert parameters["unit_id"].get("required", False) is False
    assert not any(key.startswith("x-") for key in parameters["unit"]["schema"])
    ordering = paths["/api/v1/officials"]["get"]["parameters"]
    [ordering] = [p for p in ordering if p["name"] == "ordering"]
    assert "-full_name" in ordering["schema"]["enum"]
