"""Campaigns of earlier years entered afterwards: a past deadline, paper signatures with their
real dates inside the campaign's period, and the commitment figure of that year computed on
demand instead of "no data"."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from civility.codes.actions import record_paper_commitment, start_campaign
from civility.codes.models import Commitment, CommitmentCampaign
from civility.core import jobs
from civility.core.models import Job
from civility.insights.models import ComputedPeriod
from tests.factories import make_official, pdf_bytes

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 12, 5, 3, 0, tzinfo=datetime.UTC)


def scan() -> SimpleUploadedFile:
    return SimpleUploadedFile("phieu-cam-ket.pdf", pdf_bytes(), "application/pdf")


def historical_campaign(client, cast, codes, year: int) -> CommitmentCampaign:
    client.force_login(cast.city_coordinator)
    response = client.post(
        reverse("codes:campaign_create"),
        {
            "version": codes.officials.versions.get().pk,
            "unit": cast.a.ward.pk,
            "title": f"Ký cam kết thực hiện Bộ quy tắc ứng xử năm {year}",
            "historical": "on",
            "starts_on": f"{year}-03-01",
            "deadline": f"{year}-06-30",
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    return CommitmentCampaign.objects.get(starts_on__year=year)


def sign_on_paper(client, cast, campaign, official, day: str):
    client.force_login(cast.a.head)
    return client.post(
        reverse("codes:campaign_paper", args=[campaign.pk]),
        {"official": official.pk, "signed_on": day, "scan": scan()},
    )


@time_machine.travel(NOW, tick=False)
def test_a_2022_campaign_takes_paper_signatures_with_their_real_dates(client, cast, codes):
    campaign = historical_campaign(client, cast, codes, 2022)
    assert campaign.historical and campaign.deadline == datetime.date(2022, 6, 30)
    second = make_official("Phạm Thị Hoa", unit=cast.a.department)

    assert sign_on_paper(client, cast, campaign, cast.a.official, "2022-04-12").status_code == 302
    assert sign_on_paper(client, cast, campaign, second, "2022-06-30").status_code == 302

    signed = Commitment.objects.filter(campaign=campaign).order_by("signed_at")
    assert [c.signed_at.date() for c in signed] == [
        datetime.date(2022, 4, 12),
        datetime.date(2022, 6, 30),
    ]
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "historical" in page


@time_machine.travel(NOW, tick=False)
def test_a_2022_signature_in_a_campaign_started_in_2026_is_refused_naming_the_field(
    client, cast, codes
):
    client.force_login(cast.city_coordinator)
    campaign = start_campaign(
        actor=cast.city_coordinator,
        version=codes.officials.versions.get(),
        unit=cast.a.ward,
        deadline=datetime.date(2026, 12, 31),
    )
    response = sign_on_paper(client, cast, campaign, cast.a.official, "2022-04-12")

    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "Signed on 12/04/2022, outside the campaign&#x27;s period (05/12/2026 to 31/12/2026)"
        in page
    )
    assert 'id="id_signed_on_error"' in page
    assert not Commitment.objects.exists()
    with pytest.raises(ValidationError) as error:
        record_paper_commitment(
            actor=cast.a.head,
            campaign=campaign,
            official=cast.a.official,
            scan=scan(),
            signed_on=datetime.date(2022, 4, 12),
        )
    assert list(error.value.message_dict) == ["signed_on"]


@time_machine.travel(NOW, tick=False)
def test_only_a_historical_campaign_may_have_a_past_deadline(client, cast, codes):
    client.force_login(cast.city_coordinator)
    response = client.post(
        reverse("codes:campaign_create"),
        {
            "version": codes.officials.versions.get().pk,
            "unit": cast.a.ward.pk,
            "deadline": "2022-06-30",
        },
    )
    assert response.status_code == 200
    assert "The deadline cannot be in the past." in response.content.decode()
    with pytest.raises(ValidationError) as error:
        start_campaign(
            actor=cast.city_coordinator,
            version=codes.officials.versions.get(),
            unit=cast.a.ward,
            deadline=datetime.date(2022, 2, 1),
            historical=True,
            starts_on=datetime.date(2022, 3, 1),
        )
    assert "before the campaign opened" in error.value.message_dict["deadline"][0]


@time_machine.travel(NOW, tick=False)
def test_asking_for_2023_computes_the_figures_in_a_job_and_then_shows_them(
    client, cast, codes, django_capture_on_commit_callbacks
):
    campaign = historical_campaign(client, cast, codes, 2023)
    make_official("Phạm Thị Hoa", unit=cast.a.department)
    make_official("Đỗ Văn Nam", unit=cast.a.department)
    sign_on_paper(client, cast, campaign, cast.a.official, "2023-04-12")
    client.force_login(cast.city_coordinator)
    dashboard = f"/insights/?unit={cast.a.ward.pk}&period=2023"

    before = client.get(dashboard).content.decode()
    assert 'id="compute-period"' in before
    with django_capture_on_commit_callbacks(execute=False) as deferred:
        response = client.post(
            reverse("insights:compute_period"), {"unit": cast.a.ward.pk, "period": "2023"}
        )
    job = Job.objects.get(kind="insights.compute_period")
    assert len(deferred) == 1 and response["Location"] == job.get_absolute_url()
    progress = client.get(job.get_absolute_url(), headers={"HX-Request": "true"})
    assert 'hx-trigger="every 2s"' in progress.content.decode()

    jobs.run(job.pk)  # what the worker does

    job.refresh_from_db()
    assert job.status == "done" and job.result_url.endswith("period=2023")
    assert ComputedPeriod.objects.filter(period_kind="year", period_start="2023-01-01").exists()
    after = client.get(dashboard).content.decode()
    assert 'id="compute-period"' not in after and 'id="recompute-period"' in after
    commitment = after[after.index('data-component="commitment"') :][:1500]
    assert "1 of 3" in commitment


@time_machine.travel(NOW, tick=False)
def test_a_report_of_2022_computes_the_year_first_with_the_commitment_figure(client, cast, codes):
    from civility.insights import actions as insight_actions
    from civility.insights import figures
    from civility.insights.models import CultureIndex
    from civility.insights.periods import Period

    campaign = historical_campaign(client, cast, codes, 2022)
    make_official("Phạm Thị Hoa", unit=cast.a.department)
    assert sign_on_paper(client, cast, campaign, cast.a.official, "2022-05-02").status_code == 302
    report = insight_actions.request_report(
        actor=cast.city_coordinator, unit=cast.a.ward, period=Period.parse("2022"), language="en"
    )

    insight_actions.build_report(job=report)  # what the report's job runs

    report.refresh_from_db()
    assert report.status == "done" and report.docx
    assert ComputedPeriod.objects.filter(period_kind="year", period_start="2022-01-01").exists()
    period = Period.parse("2022")
    entry = CultureIndex.objects.for_period(period).get(unit=cast.a.ward)
    [line] = [
        line
        for line in figures.component_lines(entry, cast.a.ward, period)
        if line.key == "commitment"
    ]
    assert (line.numerator, line.denominator) == (1, 2)  # a sample too small to score
