"""A background job's page in a real Chromium: it polls itself (htmx, no inline script) while
the worker runs the job, then shows the outcome; a failed job shows why."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from playwright.sync_api import Page, expect

from civility.core import jobs
from civility.orgs.models import Official
from tests.browser.test_journeys import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def import_job(user, unit, rows: list[str]):
    content = ("staff_code,full_name,staff_category\n" + "\n".join(rows) + "\n").encode()
    stored = default_storage.save("jobs/uploads/test.csv", ContentFile(content))
    return jobs.enqueue(
        actor=user,
        kind="orgs.import_officials",
        title="Import officials: test.csv",
        unit=unit,
        params={"file": stored, "file_name": "test.csv"},
    )


def test_a_jobs_page_follows_its_progress_and_shows_the_result_when_done(
    page: Page, live_server, transactional_db, cast, media, screenshot
):
    job = import_job(
        cast.a.coordinator, cast.a.ward, [f"NV{n},Trần Thị {n},công chức" for n in range(300)]
    )
    sign_in(page, live_server.url, cast.a.coordinator)
    page.goto(f"{live_server.url}{job.get_absolute_url()}")
    box = page.locator(f"#job-{job.pk}")
    expect(box).to_have_attribute("hx-trigger", "every 2s")
    expect(box).to_contain_text("Waiting for a worker")

    jobs.run(job.pk)  # the worker, while the page is open

    expect(box).to_contain_text("Import done.", timeout=10_000)
    expect(box).to_contain_text("300 created")
    expect(box).not_to_have_attribute("hx-trigger", "every 2s")
    assert Official.objects.filter(unit=cast.a.ward, staff_code__startswith="NV").count() == 300
    page.goto(f"{live_server.url}/jobs/")
    expect(page.locator("main")).to_contain_text("Import officials: test.csv")
    screenshot(page, "job-done")


def test_a_failed_jobs_page_shows_its_error_and_the_rows_to_correct(
    page: Page, live_server, transactional_db, cast, media
):
    job = import_job(cast.a.coordinator, cast.a.ward, ["NV1,Trần Thị Hoa,công chức", "NV2,,x"])
    sign_in(page, live_server.url, cast.a.coordinator)
    page.goto(f"{live_server.url}{job.get_absolute_url()}")

    jobs.run(job.pk)

    box = page.locator(f"#job-{job.pk}")
    expect(box.locator("[role=alert]")).to_have_text(
        "The file has 2 problems; nothing was imported.", timeout=10_000
    )
    expect(box.locator("tbody tr").first).to_contain_text("3")
    assert not Official.objects.filter(staff_code="NV1").exists()
