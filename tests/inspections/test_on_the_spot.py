"""Inspection on the spot, over HTTP: a failed criterion offers a prefilled finding, section
scores come back with every batch of answers, and submitting asks first."""

from __future__ import annotations

from civility.conduct.models import RecordStatus, ViolationRecord
from civility.inspections.models import InspectionStatus
from tests.factories import make_official
from tests.inspections.conftest import answer_all_with_photos
from tests.inspections.test_answers import _item, _post


def test_a_failed_criterion_offers_a_finding_prefilled_with_its_text_and_code(
    client, inspection, inspector
):
    criterion = inspection.template_version.criteria().get(ref="A1")
    assert criterion.failing_values() == ["no"]
    client.force_login(inspector)
    assert _post(client, inspection, [_item(criterion, "no")]).status_code == 200
    html = client.get(f"/inspections/{inspection.pk}/run/").content.decode()
    offer = html.split(f'data-finding-for="{criterion.pk}"')[1].split("</form>")[0]
    assert not offer.lstrip().startswith("hidden") and "A1. " in offer and ": not met." in offer
    if criterion.provision_id:
        assert f"article {criterion.provision.number}" in offer
    response = client.post(
        f"/inspections/{inspection.pk}/findings/",
        {
            "back": "run",
            "criterion": criterion.pk,
            "kind": "shortcoming",
            "description": criterion.finding_text(),
        },
    )
    assert response.url == f"/inspections/{inspection.pk}/run/#criterion-{criterion.pk}"
    assert inspection.findings.get().criterion == criterion


def test_every_batch_of_answers_brings_back_the_section_scores(client, inspection, inspector):
    criterion = inspection.template_version.criteria().get(ref="A1")
    client.force_login(inspector)
    body = _post(client, inspection, [_item(criterion, "no")]).json()
    section = next(row for row in body["sections"] if row["id"] == criterion.section_id)
    # Shown in the reader's format, as the page itself writes a per cent (core.i18n).
    assert section["percent"] == "0.00" and section["display"] in ("0\u00a0%", "0%")
    others = [row for row in body["sections"] if row["id"] != criterion.section_id]
    assert all(row["percent"] is None and row["display"] == "—" for row in others)


def test_submitting_asks_for_confirmation_before_locking(client, inspection, inspector):
    answer_all_with_photos(inspection, inspector)
    client.force_login(inspector)
    page = client.get(f"/inspections/{inspection.pk}/submit/")
    assert page.status_code == 200 and 'id="confirm-submit"' in page.content.decode()
    inspection.refresh_from_db()
    assert inspection.status != InspectionStatus.SUBMITTED
    client.post(f"/inspections/{inspection.pk}/submit/")
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.SUBMITTED
    assert client.get(f"/inspections/{inspection.pk}/submit/").status_code == 302


def test_nothing_to_confirm_while_answers_are_missing(client, inspection, inspector):
    client.force_login(inspector)
    html = client.get(f"/inspections/{inspection.pk}/submit/").content.decode()
    assert 'id="missing-title"' in html and 'id="confirm-submit"' not in html


def test_a_finding_about_an_official_from_the_phone_opens_a_draft_record(
    client, inspection, inspector, counter_a
):
    official = make_official("Phạm Thị Hoa", unit=counter_a)
    client.force_login(inspector)
    html = client.get(f"/inspections/{inspection.pk}/run/").content.decode()
    assert 'id="finding-person"' in html and "Phạm Thị Hoa" in html
    response = client.post(
        f"/inspections/{inspection.pk}/findings/",
        {
            "back": "run",
            "kind": "violation",
            "official": official.pk,
            "description": "Không đeo thẻ công chức.",
        },
    )
    assert response.url == f"/inspections/{inspection.pk}/run/#finish"
    record = ViolationRecord.objects.get(finding__inspection=inspection)
    assert record.status == RecordStatus.DRAFT and record.official == official
