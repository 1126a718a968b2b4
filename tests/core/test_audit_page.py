"""The audit log page: readers see their subtree's changes, everyone else gets 404."""

import pytest
from django.urls import reverse

from civility.orgs.actions import update_official
from civility.orgs.models import OrgUnit


@pytest.fixture
def changes(cast):
    update_official(actor=cast.a.head, official=cast.a.official, full_name="Nguyễn Văn Anh")
    update_official(actor=cast.b.head, official=cast.b.official, full_name="Nguyễn Văn Bình")


def reprs_in(response) -> set[str]:
    return {event.object_repr for event, _url, _changes in response.context["rows"]}


def test_coordinator_of_ward_a_sees_only_ward_a_events(client, cast, changes):
    client.force_login(cast.a.coordinator)

    response = client.get(reverse("core:audit_list"))

    assert response.status_code == 200
    assert "Nguyễn Văn Anh" in reprs_in(response)
    assert not any("Bình" in text or "Long Biên" in text for text in reprs_in(response))
    body = response.content.decode()
    assert "Nguyễn Văn Bình" not in body
    assert "head_a" in body


def test_city_coordinator_and_administrator_see_both_wards(client, cast, changes):
    for user in (cast.city_coordinator, cast.admin):
        client.force_login(user)
        response = client.get(reverse("core:audit_list"))
        assert {"Nguyễn Văn Anh", "Nguyễn Văn Bình"} <= reprs_in(response)


@pytest.mark.parametrize("who", ["head", "official_user"])
def test_heads_and_officials_get_404(client, cast, who):
    client.force_login(getattr(cast.a, who))

    assert client.get(reverse("core:audit_list")).status_code == 404


def test_rows_show_actor_action_link_and_before_after(client, cast, changes):
    client.force_login(cast.a.coordinator)

    response = client.get(reverse("core:audit_list"), {"actor": "head_a", "action": "1"})

    rows = response.context["rows"]
    assert len(rows) == 1
    event, url, changes_shown = rows[0]
    assert event.actor == cast.a.head
    assert url == reverse("orgs:official_detail", args=[cast.a.official.pk])
    assert list(changes_shown.values()) == [["Nguyễn Văn A", "Nguyễn Văn Anh"]]
    body = response.content.decode()
    assert "Nguyễn Văn A</del>" in body and "Nguyễn Văn Anh</ins>" in body


def test_filter_by_record_type(client, cast, changes):
    from django.contrib.contenttypes.models import ContentType

    client.force_login(cast.admin)
    unit_type = ContentType.objects.get_for_model(OrgUnit)

    response = client.get(reverse("core:audit_list"), {"model": unit_type.pk})

    assert reprs_in(response) >= {"Phường Tây Hồ"}
    assert "Nguyễn Văn Anh" not in reprs_in(response)


def test_bad_filter_values_do_not_break_the_page(client, cast, changes):
    client.force_login(cast.admin)

    response = client.get(reverse("core:audit_list"), {"model": "abc", "action": "9", "page": "x"})

    assert response.status_code == 200
