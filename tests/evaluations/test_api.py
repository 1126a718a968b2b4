"""The evaluations API: scoped reads, the steps through the same actions, rule refusals."""

from __future__ import annotations

import pytest

from civility.accounts.actions import create_api_token
from civility.evaluations.models import Evaluation
from civility.orgs.scopes import Role

pytestmark = pytest.mark.django_db


def _headers(actor, unit, role):
    _token, secret = create_api_token(actor=actor, name="test", unit=unit, role=role)
    return {"Authorization": f"Bearer {secret}"}


def test_open_a_period_rate_approve_and_read_figures(client, cast, people, walk):
    coordinator = _headers(cast.admin, cast.city, Role.COORDINATOR)
    response = client.post(
        "/api/v1/evaluations/periods",
        {"unit_id": cast.a.ward.pk, "month": "2025-03-17"},
        content_type="application/json",
        headers=coordinator,
    )
    assert response.status_code == 202, response.json()
    job = client.get(response["Location"], headers=coordinator).json()
    assert job["status"] == "done"  # a ward is opened within the request, by the same job
    period = client.get(
        f"/api/v1/evaluations/periods/{job['result']['period']}", headers=coordinator
    ).json()
    assert period["month"] == "2025-03-01" and period["evaluations"] == 2
    evaluation = Evaluation.objects.get(official=cast.a.official)
    evaluation.supervisor = None  # the head rates when no supervisor is set
    evaluation.save()
    walk(evaluation, to="review")

    head = _headers(cast.admin, cast.a.ward, Role.UNIT_HEAD)
    url = f"/api/v1/evaluations/evaluations/{evaluation.pk}"
    response = client.post(
        f"{url}/rate",
        {"points": {"general": 30, "tasks": 60, "bonus": 0}},
        content_type="application/json",
        headers=head,
    )
    assert response.status_code == 422
    assert response.json()["field"] == "points_general"
    assert "3814-QĐ/TU" in response.json()["message"]
    response = client.post(
        f"{url}/rate",
        {"points": {"general": 18, "tasks": 60, "bonus": 0}},
        content_type="application/json",
        headers=head,
    )
    assert response.status_code == 200 and response.json()["step"] == "approval"
    response = client.post(f"{url}/approve", {}, content_type="application/json", headers=head)
    assert response.status_code == 200 and response.json()["grade"] == "B"
    assert "conduct" in response.json()["facts"]

    response = client.get("/api/v1/evaluations/figures?month=2025-03-01", headers=coordinator)
    body = response.json()
    assert body["approved"] == 1
    assert {row["level"]: row["count"] for row in body["levels"]}["good"] == 1


def test_an_evaluation_outside_the_token_scope_is_404(client, cast, people, open_period):
    evaluation = open_period().evaluations.get(official=cast.a.official)
    other = _headers(cast.admin, cast.b.ward, Role.UNIT_HEAD)
    response = client.get(f"/api/v1/evaluations/evaluations/{evaluation.pk}", headers=other)
    assert response.status_code == 404


def test_periods_classifications_and_rotations_answer_one_page_each(client, cast, open_period):
    open_period(unit=cast.a.ward)
    open_period(unit=cast.b.ward)
    client.force_login(cast.admin)

    ward_a = client.get("/api/v1/evaluations/periods", {"unit": cast.a.ward.pk}).json()
    everything = client.get("/api/v1/evaluations/periods", {"limit": 1}).json()
    classifications = client.get("/api/v1/evaluations/classifications", {"year": 2025}).json()
    rotations = client.get("/api/v1/evaluations/rotation/due", {"unit": cast.city.pk}).json()

    assert [p["unit_id"] for p in ward_a["items"]] == [cast.a.ward.pk]
    assert ward_a["items"][0]["evaluations"] >= 1
    assert everything["count"] == 2 and len(everything["items"]) == 1 and everything["next"]
    for page in (classifications, rotations):
        assert set(page) == {"count", "limit", "offset", "next", "previous", "items"}
    bad = client.get("/api/v1/evaluations/classifications", {"year": 2025, "ordering": "pay"})
    assert bad.status_code == 400 and bad.json()["field"] == "ordering"


def test_figures_and_rotations_of_a_unit_the_caller_does_not_manage_are_404(client, cast):
    """The unit asked for must lie where the caller manages: another ward, or a unit the
    caller only reads (a viewer's token), answers 404 like any record out of scope."""
    head_b = _headers(cast.admin, cast.b.ward, Role.UNIT_HEAD)
    viewer = _headers(cast.admin, cast.city, Role.VIEWER)
    for headers, unit in ((head_b, cast.a.ward), (viewer, cast.city)):
        for path in ("figures?month=2025-03-01&", "rotation/due?"):
            response = client.get(f"/api/v1/evaluations/{path}unit={unit.pk}", headers=headers)
            assert response.status_code == 404, (path, response.content)
            assert response.json()["code"] == "not_found"
    response = client.get("/api/v1/evaluations/rotation/due", headers=viewer)
    assert response.status_code == 404  # no unit asked for, and none the viewer manages
    response = client.get(f"/api/v1/evaluations/rotation/due?unit={cast.b.ward.pk}", headers=head_b)
    assert response.status_code == 200
