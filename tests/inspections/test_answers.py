"""Offline-safe answers: each answer carries the phone's id and is stored exactly once."""

from __future__ import annotations

import datetime
import json
import uuid

from django.utils import timezone

from civility.inspections.models import Answer, InspectionStatus
from tests.inspections.conftest import answer_all_with_photos

API = "/api/v1/inspections/{pk}/answers"


def _post(client, inspection, answers):
    return client.post(
        API.format(pk=inspection.pk),
        json.dumps({"answers": answers}),
        content_type="application/json",
    )


def _item(criterion, value="yes", *, client_id=None, at=None, **extra):
    return {
        "client_id": str(client_id or uuid.uuid4()),
        "criterion_id": criterion.pk,
        "value": value,
        "answered_at": (at or timezone.now()).isoformat(),
        **extra,
    }


def test_the_same_answer_sent_twice_is_stored_once(client, inspection, inspector):
    client.force_login(inspector)
    a1 = inspection.template_version.criteria().get(ref="A1")
    item = _item(a1, "yes", note="Bảng ở sảnh")
    first = _post(client, inspection, [item])
    second = _post(client, inspection, [item])  # the phone resends after a lost reply
    assert first.status_code == second.status_code == 200
    assert [r["status"] for r in first.json()["results"]] == ["saved"]
    assert [r["status"] for r in second.json()["results"]] == ["saved"]
    assert Answer.objects.filter(inspection=inspection).count() == 1
    stored = Answer.objects.get(inspection=inspection)
    assert (stored.value, stored.note, str(stored.client_id)) == (
        "yes",
        "Bảng ở sảnh",
        item["client_id"],
    )
    assert second.json()["answered"] == 1


def test_a_changed_answer_replaces_the_earlier_one_for_the_criterion(client, inspection, inspector):
    client.force_login(inspector)
    b3 = inspection.template_version.criteria().get(ref="B3")
    early = timezone.now() - datetime.timedelta(minutes=5)
    _post(client, inspection, [_item(b3, "1", at=early)])
    _post(client, inspection, [_item(b3, "3")])
    assert list(Answer.objects.filter(inspection=inspection).values_list("value", flat=True)) == [
        "3"
    ]


def test_an_older_answer_arriving_late_does_not_overwrite_a_newer_one(
    client, inspection, inspector
):
    client.force_login(inspector)
    b3 = inspection.template_version.criteria().get(ref="B3")
    now = timezone.now()
    _post(client, inspection, [_item(b3, "3", at=now)])
    late = _post(client, inspection, [_item(b3, "0", at=now - datetime.timedelta(minutes=10))])
    assert late.json()["results"][0]["status"] == "stale"
    assert Answer.objects.get(inspection=inspection).value == "3"


def test_a_bad_answer_is_rejected_on_its_own_and_the_others_are_kept(client, inspection, inspector):
    client.force_login(inspector)
    criteria = {c.ref: c for c in inspection.template_version.criteria()}
    response = _post(
        client,
        inspection,
        [_item(criteria["A1"], "yes"), _item(criteria["A4"], "9"), _item(criteria["A8"], "12")],
    )
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["saved", "rejected", "saved"]
    assert "A4" in results[1]["message"]
    assert Answer.objects.filter(inspection=inspection).count() == 2


def test_malformed_input_names_the_field(client, inspection, inspector):
    client.force_login(inspector)
    response = _post(client, inspection, [{"client_id": "not-a-uuid", "criterion_id": 1}])
    assert response.status_code == 422
    assert response.json()["field"] == "answers.0.client_id"


def test_the_first_answer_starts_a_planned_inspection(client, cast, templates, inspector):
    from civility.inspections import actions

    plan = actions.create_plan(actor=cast.city_coordinator, unit=cast.city, year=2026, title="KH")
    [planned] = actions.add_plan_inspections(
        actor=cast.city_coordinator,
        plan=plan,
        template=templates.office,
        planned_on=datetime.date(2026, 5, 4),
        units=[cast.a.department],
    )
    assert planned.status == InspectionStatus.PLANNED
    client.force_login(inspector)
    a1 = planned.template_version.criteria().get(ref="A1")
    _post(client, planned, [_item(a1, "2")])
    planned.refresh_from_db()
    assert planned.status == InspectionStatus.IN_PROGRESS and planned.started_at


def test_after_submission_resends_are_harmless_and_new_answers_are_refused(
    client, inspection, inspector
):
    client.force_login(inspector)
    a1 = inspection.template_version.criteria().get(ref="A1")
    item = _item(a1, "yes")
    _post(client, inspection, [item])
    answer_all_with_photos(inspection, inspector)
    from civility.inspections import actions

    actions.submit_inspection(actor=inspector, inspection=inspection)
    stored_client_id = str(Answer.objects.get(inspection=inspection, criterion=a1).client_id)
    resend = _post(client, inspection, [{**item, "client_id": stored_client_id}])
    assert resend.json()["results"][0]["status"] == "saved"
    late = _post(client, inspection, [_item(a1, "no")])
    assert late.json()["results"][0]["status"] == "rejected"
    assert "locked" in late.json()["results"][0]["message"]
    assert Answer.objects.get(inspection=inspection, criterion=a1).value == "yes"


def test_people_outside_the_delegation_cannot_answer(client, cast, inspection):
    a1 = inspection.template_version.criteria().get(ref="A1")
    client.force_login(cast.a.head)  # sees the inspection of their counter, may not answer
    assert _post(client, inspection, [_item(a1)]).status_code == 403
    client.force_login(cast.b.head)  # does not see it at all
    assert _post(client, inspection, [_item(a1)]).status_code == 404
    assert not Answer.objects.exists()


def test_answer_form_without_javascript_saves_the_answer(client, inspection, inspector):
    client.force_login(inspector)
    a4 = inspection.template_version.criteria().get(ref="A4")
    response = client.post(
        f"/inspections/{inspection.pk}/answers/{a4.pk}/", {"value": "2", "note": "Hơi tối"}
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#criterion-{a4.pk}")
    assert Answer.objects.get(inspection=inspection, criterion=a4).value == "2"


def test_the_phone_page_shows_one_form_per_criterion_with_saved_answers(
    client, inspection, inspector
):
    client.force_login(inspector)
    a1 = inspection.template_version.criteria().get(ref="A1")
    _post(client, inspection, [_item(a1, "no")])
    page = client.get(f"/inspections/{inspection.pk}/run/").content.decode()
    assert page.count('class="run-answer"') == inspection.template_version.criteria().count()
    assert 'value="no" checked' in page
    assert 'capture="environment"' in page and "image/heic" in page
