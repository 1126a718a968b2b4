"""Commitment campaigns: signing, paper signatures, completion figures, scope, re-commitment."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from civility.codes.actions import (
    create_draft_version,
    publish_version,
    sign_commitment,
    start_campaign,
    update_version,
)
from civility.codes.models import Commitment, CommitmentCampaign, SignatureMethod
from tests.factories import make_official, make_user, pdf_bytes


@pytest.fixture
def campaign(cast, codes) -> CommitmentCampaign:
    """A city-wide campaign; the cast has one official with an account in each ward, plus one
    without an account in ward a."""
    make_official("Trần Thị Giấy", unit=cast.a.department)
    return start_campaign(
        actor=cast.city_coordinator,
        version=codes.officials.published_version(),
        unit=cast.city,
        deadline=timezone.localdate() + datetime.timedelta(days=10),
    )


def test_coordinator_starts_a_campaign_from_the_page(client, cast, codes):
    client.force_login(cast.a.coordinator)
    deadline = timezone.localdate() + datetime.timedelta(days=20)
    response = client.post(
        "/codes/campaigns/new/",
        {
            "version": codes.officials.published_version().pk,
            "unit": cast.a.ward.pk,
            "deadline": deadline.isoformat(),
            "title": "",
        },
    )
    campaign = CommitmentCampaign.objects.get()
    assert response.url == f"/codes/campaigns/{campaign.pk}/"
    assert campaign.unit == cast.a.ward and campaign.deadline == deadline
    assert "Phường Tây Hồ" in campaign.title


def test_campaign_cannot_be_started_on_another_ward(client, cast, codes):
    client.force_login(cast.a.coordinator)
    response = client.post(
        "/codes/campaigns/new/",
        {
            "version": codes.officials.published_version().pk,
            "unit": cast.b.ward.pk,
            "deadline": (timezone.localdate() + datetime.timedelta(days=5)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert not CommitmentCampaign.objects.exists()


def test_official_sees_the_campaign_reads_the_code_and_signs(client, cast, campaign):
    client.force_login(cast.a.official_user)
    page = client.get("/codes/commitments/")
    assert f"/codes/campaigns/{campaign.pk}/sign/" in page.content.decode()
    sign_page = client.get(f"/codes/campaigns/{campaign.pk}/sign/")
    assert "Working time" in sign_page.content.decode()  # the code's text, in English here

    refused = client.post(f"/codes/campaigns/{campaign.pk}/sign/", {})
    assert refused.status_code == 200 and not Commitment.objects.exists()

    response = client.post(f"/codes/campaigns/{campaign.pk}/sign/", {"confirm": "on"})
    assert response.status_code == 302
    commitment = Commitment.objects.get()
    assert commitment.official == cast.a.official
    assert commitment.method == SignatureMethod.ONLINE
    assert commitment.recorded_by == cast.a.official_user
    assert abs((timezone.now() - commitment.signed_at).total_seconds()) < 60


def test_signing_twice_is_a_no_op(cast, campaign):
    first, created = sign_commitment(actor=cast.a.official_user, campaign=campaign)
    again, created_again = sign_commitment(actor=cast.a.official_user, campaign=campaign)
    assert created and not created_again
    assert again.pk == first.pk and again.signed_at == first.signed_at
    assert Commitment.objects.count() == 1


def test_signing_twice_through_the_page_keeps_the_first_signature(client, cast, campaign):
    client.force_login(cast.a.official_user)
    client.post(f"/codes/campaigns/{campaign.pk}/sign/", {"confirm": "on"})
    first = Commitment.objects.get()
    response = client.post(f"/codes/campaigns/{campaign.pk}/sign/", {"confirm": "on"}, follow=True)
    assert "already signed" in response.content.decode()
    assert Commitment.objects.get().signed_at == first.signed_at


def test_official_outside_the_campaign_gets_404(client, cast, codes):
    campaign = start_campaign(
        actor=cast.a.coordinator,
        version=codes.officials.published_version(),
        unit=cast.a.ward,
        deadline=timezone.localdate() + datetime.timedelta(days=3),
    )
    client.force_login(cast.b.official_user)
    assert (
        client.post(f"/codes/campaigns/{campaign.pk}/sign/", {"confirm": "on"}).status_code == 404
    )
    assert not Commitment.objects.exists()


def test_completion_figures_per_unit_and_for_the_whole_subtree(client, cast, campaign):
    sign_commitment(actor=cast.a.official_user, campaign=campaign)
    client.force_login(cast.city_coordinator)
    response = client.get(f"/codes/campaigns/{campaign.pk}/")
    whole, rows = response.context["whole"], response.context["rows"]
    assert (whole.total, whole.signed, whole.percent) == (3, 1, 33)
    by_unit = {row.unit.name: (row.total, row.signed, row.percent) for row in rows}
    assert by_unit == {"Phường Tây Hồ": (2, 1, 50), "Phường Long Biên": (1, 0, 0)}
    html = response.content.decode()
    assert "Hanoi: 33% of 3" in html

    drill = client.get(f"/codes/campaigns/{campaign.pk}/?unit={cast.a.ward.pk}")
    assert "Phường Tây Hồ: 50% of 2" in drill.content.decode()


def test_list_of_who_has_not_signed(client, cast, campaign):
    sign_commitment(actor=cast.a.official_user, campaign=campaign)
    client.force_login(cast.a.head)
    unsigned = [
        o.full_name for o in client.get(f"/codes/campaigns/{campaign.pk}/").context["unsigned"]
    ]
    assert unsigned == ["Trần Thị Giấy"]


def test_unit_head_sees_only_their_subtree_signatures(client, cast, campaign):
    sign_commitment(actor=cast.a.official_user, campaign=campaign)
    sign_commitment(actor=cast.b.official_user, campaign=campaign)
    client.force_login(cast.b.head)
    response = client.get(f"/codes/campaigns/{campaign.pk}/")
    assert response.context["focus"] == cast.b.ward
    assert [c.official for c in response.context["signed"]] == [cast.b.official]
    whole = response.context["whole"]
    assert (whole.total, whole.signed) == (1, 1)
    html = response.content.decode()
    assert "Nguyễn Văn B" in html and "Nguyễn Văn A" not in html and "Trần Thị Giấy" not in html


def test_head_of_other_ward_gets_404_for_a_unit_outside_their_scope(client, cast, campaign):
    client.force_login(cast.b.head)
    response = client.get(f"/codes/campaigns/{campaign.pk}/?unit={cast.a.ward.pk}")
    assert response.status_code == 404


def test_head_of_other_ward_gets_404_for_a_ward_campaign(client, cast, codes):
    campaign = start_campaign(
        actor=cast.a.coordinator,
        version=codes.officials.published_version(),
        unit=cast.a.ward,
        deadline=timezone.localdate() + datetime.timedelta(days=3),
    )
    client.force_login(cast.b.head)
    assert client.get(f"/codes/campaigns/{campaign.pk}/").status_code == 404


def test_unit_head_records_a_paper_signature_with_the_scan(client, cast, campaign):
    paper_official = cast.a.department.officials.get(full_name="Trần Thị Giấy")
    client.force_login(cast.a.head)
    response = client.post(
        f"/codes/campaigns/{campaign.pk}/paper/",
        {
            "official": paper_official.pk,
            "signed_on": timezone.localdate().isoformat(),
            "scan": SimpleUploadedFile("cam-ket.pdf", pdf_bytes(), "application/pdf"),
        },
    )
    assert response.status_code == 302
    commitment = Commitment.objects.get(official=paper_official)
    assert commitment.method == SignatureMethod.PAPER
    assert commitment.recorded_by == cast.a.head
    assert commitment.scan.name.endswith(".pdf")


def test_paper_signature_needs_the_scan(client, cast, campaign):
    paper_official = cast.a.department.officials.get(full_name="Trần Thị Giấy")
    client.force_login(cast.a.head)
    response = client.post(
        f"/codes/campaigns/{campaign.pk}/paper/",
        {"official": paper_official.pk, "signed_on": timezone.localdate().isoformat()},
    )
    assert "scan" in response.context["form"].errors
    assert not Commitment.objects.exists()


def test_head_cannot_record_paper_signatures_for_another_ward(client, cast, campaign):
    client.force_login(cast.b.head)
    response = client.post(
        f"/codes/campaigns/{campaign.pk}/paper/",
        {
            "official": cast.a.official.pk,
            "signed_on": timezone.localdate().isoformat(),
            "scan": SimpleUploadedFile("x.pdf", b"%PDF", "application/pdf"),
        },
    )
    assert "official" in response.context["form"].errors
    assert not Commitment.objects.exists()


def test_new_version_requiring_recommitment_starts_new_campaigns(cast, codes, campaign):
    sign_commitment(actor=cast.a.official_user, campaign=campaign)
    draft = create_draft_version(actor=cast.city_coordinator, code=codes.officials)
    update_version(actor=cast.city_coordinator, version=draft, requires_recommitment=True)
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    publish_version(actor=cast.city_coordinator, version=draft, recommitment_deadline=deadline)

    renewal = CommitmentCampaign.objects.get(version=draft)
    assert renewal.unit == cast.city and renewal.deadline == deadline
    assert not renewal.commitments.exists()  # the earlier signature does not carry over
    _, created = sign_commitment(actor=cast.a.official_user, campaign=renewal)
    assert created


def test_user_without_an_official_record_has_nothing_to_sign(client, cast, campaign):
    client.force_login(make_user("visitor"))
    assert "not linked to an official" in client.get("/codes/commitments/").content.decode()
