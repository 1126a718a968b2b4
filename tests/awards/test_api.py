"""The awards API: eligibility with reasons, nominations through the same action, scope."""

from __future__ import annotations

import datetime
import json

import pytest

from civility.awards import actions
from civility.awards.actions import nominations as nominations_actions
from tests.awards.conftest import YEAR, title

pytestmark = pytest.mark.django_db


def test_eligibility_endpoint_gives_verdict_and_lines(client, cast, catalogue, classify):
    classify(cast.a.official, "good")
    client.force_login(cast.a.head)
    response = client.get(
        "/api/v1/awards/eligibility",
        {"title_id": title("advanced-worker").pk, "year": YEAR, "unit_id": cast.a.ward.pk},
    )
    assert response.status_code == 200
    items = {item["name"]: item for item in response.json()["items"]}
    assert items["Nguyễn Văn A"]["verdict"] == "eligible"
    assert items["Nguyễn Văn A"]["lines"][0]["condition"] == "classification"


def test_eligibility_outside_scope_is_404(client, cast, catalogue):
    client.force_login(cast.b.head)
    response = client.get(
        "/api/v1/awards/eligibility",
        {"title_id": title("advanced-worker").pk, "year": YEAR, "unit_id": cast.a.ward.pk},
    )
    assert response.status_code == 404


def test_nomination_via_api_names_the_field_on_refusal(client, cast, catalogue, classify):
    classify(cast.a.official, "completed")
    client.force_login(cast.a.head)
    payload = {
        "title_id": title("advanced-worker").pk,
        "year": YEAR,
        "official_id": cast.a.official.pk,
        "justification": "x",
    }
    response = client.post("/api/v1/awards/nominations", payload, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["field"] == "official"
    classify(cast.a.official, "good")
    response = client.post("/api/v1/awards/nominations", payload, content_type="application/json")
    assert response.status_code == 201 and response.json()["verdict"] == "eligible"
    listed = client.get("/api/v1/awards/nominations").json()
    assert listed["count"] == 1


def test_decision_endpoint_says_how_bonuses_were_computed(client, cast, recommended, board_a):
    decision = actions.record_decision(
        actor=board_a,
        unit=cast.a.ward,
        number="40/QĐ-UBND",
        decided_on=datetime.date(2025, 3, 10),
        issuer="Chủ tịch UBND phường",
        nominations=[recommended()],
    )
    client.force_login(board_a)
    body = client.get(f"/api/v1/awards/decisions/{decision.pk}").json()
    assert body["base_salary"] == "2340000" and body["base_salary_to_be_confirmed"] is False
    assert "Nghị định 98/2023/NĐ-CP, Điều 53 khoản 1–2" in body["bonus_rule"]
    assert body["awards"][0]["bonus"] == "710000"


def test_eligibility_job_answers_202_and_writes_the_same_verdicts_as_json(
    client, cast, catalogue, classify, django_capture_on_commit_callbacks
):
    from civility.core import jobs
    from civility.core.models import Job

    classify(cast.a.official, "good")
    client.force_login(cast.a.head)
    asked = {"title_id": title("advanced-worker").pk, "year": YEAR, "unit_id": cast.a.ward.pk}
    inline = client.get("/api/v1/awards/eligibility", asked).json()["items"]

    with django_capture_on_commit_callbacks(execute=False):
        response = client.post("/api/v1/awards/eligibility", asked, content_type="application/json")
    assert response.status_code == 202, response.json()
    job = Job.objects.get(kind="awards.eligibility")
    assert response["Location"] == response.json()["url"] == f"/api/v1/jobs/{job.pk}"
    assert response.json()["status"] == "queued"
    jobs.run(job.pk)

    done = client.get(response["Location"]).json()
    assert done["status"] == "done" and done["result"] == {"rows": {"advanced-worker": len(inline)}}
    download = client.get(done["file_url"])
    assert download.status_code == 200
    written = json.loads(b"".join(download.streaming_content))
    assert written["titles"][0]["items"] == inline
    client.force_login(cast.b.head)
    assert client.get(response["Location"]).status_code == 404
    assert client.get(done["file_url"]).status_code == 404


def test_a_subtree_too_large_for_a_request_is_sent_to_the_job(client, cast, catalogue, monkeypatch):
    monkeypatch.setattr(nominations_actions, "INLINE_ELIGIBILITY_OFFICIALS", 0)
    client.force_login(cast.a.head)
    asked = {"title_id": title("advanced-worker").pk, "year": YEAR, "unit_id": cast.a.ward.pk}

    response = client.get("/api/v1/awards/eligibility", asked)

    assert response.status_code == 422 and response.json()["field"] == "unit"
    assert "POST /api/v1/awards/eligibility" in response.json()["message"]


def test_an_eligibility_job_outside_scope_is_404_and_starts_nothing(client, cast, catalogue):
    from civility.core.models import Job

    client.force_login(cast.b.head)
    response = client.post(
        "/api/v1/awards/eligibility",
        {"title_id": None, "year": YEAR, "unit_id": cast.a.ward.pk},
        content_type="application/json",
    )
    assert response.status_code == 404 and not Job.objects.exists()


def test_titles_answer_one_page_filtered_to_the_catalogues_that_apply_to_a_unit(
    client, cast, catalogue
):
    client.force_login(cast.a.head)
    first = client.get("/api/v1/awards/titles", {"limit": 2, "unit": cast.a.ward.pk}).json()
    by_key = client.get("/api/v1/awards/titles", {"ordering": "-key", "limit": 500}).json()

    assert first["count"] == by_key["count"] > 2 and len(first["items"]) == 2
    assert "offset=2" in first["next"]
    keys = [item["key"] for item in by_key["items"]]
    assert keys == sorted(keys, reverse=True)
    assert client.get("/api/v1/awards/titles", {"ordering": "salary"}).status_code == 400


def test_eligibility_takes_unit_with_unit_id_as_its_deprecated_alias(
    client, cast, catalogue, classify
):
    classify(cast.a.official, "good")
    client.force_login(cast.a.head)
    asked = {"title_id": title("advanced-worker").pk, "year": YEAR}

    new = client.get("/api/v1/awards/eligibility", {**asked, "unit": cast.a.ward.pk})
    old = client.get("/api/v1/awards/eligibility", {**asked, "unit_id": cast.a.ward.pk})
    both = client.get(
        "/api/v1/awards/eligibility", {**asked, "unit": cast.a.ward.pk, "unit_id": cast.city.pk}
    )
    missing = client.get("/api/v1/awards/eligibility", asked)

    assert new.status_code == 200 and new.json() == old.json()
    assert both.status_code == 400 and both.json()["field"] == "unit"
    assert missing.status_code == 422 and missing.json()["field"] == "unit"
