"""The unit pages: switcher, tree browser with lazy children, unit detail; all scoped."""

import datetime

from django.urls import reverse

from civility.orgs.models import UnitKind
from tests.factories import make_official, make_place, make_unit


def test_tree_starts_at_the_units_the_roles_are_granted_on(client, cast):
    client.force_login(cast.a.head)

    response = client.get(reverse("orgs:unit_list"))

    assert [unit.name for unit in response.context["roots"]] == ["Phường Tây Hồ"]
    assert "Phường Long Biên" not in response.content.decode()


def test_expanding_a_node_returns_its_children_by_name_with_counts(client, cast):
    make_unit("Tổ dân phố 2", parent=cast.a.ward, kind=UnitKind.RESIDENTIAL_GROUP)
    group = make_unit("Tổ dân phố 1", parent=cast.a.ward, kind=UnitKind.RESIDENTIAL_GROUP)
    make_unit("Nhóm", parent=group)
    client.force_login(cast.a.head)

    url = reverse("orgs:unit_children", args=[cast.a.ward.pk])
    response = client.get(url, headers={"HX-Request": "true"})

    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    names = ["Tổ dân phố 1", "Tổ dân phố 2", "Văn phòng HĐND và UBND Phường Tây Hồ"]
    assert [body.index(name) for name in names] == sorted(body.index(name) for name in names)
    # Only the node with children can expand, and it says how many it has.
    assert reverse("orgs:unit_children", args=[group.pk]) in body
    assert body.count('class="tree-toggle"') == 1
    assert "1 unit" in body or "1 đơn vị" in body
    assert "Nhóm" not in body


def test_expanding_a_node_takes_one_query_beyond_the_session(client, cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(cast.a.head)
    url = reverse("orgs:unit_children", args=[cast.a.ward.pk])
    with CaptureQueriesContext(connection) as captured:
        client.get(url, headers={"HX-Request": "true"})

    unit_queries = [q for q in captured.captured_queries if 'FROM "orgs_orgunit"' in q["sql"]]
    assert len(unit_queries) == 1


def test_expanding_a_node_of_the_sibling_ward_shows_nothing(client, cast):
    client.force_login(cast.a.head)

    response = client.get(reverse("orgs:unit_children", args=[cast.b.ward.pk]))

    assert response.status_code == 200
    assert "Văn phòng HĐND và UBND Phường Long Biên" not in response.content.decode()


def test_former_units_are_marked_with_their_end_date_and_successors(client, cast, settings):
    settings.LANGUAGE_CODE = "vi"
    district = make_unit(
        "Quận Tây Hồ",
        parent=cast.city,
        kind=UnitKind.FORMER_DISTRICT,
        valid_to=datetime.date(2025, 6, 30),
    )
    district.successors.add(
        cast.a.ward, cast.b.ward, through_defaults={"share": "0.5", "basis": "estimate"}
    )
    client.force_login(cast.city_coordinator)

    response = client.get(reverse("orgs:unit_children", args=[cast.city.pk]))

    body = response.content.decode()
    former_node = body[body.index("Quận Tây Hồ") :]
    former_node = former_node[: former_node.index("</li>")]
    assert body.count("is-former") == 1
    assert reverse("orgs:unit_detail", args=[cast.a.ward.pk]) in former_node
    assert reverse("orgs:unit_detail", args=[cast.b.ward.pk]) in former_node
    assert "30/06/2025" in former_node  # Vietnamese short date, day/month/year


def test_unit_detail_shows_ancestors_counts_successors_and_places(client, cast):
    make_official("Trần Văn Trưởng", unit=cast.a.ward, is_leader=True)
    make_official("Lê Thị Đã Nghỉ", unit=cast.a.department, left_on=datetime.date(2024, 1, 1))
    make_place("Chợ Quảng An", unit=cast.a.ward, address="Quảng An")
    predecessor = make_unit(
        "Phường Quảng An",
        parent=cast.city,
        kind=UnitKind.WARD,
        valid_to=datetime.date(2025, 6, 30),
    )
    predecessor.successors.add(cast.a.ward, through_defaults={"share": 1, "basis": "area"})
    client.force_login(cast.city_coordinator)

    response = client.get(reverse("orgs:unit_detail", args=[cast.a.ward.pk]))

    assert response.status_code == 200
    assert [unit for unit, _visible in response.context["ancestors"]] == [cast.city]
    assert response.context["officials"]["working"] == 2
    assert response.context["officials"]["leaders"] == 1
    assert response.context["officials"]["left"] == 1
    assert [(other, visible) for _link, other, visible in response.context["predecessors"]] == [
        (predecessor, True)
    ]
    body = response.content.decode()
    assert "Chợ Quảng An" in body
    assert f"{reverse('orgs:official_list')}?unit={cast.a.ward.pk}" in body


def test_unit_detail_of_the_sibling_ward_gets_404(client, cast):
    client.force_login(cast.a.head)

    assert client.get(reverse("orgs:unit_detail", args=[cast.b.ward.pk])).status_code == 404
    assert client.get(reverse("orgs:unit_detail", args=[cast.b.department.pk])).status_code == 404


def test_ancestors_outside_the_scope_are_shown_without_a_link(client, cast):
    client.force_login(cast.a.head)

    response = client.get(reverse("orgs:unit_detail", args=[cast.a.department.pk]))

    assert response.context["ancestors"] == [(cast.city, False), (cast.a.ward, True)]
    assert reverse("orgs:unit_detail", args=[cast.city.pk]) not in response.content.decode()


def test_switcher_offers_the_scope_roots_and_keeps_the_choice(client, cast):
    client.force_login(cast.city_coordinator)

    before = client.get(reverse("orgs:unit_list"))
    client.post(reverse("orgs:unit_select"), {"unit": cast.a.department.pk})
    after = client.get(reverse("orgs:home"))

    assert list(before.context["switcher_units"]) == [cast.city]
    assert after.context["selected_unit"] == cast.a.department
    assert client.session["unit_id"] == cast.a.department.pk
    assert list(after.context["switcher_units"]) == [cast.city, cast.a.department]


def test_switching_to_a_unit_outside_the_scope_gets_404(client, cast):
    client.force_login(cast.a.head)

    response = client.post(reverse("orgs:unit_select"), {"unit": cast.b.ward.pk})
    garbage = client.post(reverse("orgs:unit_select"), {"unit": "x"})

    assert (response.status_code, garbage.status_code) == (404, 404)
    assert "unit_id" not in client.session


def test_switcher_refuses_get_and_ignores_foreign_next(client, cast):
    client.force_login(cast.a.head)

    get = client.get(reverse("orgs:unit_select"))
    response = client.post(
        reverse("orgs:unit_select"), {"unit": cast.a.ward.pk, "next": "https://evil.example/"}
    )

    assert get.status_code == 405
    assert response["Location"] == reverse("orgs:home")


def test_a_selected_unit_that_left_the_scope_falls_back_to_a_root(client, cast):
    client.force_login(cast.city_coordinator)
    client.post(reverse("orgs:unit_select"), {"unit": cast.b.ward.pk})
    client.force_login(cast.a.head)
    session = client.session
    session["unit_id"] = cast.b.ward.pk
    session.save()

    response = client.get(reverse("orgs:home"))

    assert response.context["selected_unit"] == cast.a.ward


def test_base_layout_has_a_skip_link_language_switcher_and_audit_only_for_readers(client, cast):
    client.force_login(cast.a.head)
    as_head = client.get(reverse("orgs:home")).content.decode()
    client.force_login(cast.a.coordinator)
    as_coordinator = client.get(reverse("orgs:home")).content.decode()

    assert as_head.index('class="skip-link"') < as_head.index("<nav")
    assert reverse("accounts:language_update") in as_head
    assert reverse("core:audit_list") not in as_head
    assert reverse("core:audit_list") in as_coordinator


def test_pages_are_in_vietnamese_by_default(client, cast, settings):
    settings.LANGUAGE_CODE = "vi"
    client.force_login(cast.a.head)

    response = client.get(reverse("orgs:home"))

    assert '<html lang="vi"' in response.content.decode()


def test_a_predecessor_outside_the_scope_is_named_but_not_linked(client, cast):
    district = make_unit(
        "Quận Tây Hồ",
        parent=cast.city,
        kind=UnitKind.FORMER_DISTRICT,
        valid_to=datetime.date(2025, 6, 30),
    )
    district.successors.add(cast.a.ward, through_defaults={"share": 1, "basis": "area"})
    client.force_login(cast.a.head)

    response = client.get(reverse("orgs:unit_detail", args=[cast.a.ward.pk]))

    body = response.content.decode()
    assert "Quận Tây Hồ" in body
    assert reverse("orgs:unit_detail", args=[district.pk]) not in body
