"""The structure import runs as a background job, like the officials import: the page hands
over to the job's page, which polls until done; a dry run writes nothing; a file with bad
rows fails with row-numbered problems and changes nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from civility.core import jobs
from civility.core.models import AuditEvent, Job, JobStatus
from civility.orgs.imports import stored
from civility.orgs.models import OrgUnit
from tests.orgs.test_imports import NESTED_TREE, STRUCTURE_HEADER

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def background(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(stored, "INLINE_IMPORT_BYTES", 0)  # every file goes to the worker


def as_csv(rows) -> SimpleUploadedFile:
    text = "\n".join(",".join(str(cell) for cell in row) for row in rows) + "\n"
    return SimpleUploadedFile("units.csv", text.encode())


def ask(client, unit, rows, django_capture_on_commit_callbacks, **options) -> Job:
    url = reverse("imports:structure_import", args=[unit.pk])
    with django_capture_on_commit_callbacks(execute=False) as deferred:
        response = client.post(url, {"file": as_csv(rows), **options})
    job = Job.objects.get(kind="orgs.import_structure")
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert len(deferred) == 1 and job.status == JobStatus.QUEUED
    return job


def test_a_structure_import_runs_as_a_job_whose_page_polls_until_done(
    client, cast, django_capture_on_commit_callbacks
):
    client.force_login(cast.a.coordinator)
    job = ask(client, cast.a.ward, NESTED_TREE, django_capture_on_commit_callbacks)
    assert not OrgUnit.objects.filter(code="VP").exists()
    waiting = client.get(job.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 2s"' in waiting

    jobs.run(job.pk)

    job.refresh_from_db()
    assert (job.status, job.result["created"]) == (JobStatus.DONE, 4)
    assert OrgUnit.objects.get(code="Q1").parent == OrgUnit.objects.get(code="TN")
    done = client.get(job.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in done and "4 created" in done
    created = AuditEvent.objects.filter(content_type__model="orgunit", actor=cast.a.coordinator)
    assert created.filter(action=AuditEvent.Action.CREATE).count() == 4


def test_a_dry_run_job_reports_what_it_would_do_and_writes_nothing(
    client, cast, django_capture_on_commit_callbacks
):
    client.force_login(cast.a.coordinator)
    units = OrgUnit.objects.count()
    job = ask(client, cast.a.ward, NESTED_TREE, django_capture_on_commit_callbacks, dry_run="on")

    jobs.run(job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.result["dry_run"] is True
    assert job.result["created"] == 4 and job.message == "Check passed: the file can be imported."
    assert OrgUnit.objects.count() == units


def test_a_file_with_bad_rows_fails_naming_each_row_and_writes_nothing(
    client, cast, django_capture_on_commit_callbacks
):
    client.force_login(cast.a.coordinator)
    units, events = OrgUnit.objects.count(), AuditEvent.objects.count()
    rows = [
        STRUCTURE_HEADER,
        ["VP", "Văn phòng UBND", "", "department", "", ""],
        ["TN", "Bộ phận Tiếp nhận", "", "not a kind", "VP", ""],
        ["Q1", "Quầy 1", "", "counter", "NOWHERE", ""],
    ]
    job = ask(client, cast.a.ward, rows, django_capture_on_commit_callbacks)

    jobs.run(job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "The file has 2 problems; nothing was imported."
    assert OrgUnit.objects.count() == units and AuditEvent.objects.count() == events
    page = client.get(job.get_absolute_url()).content.decode()
    assert "<td>3</td>" in page and "<td>4</td>" in page
    assert "not a kind" in page and "NOWHERE" in page


def test_an_unreadable_file_fails_the_job_with_the_reason(
    client, cast, django_capture_on_commit_callbacks
):
    client.force_login(cast.a.coordinator)
    job = ask(client, cast.a.ward, [["code", "name", "kind"]], django_capture_on_commit_callbacks)

    jobs.run(job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "no rows of data" in job.error
