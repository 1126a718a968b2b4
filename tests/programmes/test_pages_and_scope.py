"""Pages through the HTTP client, and scope: out of scope is 404, no role is 403."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from civility.programmes.actions import create_task, report_progress
from civility.programmes.models import Task, TaskState, TaskUpdate
from tests.factories import pdf_bytes


@pytest.fixture
def tasks(cast, programme):
    a = create_task(
        actor=cast.city_coordinator,
        programme=programme,
        title="Nhiệm vụ phường A",
        assignee_unit=cast.a.ward,
        deadline=datetime.date(2099, 1, 1),
    )
    b = create_task(
        actor=cast.city_coordinator,
        programme=programme,
        title="Nhiệm vụ phường B",
        assignee_unit=cast.b.ward,
        deadline=datetime.date(2020, 1, 1),
    )
    return a, b


def test_the_programme_page_shows_figures_and_the_delayed_list(client, cast, programme, tasks):
    client.force_login(cast.city_coordinator)
    response = client.get(programme.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "0 of 2" in page and "Nhiệm vụ phường B" in page and "Overdue" in page


def test_a_ward_head_sees_the_city_programme_but_only_their_tasks(client, cast, programme, tasks):
    a, b = tasks
    client.force_login(cast.a.head)
    page = client.get(programme.get_absolute_url()).content.decode()
    assert "Nhiệm vụ phường A" in page and "Nhiệm vụ phường B" not in page
    assert "0 of 1" in page
    assert client.get(a.get_absolute_url()).status_code == 200
    assert client.get(b.get_absolute_url()).status_code == 404
    response = client.post(reverse("programmes:task_progress", args=[b.pk]), {"progress": 50})
    assert response.status_code == 404


def test_a_ward_head_reports_progress_with_evidence(client, cast, tasks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    a, _b = tasks
    client.force_login(cast.a.head)
    response = client.post(
        reverse("programmes:task_progress", args=[a.pk]),
        {
            "progress": 40,
            "state": "in_progress",
            "text": "Đã họp triển khai",
            "evidence": SimpleUploadedFile("bien-ban.pdf", pdf_bytes()),
        },
    )
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.progress == 40 and a.state == TaskState.IN_PROGRESS
    update = TaskUpdate.objects.get(task=a, kind="progress")
    assert update.evidence.name.endswith(".pdf")
    page = client.get(a.get_absolute_url()).content.decode()
    assert "Đã họp triển khai" in page and "bien-ban" in page


def test_an_official_without_a_role_on_the_unit_cannot_report(client, cast, tasks):
    a, _b = tasks
    client.force_login(cast.a.official_user)  # official of the ward's office: sees nothing above
    assert client.get(a.get_absolute_url()).status_code == 404


def test_the_official_in_charge_may_report(client, cast, programme):
    task = create_task(
        actor=cast.city_coordinator,
        programme=programme,
        title="Báo cáo",
        assignee_unit=cast.a.department,
        assignee_official=cast.a.official,
        deadline=datetime.date(2099, 1, 1),
    )
    client.force_login(cast.a.official_user)
    response = client.post(
        reverse("programmes:task_progress", args=[task.pk]),
        {"progress": 100, "state": "done"},
    )
    assert response.status_code == 302
    assert Task.objects.get(pk=task.pk).state == TaskState.DONE


def test_a_coordinator_of_a_ward_cannot_add_city_tasks(client, cast, programme):
    client.force_login(cast.a.coordinator)
    assert client.get(reverse("programmes:task_create", args=[programme.pk])).status_code == 403


def test_comments_and_extension_through_pages(client, cast, tasks):
    a, _b = tasks
    client.force_login(cast.a.coordinator)
    client.post(reverse("programmes:task_comment", args=[a.pk]), {"text": "Cần bổ sung số liệu"})
    assert TaskUpdate.objects.filter(task=a, kind="comment").exists()
    client.force_login(cast.city_coordinator)
    client.post(
        reverse("programmes:task_extend", args=[a.pk]),
        {"deadline": "2099-02-01", "reason": "Chờ số liệu"},
    )
    a.refresh_from_db()
    assert a.is_prolonged()


def test_delegation_page_creates_a_child_task(client, cast, tasks):
    a, _b = tasks
    client.force_login(cast.a.head)
    response = client.post(
        reverse("programmes:task_delegate", args=[a.pk]),
        {
            "title": "Văn phòng thực hiện",
            "assignee_unit": cast.a.department.pk,
            "deadline": "2098-12-01",
        },
    )
    assert response.status_code == 302
    child = Task.objects.get(parent=a)
    assert child.assignee_unit == cast.a.department and child.is_delegated()


def test_lists_and_pages_load(client, cast, programme, tasks):
    client.force_login(cast.city_coordinator)
    report_progress(actor=cast.a.head, task=tasks[0], progress=10)
    for name in ("programme_list", "indicator_list", "title_overview", "programme_create"):
        assert client.get(reverse(f"programmes:{name}")).status_code == 200, name
    response = client.get(reverse("programmes:import_template", args=["actuals"]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_programme_list_query_count_does_not_grow_with_tasks(
    client, cast, programme, tasks, django_assert_max_num_queries
):
    client.force_login(cast.city_coordinator)
    with django_assert_max_num_queries(15):
        client.get(reverse("programmes:programme_list"))
