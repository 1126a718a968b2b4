"""Threat: a read-only API token writes through a permission that follows its owner (issue
20, item 9: a viewer token of a delegation member saved inspection answers).

Every write operation is taken from the API's own OpenAPI document, so an endpoint added
later is covered without editing this file.
"""

from __future__ import annotations

import json
import re
import uuid

import pytest
from django.utils import timezone

from civility.accounts.actions import create_api_token
from civility.api import api
from civility.codes.actions import load_code_seed
from civility.inspections import actions as inspections
from civility.inspections.models import Answer, Inspection, InspectionKind
from civility.orgs.models import UnitKind
from civility.orgs.scopes import Role
from tests.factories import make_unit, make_user

WRITE_METHODS = ("post", "put", "patch", "delete")


def _write_operations() -> list[tuple[str, str, list[str]]]:
    schema = api.get_openapi_schema()
    return [
        (method, path, [name for item in operation["security"] for name in item])
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if method in WRITE_METHODS
    ]


WRITES = _write_operations()


@pytest.fixture
def inspection(cast) -> Inspection:
    """A surprise inspection of a ward A counter by the city's inspector."""
    load_code_seed(actor=None, unit=cast.city, slug="hanoi-522")
    template = inspections.load_template_seed(actor=None, unit=cast.city, slug="one-stop-counter")
    return inspections.start_inspection_on_the_spot(
        actor=make_user("inspector_city", roles={Role.INSPECTOR: cast.city}),
        inspecting_unit=cast.city,
        template=template,
        unit=make_unit("Quầy số 1", parent=cast.a.ward, kind=UnitKind.COUNTER),
        kind=InspectionKind.SURPRISE,
    )


def _bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _token(owner, unit, role: str) -> str:
    _api_token, secret = create_api_token(actor=owner, name="probe", unit=unit, role=role)
    return secret


def test_the_api_has_write_operations_to_probe():
    assert len(WRITES) >= 15
    assert all(security for _method, _path, security in WRITES)


@pytest.mark.parametrize(("method", "path", "security"), WRITES, ids=lambda v: str(v))
def test_every_write_with_a_viewer_token_is_forbidden(client, cast, method, path, security):
    secret = _token(cast.admin, cast.city, Role.VIEWER)
    url = re.sub(r"\{\w+\}", "1", path)
    send = getattr(client, method)
    response = send(url, "{}", content_type="application/json", **_bearer(secret))
    if "ApiTokenAuth" in security:
        assert response.status_code == 403, response.content
        assert response.json()["message"] == "This API token's role (Viewer) may only read."
    else:  # kiosk endpoints take a device key, never an API token
        assert response.status_code == 401, response.content


def test_a_viewer_token_of_a_delegation_member_cannot_answer(client, cast, inspection):
    member = make_user("sysadmin_member", roles={Role.SYSTEM_ADMIN: cast.city})
    inspection.team.add(member)
    criterion = inspection.template_version.criteria().get(ref="A1")
    body = json.dumps(
        {
            "answers": [
                {
                    "client_id": str(uuid.uuid4()),
                    "criterion_id": criterion.pk,
                    "value": "yes",
                    "answered_at": timezone.now().isoformat(),
                }
            ]
        }
    )
    url = f"/api/v1/inspections/{inspection.pk}/answers"

    viewer = _token(member, cast.city, Role.VIEWER)
    refused = client.post(url, body, content_type="application/json", **_bearer(viewer))
    assert refused.status_code == 403
    assert not Answer.objects.filter(inspection=inspection).exists()

    inspector_token = _token(member, cast.city, Role.INSPECTOR)
    saved = client.post(url, body, content_type="application/json", **_bearer(inspector_token))
    assert saved.status_code == 200
    assert Answer.objects.filter(inspection=inspection).count() == 1


def test_a_viewer_token_still_reads(client, cast, inspection):
    secret = _token(cast.admin, cast.city, Role.VIEWER)
    response = client.get(f"/api/v1/inspections/{inspection.pk}", **_bearer(secret))
    assert response.status_code == 200
