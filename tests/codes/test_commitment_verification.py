"""A paper signature is the unit's own report; the level above checks the scanned sheet and
records whether it holds, next to the record, never over it."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from civility.codes import figures
from civility.codes.actions import (
    record_paper_commitment,
    sign_commitment,
    start_campaign,
    verify_commitment,
)
from civility.codes.models import Commitment, CommitmentCampaign
from tests.factories import make_official, pdf_bytes


@pytest.fixture
def campaign(cast, codes) -> CommitmentCampaign:
    return start_campaign(
        actor=cast.city_coordinator,
        version=codes.officials.published_version(),
        unit=cast.city,
        deadline=timezone.localdate() + datetime.timedelta(days=10),
    )


def paper(cast, campaign, name: str) -> Commitment:
    official = make_official(name, unit=cast.a.department)
    return record_paper_commitment(
        actor=cast.a.head,
        campaign=campaign,
        official=official,
        scan=SimpleUploadedFile("phieu.pdf", pdf_bytes(), "application/pdf"),
        signed_on=timezone.localdate(),
    )


def test_the_verification_is_kept_next_to_the_paper_record(cast, campaign):
    commitment = paper(cast, campaign, "Trần Thị Giấy")
    verify_commitment(
        actor=cast.city_coordinator, commitment=commitment, confirmed=False, note="Không có chữ ký."
    )
    commitment.refresh_from_db()
    assert commitment.method == "paper" and commitment.scan
    assert commitment.scan_confirmed is False
    assert commitment.verified_by == cast.city_coordinator
    with pytest.raises(ValidationError):
        verify_commitment(actor=cast.admin, commitment=commitment, confirmed=True)


def test_the_recording_ward_cannot_verify_and_a_refusal_needs_a_note(cast, campaign):
    commitment = paper(cast, campaign, "Trần Thị Giấy")
    for actor in (cast.a.head, cast.a.coordinator, cast.b.coordinator):
        with pytest.raises(PermissionDenied):
            verify_commitment(actor=actor, commitment=commitment, confirmed=True)
    with pytest.raises(ValidationError) as error:
        verify_commitment(actor=cast.city_coordinator, commitment=commitment, confirmed=False)
    assert "note" in error.value.message_dict


def test_an_online_signature_is_not_verified(cast, campaign):
    commitment, _created = sign_commitment(actor=cast.a.official_user, campaign=campaign)
    with pytest.raises(PermissionDenied):
        verify_commitment(actor=cast.city_coordinator, commitment=commitment, confirmed=True)


def test_verification_form_on_the_campaign_page(client, cast, campaign):
    commitment = paper(cast, campaign, "Trần Thị Giấy")
    url = f"/codes/commitments/{commitment.pk}/verify/"
    client.force_login(cast.a.head)
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert url not in page and "Not verified yet" in page
    client.force_login(cast.city_coordinator)
    assert url in client.get(campaign.get_absolute_url()).content.decode()
    response = client.post(url, {"confirmed": "no", "note": ""}, follow=True)
    assert "Say what is wrong with the scanned sheet." in response.content.decode()
    client.post(url, {"confirmed": "yes", "note": ""})
    commitment.refresh_from_db()
    assert commitment.scan_confirmed is True


def test_another_wards_signature_is_not_found(client, cast, campaign):
    commitment = paper(cast, campaign, "Trần Thị Giấy")
    client.force_login(cast.b.head)
    response = client.post(f"/codes/commitments/{commitment.pk}/verify/", {"confirmed": "yes"})
    assert response.status_code == 404


def test_selector_counts_sheets_that_hold_per_unit_and_month(cast, campaign):
    held = paper(cast, campaign, "Trần Thị Giấy")
    failed = paper(cast, campaign, "Lê Văn Thiếu")
    paper(cast, campaign, "Phạm Văn Chờ")  # not verified: not counted
    verify_commitment(actor=cast.city_coordinator, commitment=held, confirmed=True)
    verify_commitment(actor=cast.city_coordinator, commitment=failed, confirmed=False, note="x")
    [row] = figures.commitment_gaps()
    assert row["unit_id"] == cast.a.department.pk
    assert row["month"] == timezone.localdate().replace(day=1)
    assert (row["n"], row["self_sum"], row["verified_sum"], row["abs_gap_sum"]) == (
        2,
        Decimal(200),
        Decimal(100),
        Decimal(100),
    )
