"""The officials pages: list, search, detail, edit and create, each within the user's scope."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civility.core.models import AuditEvent
from civility.orgs.models import Official, StaffCategory
from tests.factories import make_official, make_post, make_unit


def names_in(response) -> list[str]:
    return [official.full_name for official in response.context["listing"].page.object_list]


def test_head_sees_the_officials_of_their_ward_only(client, cast):
    client.force_login(cast.a.head)

    response = client.get(reverse("orgs:official_list"))

    assert response.status_code == 200
    assert names_in(response) == ["Nguyễn Văn A"]
    assert "Nguyễn Văn B" not in response.content.decode()


def test_search_ignores_vietnamese_diacritics(client, cast):
    make_official("Trần Thị Hoa", unit=cast.a.department)
    client.force_login(cast.a.head)

    response = client.get(reverse("orgs:official_list"), {"q": "nguyen van"})

    assert names_in(response) == ["Nguyễn Văn A"]
    assert "Nguyễn Văn A" in response.content.decode()


def test_search_never_reaches_the_sibling_ward(client, cast):
    client.force_login(cast.a.head)

    response = client.get(reverse("orgs:official_list"), {"q": "Nguyễn Văn B"})

    assert names_in(response) == []


def test_asking_for_the_sibling_ward_in_the_filter_gets_404(client, cast):
    client.force_login(cast.a.head)

    response = client.get(reverse("orgs:official_list"), {"unit": cast.b.ward.pk})

    assert response.status_code == 404


def test_city_coordinator_sees_both_wards_and_can_narrow_to_one(client, cast):
    client.force_login(cast.city_coordinator)

    everyone = client.get(reverse("orgs:official_list"))
    ward_b = client.get(reverse("orgs:official_list"), {"unit": cast.b.ward.pk})

    assert names_in(everyone) == ["Nguyễn Văn A", "Nguyễn Văn B"]
    assert names_in(ward_b) == ["Nguyễn Văn B"]


def test_list_defaults_to_the_unit_selected_in_the_switcher(client, cast):
    client.force_login(cast.city_coordinator)

    switched = client.post(reverse("orgs:unit_select"), {"unit": cast.b.ward.pk, "next": "/"})
    response = client.get(reverse("orgs:official_list"))

    assert switched.status_code == 302
    assert response.context["unit"] == cast.b.ward
    assert names_in(response) == ["Nguyễn Văn B"]


def test_filters_by_category_leader_sensitive_post_and_status(client, cast):
    post = make_post(
        "Tiếp nhận hồ sơ", unit=cast.a.ward, is_sensitive=True, rotation_period_months=36
    )
    make_official(
        "Lê Văn Chủ tịch", unit=cast.a.ward, is_leader=True, staff_category=StaffCategory.CADRE
    )
    make_official("Phạm Thị Một Cửa", unit=cast.a.department, post=post)
    make_official("Hoàng Văn Nghỉ", unit=cast.a.department, left_on="2024-01-31")
    client.force_login(cast.a.head)
    url = reverse("orgs:official_list")

    assert names_in(client.get(url, {"staff_category": "cadre"})) == ["Lê Văn Chủ tịch"]
    assert names_in(client.get(url, {"leader": "yes"})) == ["Lê Văn Chủ tịch"]
    assert names_in(client.get(url, {"sensitive": "yes"})) == ["Phạm Thị Một Cửa"]
    assert names_in(client.get(url, {"status": "left"})) == ["Hoàng Văn Nghỉ"]
    assert len(names_in(client.get(url, {"status": "all"}))) == 4


def test_htmx_search_returns_only_the_results_partial(client, cast):
    client.force_login(cast.a.head)

    response = client.get(
        reverse("orgs:official_list"), {"q": "nguyen"}, headers={"HX-Request": "true"}
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="results"')
    assert "<html" not in body
    assert "Nguyễn Văn A" in body


def test_list_is_paginated_by_fifty(client, cast):
    Official.objects.bulk_create(
        Official(full_name=f"Cán bộ {n:03}", unit=cast.a.department, staff_category="worker")
        for n in range(60)
    )
    client.force_login(cast.a.head)

    first = client.get(reverse("orgs:official_list"))
    second = client.get(reverse("orgs:official_list"), {"page": 2})

    assert len(names_in(first)) == 50
    assert len(names_in(second)) == 11
    assert first.context["listing"].page.paginator.count == 61


@pytest.mark.parametrize("page_param", ["abc", "999"])
def test_a_bad_page_number_does_not_break_the_list(client, cast, page_param):
    client.force_login(cast.a.head)

    response = client.get(reverse("orgs:official_list"), {"page": page_param})

    assert response.status_code == 200


def test_list_takes_the_same_number_of_queries_for_5_and_50_officials(client, cast):
    def queries_for_listing() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("orgs:official_list"))
        assert response.status_code == 200
        return len(captured.captured_queries)

    post = make_post("Văn thư", unit=cast.a.ward)
    client.force_login(cast.a.head)
    for n in range(4):
        make_official(f"Cán bộ {n}", unit=cast.a.department, post=post)
    with_five = queries_for_listing()
    for n in range(4, 49):
        make_official(f"Cán bộ {n}", unit=make_unit(f"Tổ {n}", parent=cast.a.ward), post=post)
    with_fifty = queries_for_listing()

    assert with_five == with_fifty
    assert with_fifty <= 12


def test_head_of_other_ward_gets_404_on_detail_and_edit(client, cast):
    client.force_login(cast.a.head)

    detail = client.get(reverse("orgs:official_detail", args=[cast.b.official.pk]))
    edit = client.get(reverse("orgs:official_edit", args=[cast.b.official.pk]))
    post = client.post(
        reverse("orgs:official_edit", args=[cast.b.official.pk]),
        {"full_name": "Hacked", "staff_category": "cadre"},
    )

    assert (detail.status_code, edit.status_code, post.status_code) == (404, 404, 404)
    cast.b.official.refresh_from_db()
    assert cast.b.official.full_name == "Nguyễn Văn B"


def test_official_role_user_sees_the_record_but_cannot_edit(client, cast):
    client.force_login(cast.a.official_user)
    url = reverse("orgs:official_edit", args=[cast.a.official.pk])

    detail = client.get(reverse("orgs:official_detail", args=[cast.a.official.pk]))

    assert detail.status_code == 200
    assert url not in detail.content.decode()
    assert client.get(url).status_code == 403
    assert client.post(url, {"full_name": "X", "staff_category": "cadre"}).status_code == 403


def test_manager_sees_the_edit_link(client, cast):
    client.force_login(cast.a.head)

    detail = client.get(reverse("orgs:official_detail", args=[cast.a.official.pk]))

    assert reverse("orgs:official_edit", args=[cast.a.official.pk]) in detail.content.decode()


def test_head_edits_an_official_and_the_audit_names_them(client, cast):
    post = make_post("Chuyên viên", unit=cast.a.ward)
    client.force_login(cast.a.head)

    response = client.post(
        reverse("orgs:official_edit", args=[cast.a.official.pk]),
        {
            "full_name": "Nguyễn Văn An",
            "staff_code": "TH-001",
            "staff_category": "cadre",
            "post": post.pk,
            "is_leader": "on",
            "post_start_date": "2024-03-01",
            "email": "an@example.vn",
            "phone": "0912 345 678",
            "left_on": "",
        },
    )

    assert response.status_code == 302
    official = Official.objects.get(pk=cast.a.official.pk)
    assert (official.full_name, official.post, official.is_leader) == ("Nguyễn Văn An", post, True)
    event = AuditEvent.objects.get_for_object(official).get(action=AuditEvent.Action.UPDATE)
    assert event.actor == cast.a.head
    assert event.changes_dict["full_name"] == ["Nguyễn Văn A", "Nguyễn Văn An"]


def test_post_from_the_sibling_ward_is_refused_with_a_field_error(client, cast):
    foreign_post = make_post("Kế toán", unit=cast.b.ward)
    client.force_login(cast.a.head)

    response = client.post(
        reverse("orgs:official_edit", args=[cast.a.official.pk]),
        {"full_name": "Nguyễn Văn A", "staff_category": "cadre", "post": foreign_post.pk},
    )

    assert response.status_code == 200
    assert "post" in response.context["form"].errors
    cast.a.official.refresh_from_db()
    assert cast.a.official.post is None


def test_missing_name_gets_a_message_naming_the_field(client, cast):
    client.force_login(cast.a.head)

    response = client.post(
        reverse("orgs:official_edit", args=[cast.a.official.pk]),
        {"full_name": "  ", "staff_category": "cadre"},
    )

    assert response.status_code == 200
    assert "full_name" in response.context["form"].errors


def test_duplicate_staff_code_in_the_unit_is_a_field_error(client, cast):
    make_official("Đỗ Văn Khác", unit=cast.a.department, staff_code="TH-9")
    client.force_login(cast.a.head)

    response = client.post(
        reverse("orgs:official_edit", args=[cast.a.official.pk]),
        {"full_name": "Nguyễn Văn A", "staff_category": "cadre", "staff_code": "TH-9"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    assert Official.objects.filter(staff_code="TH-9").count() == 1


def test_head_creates_an_official_in_a_unit_of_their_ward(client, cast):
    client.force_login(cast.a.head)
    url = reverse("orgs:official_create") + f"?unit={cast.a.department.pk}"

    form_page = client.get(url)
    response = client.post(url, {"full_name": "Vũ Thị Mới", "staff_category": "worker"})

    assert form_page.status_code == 200
    assert response.status_code == 302
    official = Official.objects.get(full_name="Vũ Thị Mới")
    assert official.unit == cast.a.department
    assert AuditEvent.objects.get_for_object(official).get().actor == cast.a.head


def test_creating_in_the_sibling_ward_gets_404_and_as_official_gets_403(client, cast):
    client.force_login(cast.a.head)
    foreign = client.get(reverse("orgs:official_create") + f"?unit={cast.b.department.pk}")
    client.force_login(cast.a.official_user)
    own = client.get(reverse("orgs:official_create") + f"?unit={cast.a.department.pk}")

    assert (foreign.status_code, own.status_code) == (404, 403)


def test_official_detail_shows_history_to_the_coordinator_only(client, cast):
    client.force_login(cast.a.head)
    client.post(
        reverse("orgs:official_edit", args=[cast.a.official.pk]),
        {"full_name": "Nguyễn Văn Ánh", "staff_category": "cadre"},
    )
    url = reverse("orgs:official_detail", args=[cast.a.official.pk])

    as_head = client.get(url)
    client.force_login(cast.a.coordinator)
    as_coordinator = client.get(url)

    assert as_head.context["history"] is None
    body = as_coordinator.content.decode()
    assert "head_a" in body
    assert "Nguyễn Văn Ánh" in body


def test_anonymous_user_is_sent_to_log_in(client, cast):
    response = client.get(reverse("orgs:official_list"))

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
