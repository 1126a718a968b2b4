"""Revisits: a new inspection of a unit or place starts from the previous one's findings and
the corrective actions still open, which the inspector verifies on the spot."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from civility.core.models import AuditEvent
from civility.inspections import actions
from civility.inspections.models import ActionStatus, ActionStep, CorrectiveAction, InspectionKind
from tests.inspections.conftest import TODAY, answer_all_with_photos, photo_bytes


@pytest.fixture
def first_visit(cast, inspection, inspector, time_machine):
    """The counter was inspected on TODAY, with one finding turned into an action."""
    time_machine.move_to(datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC))
    answer_all_with_photos(inspection, inspector)
    finding = actions.record_finding(
        actor=inspector,
        inspection=inspection,
        criterion=inspection.template_version.criteria().get(ref="A6"),
        description="Chuông hỗ trợ không hoạt động.",
        recommendation="Sửa chuông hỗ trợ.",
        deadline=TODAY + datetime.timedelta(days=10),
    )
    actions.submit_inspection(actor=inspector, inspection=inspection)
    return finding.actions.get()


@pytest.fixture
def revisit(cast, templates, inspector, counter_a, first_visit, time_machine):
    time_machine.move_to(datetime.datetime(2026, 4, 6, 8, 0, tzinfo=datetime.UTC))
    return actions.start_inspection_on_the_spot(
        actor=inspector,
        inspecting_unit=cast.city,
        template=templates.counter,
        unit=counter_a,
        kind=InspectionKind.SURPRISE,
    )


def test_the_revisit_shows_the_previous_findings_and_the_open_actions(
    client, inspector, inspection, first_visit, revisit
):
    context = actions.revisit_of(revisit, user=inspector)
    assert context.previous == inspection
    assert context.open_actions == [first_visit]
    client.force_login(inspector)
    page = client.get(f"/inspections/{revisit.pk}/").content.decode()
    assert 'id="revisit"' in page
    assert "Chuông hỗ trợ không hoạt động." in page  # the previous finding
    assert f'id="open-action-{first_visit.pk}"' in page and "Check on the spot" in page
    run = client.get(f"/inspections/{revisit.pk}/run/").content.decode()
    assert "Revisit: 1 corrective action still open to check on the spot." in run


def test_a_unit_with_no_previous_inspection_shows_nothing(client, inspector, inspection):
    context = actions.revisit_of(inspection, user=inspector)
    assert context.previous is None and context.open_actions == []
    assert context.missed_calls is None
    client.force_login(inspector)
    assert 'id="revisit"' not in client.get(f"/inspections/{inspection.pk}/").content.decode()


def test_another_unit_does_not_see_this_units_history(
    cast, templates, inspector, first_visit, revisit
):
    other = actions.start_inspection_on_the_spot(
        actor=inspector,
        inspecting_unit=cast.city,
        template=templates.office,
        unit=cast.b.ward,
        kind=InspectionKind.SURPRISE,
    )
    assert actions.revisit_of(other, user=inspector).is_empty()


def test_verified_on_the_spot_closes_the_action_through_its_workflow(
    client, inspector, first_visit, revisit
):
    client.force_login(inspector)
    response = client.post(
        f"/inspections/{revisit.pk}/revisit/{first_visit.pk}/",
        {
            "decision": "closed",
            "note": "Chuông đã hoạt động.",
            "photo": SimpleUploadedFile("c.jpg", photo_bytes(), content_type="image/jpeg"),
        },
    )
    assert response.status_code == 302
    first_visit.refresh_from_db()
    assert first_visit.status == ActionStatus.CLOSED and first_visit.closed_at
    assert first_visit.verified_by == inspector
    step = first_visit.steps.last()
    assert step.kind == ActionStep.Kind.CLOSED and step.inspection == revisit
    assert step.photo.name.endswith(".jpg")
    # The change is audited like any verification.
    assert AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(CorrectiveAction),
        object_pk=str(first_visit.pk),
        actor=inspector,
    ).exists()
    # Closed, it no longer shows as open on the revisit.
    assert actions.revisit_of(revisit, user=inspector).open_actions == []


def test_still_open_needs_a_note_and_is_recorded_in_the_history(
    cast, inspector, first_visit, revisit
):
    with pytest.raises(ValidationError) as error:
        actions.check_action_on_revisit(
            actor=inspector, inspection=revisit, action=first_visit, closed=False
        )
    assert "note" in error.value.message_dict
    actions.check_action_on_revisit(
        actor=inspector,
        inspection=revisit,
        action=first_visit,
        closed=False,
        note="Chuông vẫn hỏng.",
    )
    first_visit.refresh_from_db()
    assert first_visit.status == ActionStatus.OPEN
    assert first_visit.steps.last().kind == ActionStep.Kind.CHECKED_OPEN


def test_a_responded_action_found_not_done_is_sent_back(cast, inspector, first_visit, revisit):
    actions.respond_to_action(actor=cast.a.head, action=first_visit, response="Đã sửa.")
    actions.check_action_on_revisit(
        actor=inspector, inspection=revisit, action=first_visit, closed=False, note="Chưa sửa."
    )
    first_visit.refresh_from_db()
    assert first_visit.status == ActionStatus.OPEN
    assert first_visit.steps.last().kind == ActionStep.Kind.SENT_BACK


def test_only_actions_of_the_same_target_can_be_checked(
    cast, templates, inspector, first_visit, revisit
):
    other = actions.start_inspection_on_the_spot(
        actor=inspector,
        inspecting_unit=cast.city,
        template=templates.office,
        unit=cast.b.ward,
        kind=InspectionKind.SURPRISE,
    )
    with pytest.raises(ValidationError):
        actions.check_action_on_revisit(
            actor=inspector, inspection=other, action=first_visit, closed=True
        )


def test_the_inspected_unit_cannot_check_its_own_action(client, cast, first_visit, revisit):
    client.force_login(cast.a.head)
    client.post(f"/inspections/{revisit.pk}/revisit/{first_visit.pk}/", {"decision": "closed"})
    first_visit.refresh_from_db()
    assert first_visit.status == ActionStatus.OPEN


def test_a_peer_unit_gets_404(client, cast, first_visit, revisit):
    client.force_login(cast.b.coordinator)
    response = client.post(
        f"/inspections/{revisit.pk}/revisit/{first_visit.pk}/", {"decision": "closed"}
    )
    assert response.status_code == 404


def test_the_revisit_of_a_counter_lists_calls_missed_or_slow_since_the_last_visit(
    client, inspector, counter_a, first_visit, revisit
):
    from civility.feedback.models import AssistanceCall, CallSource

    def call(raised, answered_after=None):
        raised_at = datetime.datetime(2026, 3, raised, 2, 0, tzinfo=datetime.UTC)
        return AssistanceCall.objects.create(
            counter=counter_a,
            source=CallSource.KIOSK,
            raised_at=raised_at,
            acknowledged_at=raised_at + datetime.timedelta(seconds=answered_after)
            if answered_after is not None
            else None,
        )

    before = call(1)  # missed, but before the previous inspection
    missed = call(10)
    slow = call(12, answered_after=600)
    call(14, answered_after=20)  # answered in time
    calls = actions.revisit_of(revisit, user=inspector).missed_calls
    assert calls == [missed, slow] and before not in calls
    client.force_login(inspector)
    page = client.get(f"/inspections/{revisit.pk}/").content.decode()
    assert 'id="missed-calls"' in page and "not answered" in page and "600 s" in page


def test_the_api_gives_the_revisit_context_and_takes_the_check(
    client, cast, inspector, inspection, first_visit, revisit
):
    client.force_login(inspector)
    body = client.get(f"/api/v1/inspections/{revisit.pk}/revisit").json()
    assert body["previous"]["id"] == inspection.pk
    assert [f["description"] for f in body["previous_findings"]] == [
        "Chuông hỗ trợ không hoạt động."
    ]
    assert [a["id"] for a in body["open_actions"]] == [first_visit.pk]
    response = client.post(
        f"/api/v1/inspections/{revisit.pk}/revisit/{first_visit.pk}", {"closed": "false"}
    )
    assert response.status_code == 422 and "note" in response.content.decode()
    response = client.post(
        f"/api/v1/inspections/{revisit.pk}/revisit/{first_visit.pk}", {"closed": "true"}
    )
    assert response.status_code == 200 and response.json()["status"] == "closed"
    client.force_login(cast.b.coordinator)
    assert client.get(f"/api/v1/inspections/{revisit.pk}/revisit").status_code == 404
