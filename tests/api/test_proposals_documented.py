"""The API's documentation tells a proposal from a decision (issue 19: proposals are labelled
as proposals wherever they appear): annual classifications carry their state, nominations
say which statuses are still proposals, and computed eligibility is not a decision."""

from __future__ import annotations


def test_the_openapi_document_labels_proposals_and_computed_verdicts(client, db):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]

    classification = schemas["ClassificationOut"]["properties"]
    assert "Civility's proposal" in classification["state"]["description"]
    assert "empty until confirmed" in classification["final_level"]["description"]
    nomination = schemas["NominationOut"]["properties"]
    assert "not an award" in nomination["status"]["description"]
    assert "not a decision" in nomination["verdict"]["description"]
    assert "not a decision" in schemas["AssessmentOut"]["properties"]["verdict"]["description"]
