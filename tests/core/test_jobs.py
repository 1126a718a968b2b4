"""Background jobs (civility.core.jobs): a long piece of work is asked for in a request, run
by a worker (`jobs.run`, what the procrastinate task calls), and followed on a page that
polls itself. Tested on the officials import, the first work moved onto them."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from civility.core import jobs
from civility.core.models import AuditEvent, Job, JobStatus
from civility.orgs.models import Official

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def officials_file(rows: int, *, bad_row: int | None = None) -> SimpleUploadedFile:
    """A .csv large enough to be imported in the background (over 256 KB)."""
    lines = ["staff_code,full_name,staff_category,email,phone"]
    for n in range(rows):
        category = "not a category" if n == bad_row else "công chức"
        lines.append(f"NV{n:05d},Nguyễn Văn Tên Dài Để Tệp Lớn {n},{category},cb{n}@x.vn,0912 {n}")
    content = ("\n".join(lines) + "\n").encode()
    assert len(content) > 256 * 1024
    return SimpleUploadedFile("officials.csv", content)


def ask_import(client, unit, upload, django_capture_on_commit_callbacks) -> Job:
    url = reverse("imports:officials_import", args=[unit.pk])
    with django_capture_on_commit_callbacks(execute=False) as deferred:
        response = client.post(url, {"file": upload})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert len(deferred) == 1  # the worker is asked once the request commits
    return job


def test_a_large_import_runs_in_the_background_and_its_page_polls_until_done(
    client, cast, django_capture_on_commit_callbacks
):
    client.force_login(cast.a.coordinator)
    job = ask_import(client, cast.a.ward, officials_file(4000), django_capture_on_commit_callbacks)
    assert job.status == JobStatus.QUEUED and not Official.objects.filter(staff_code="NV00001")

    waiting = client.get(job.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 2s"' in waiting and "<html" not in waiting

    jobs.run(job.pk)  # what the worker does

    job.refresh_from_db()
    assert (job.status, job.result["created"]) == (JobStatus.DONE, 4000)
    assert Official.objects.filter(unit=cast.a.ward, staff_code__startswith="NV").count() == 4000
    done = client.get(job.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in done and "4,000 created" in done
    events = AuditEvent.objects.filter(content_type__model="official", actor=cast.a.coordinator)
    assert events.filter(action=AuditEvent.Action.CREATE).count() == 4000


def test_an_import_with_a_bad_row_changes_nothing_and_its_page_names_the_row(
    client, cast, django_capture_on_commit_callbacks
):
    client.force_login(cast.a.coordinator)
    before = Official.objects.count()
    job = ask_import(
        client, cast.a.ward, officials_file(4000, bad_row=2500), django_capture_on_commit_callbacks
    )

    jobs.run(job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "The file has 1 problem; nothing was imported."
    assert Official.objects.count() == before
    page = client.get(job.get_absolute_url()).content.decode()
    assert "The file has 1 problem; nothing was imported." in page
    assert "<td>2502</td>" in page  # the header is row 1, the 2,501st person row 2502
    assert "&#x27;not a category&#x27; is not a staff category" in page


def test_a_job_run_again_does_not_do_its_work_twice(
    client, cast, django_capture_on_commit_callbacks
):
    """A worker's job is retried when the worker stops (core/tasks.py); a finished job is
    never run again, and an unfinished one wrote nothing (one transaction)."""
    client.force_login(cast.a.coordinator)
    job = ask_import(client, cast.a.ward, officials_file(3000), django_capture_on_commit_callbacks)

    jobs.run(job.pk)
    jobs.run(job.pk)  # procrastinate retried it

    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.DONE, 1)
    assert Official.objects.filter(staff_code__startswith="NV").count() == 3000


def test_a_job_that_breaks_fails_with_a_message_and_leaves_nothing_half_done(cast):
    @jobs.runner("tests.breaks")
    def breaks(job, progress):
        Official.objects.create(unit=cast.a.ward, full_name="Half done", staff_category="cadre")
        raise RuntimeError("disk full")

    job = jobs.enqueue(actor=cast.a.head, kind="tests.breaks", title="Breaks", inline=True)

    assert job.status == JobStatus.FAILED
    assert job.error.startswith("An unexpected error stopped the job; nothing was changed.")
    assert "disk full" not in job.error  # the details are in the log, not on the page
    assert not Official.objects.filter(full_name="Half done").exists()


def test_another_user_cannot_see_my_job_nor_find_it_in_their_list(client, cast):
    job = Job.objects.create(kind="orgs.import_officials", title="Mine", owner=cast.a.coordinator)
    client.force_login(cast.b.coordinator)

    assert client.get(job.get_absolute_url()).status_code == 404
    assert client.get(reverse("jobs:job_file", args=[job.pk])).status_code == 404
    assert "Mine" not in client.get(reverse("jobs:job_list")).content.decode()
    client.force_login(cast.a.coordinator)
    assert "Mine" in client.get(reverse("jobs:job_list")).content.decode()
