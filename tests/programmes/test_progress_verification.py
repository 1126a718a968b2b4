"""A progress report is the assignee's own account; the assigning unit verifies it against
the evidence and records what it found next to it, never over it."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from civility.programmes import figures
from civility.programmes.actions import create_task, report_progress, verify_progress
from civility.programmes.models import Task, TaskUpdate, UpdateKind

UTC = datetime.UTC


def at(month: int, day: int = 10) -> datetime.datetime:
    return datetime.datetime(2025, month, day, 3, 0, tzinfo=UTC)


@pytest.fixture
def task(cast, programme) -> Task:
    return create_task(
        actor=cast.city_coordinator,
        programme=programme,
        title="Tuyên truyền Bộ quy tắc ứng xử tại khu dân cư",
        assignee_unit=cast.a.ward,
        deadline=datetime.date(2025, 12, 31),
    )


def report(cast, task, progress, *, now=None) -> TaskUpdate:
    report_progress(
        actor=cast.a.head,
        task=task,
        progress=progress,
        text="Đã tổ chức 3 buổi.",
        evidence_link="https://example.org/bien-ban.pdf",
        now=now,
    )
    return TaskUpdate.objects.filter(task=task, kind=UpdateKind.PROGRESS).latest("pk")


def test_verification_is_kept_next_to_the_reported_progress(cast, task):
    update = report(cast, task, 80)
    verify_progress(
        actor=cast.city_coordinator, update=update, progress=50, note="Chỉ có 2 biên bản."
    )
    update.refresh_from_db()
    task.refresh_from_db()
    assert (update.progress, update.verified_progress, update.verified_gap) == (80, 50, 30)
    assert update.evidence_link == "https://example.org/bien-ban.pdf"
    assert update.verified_by == cast.city_coordinator
    assert task.progress == 80  # the unit's own figure is not written over


def test_a_differing_figure_needs_a_note(cast, task):
    update = report(cast, task, 80)
    with pytest.raises(ValidationError) as error:
        verify_progress(actor=cast.city_coordinator, update=update, progress=50)
    assert "note" in error.value.message_dict
    verify_progress(actor=cast.city_coordinator, update=update, progress=80)


def test_the_assignee_cannot_verify_its_own_report(cast, task):
    update = report(cast, task, 80)
    with pytest.raises(PermissionDenied):
        verify_progress(actor=cast.a.head, update=update, progress=80)
    with pytest.raises(PermissionDenied):
        verify_progress(actor=cast.b.coordinator, update=update, progress=80)


def test_a_report_is_verified_once(cast, task):
    update = report(cast, task, 60)
    verify_progress(actor=cast.city_coordinator, update=update, progress=60)
    with pytest.raises(ValidationError):
        verify_progress(actor=cast.admin, update=update, progress=10, note="x")
    update.refresh_from_db()
    assert update.verified_progress == 60


def test_verification_form_on_the_task_page(client, cast, task):
    update = report(cast, task, 90)
    client.force_login(cast.a.head)
    assert "Verify this report" not in client.get(task.get_absolute_url()).content.decode()
    url = f"/programmes/tasks/{task.pk}/updates/{update.pk}/verify/"
    assert client.post(url, {"progress": 40, "note": ""}).status_code == 403
    update.refresh_from_db()
    assert update.verified_progress is None

    client.force_login(cast.city_coordinator)
    page = client.get(task.get_absolute_url()).content.decode()
    assert "Verify this report" in page
    response = client.post(url, {"progress": "abc"}, follow=True)
    assert "Verified progress (%)" in response.content.decode()
    response = client.post(url, {"progress": 40, "note": ""}, follow=True)
    assert "Say why the verified progress differs" in response.content.decode()
    client.post(url, {"progress": 40, "note": "Thiếu minh chứng"})
    update.refresh_from_db()
    assert (update.progress, update.verified_progress) == (90, 40)
    assert "gap 50 points" in client.get(task.get_absolute_url()).content.decode()


def test_a_task_of_another_ward_is_not_found_for_verification(client, cast, task):
    update = report(cast, task, 90)
    client.force_login(cast.b.head)
    url = f"/programmes/tasks/{task.pk}/updates/{update.pk}/verify/"
    assert client.post(url, {"progress": 10, "note": "x"}).status_code == 404


def test_selector_sums_reported_and_verified_per_unit_and_month(cast, task):
    first = report(cast, task, 80, now=at(3))
    verify_progress(actor=cast.city_coordinator, update=first, progress=50, note="x")
    second = report(cast, task, 90, now=at(3, 20))
    verify_progress(actor=cast.city_coordinator, update=second, progress=100, note="y")
    report(cast, task, 95, now=at(4))  # not verified: not counted
    TaskUpdate.objects.filter(pk=first.pk).update(created_at=at(3))
    TaskUpdate.objects.filter(pk=second.pk).update(created_at=at(3, 20))
    rows = figures.self_assessment_gaps()
    assert rows == [
        {
            "unit_id": cast.a.ward.pk,
            "month": datetime.date(2025, 3, 1),
            "n": 2,
            "self_sum": 170,
            "verified_sum": 150,
            "abs_gap_sum": 40,
        }
    ]
    assert figures.self_assessment_gaps(start=datetime.date(2025, 4, 1)) == []
    assert Decimal(rows[0]["abs_gap_sum"]) / rows[0]["n"] == 20


def test_the_month_of_a_report_is_the_month_in_vietnam(cast, task):
    update = report(cast, task, 70)
    verify_progress(actor=cast.city_coordinator, update=update, progress=70)
    # 18:00 UTC on 31 March is 01:00 on 1 April in Hanoi.
    TaskUpdate.objects.filter(pk=update.pk).update(
        created_at=datetime.datetime(2025, 3, 31, 18, 0, tzinfo=UTC)
    )
    [row] = figures.self_assessment_gaps()
    assert row["month"] == datetime.date(2025, 4, 1)
