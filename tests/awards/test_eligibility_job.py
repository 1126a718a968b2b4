"""The eligibility lists of a subtree too large for a page are written by a background job
as a spreadsheet, with the same verdicts as the page."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from civility.awards.actions import nominations as nominations_actions
from civility.core import jobs
from civility.core.models import Job, JobStatus
from tests.awards.conftest import YEAR, title

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_large_subtree_gets_its_list_from_a_job_as_a_spreadsheet(
    client, cast, catalogue, classify, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(nominations_actions, "INLINE_ELIGIBILITY_OFFICIALS", 0)
    classify(cast.a.official, "good")
    worker = title("advanced-worker", YEAR)
    client.force_login(cast.city_coordinator)
    asked = {"title": worker.pk, "year": YEAR, "unit": cast.a.ward.pk}

    page = client.get("/awards/eligibility/", asked).content.decode()
    assert "Compute in the background" in page and cast.a.official.full_name not in page
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post("/awards/eligibility/job/", asked)
    job = Job.objects.get(kind="awards.eligibility")
    assert response["Location"] == job.get_absolute_url()

    jobs.run(job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    download = client.get(f"/jobs/{job.pk}/file/")
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    mine = next(row for row in rows if row[0] == cast.a.official.full_name)
    assert mine[2] == "Eligible"
    assert "Classified Well completed tasks for 2025" in mine[3]
    client.force_login(cast.b.head)
    assert client.get(f"/jobs/{job.pk}/file/").status_code == 404
