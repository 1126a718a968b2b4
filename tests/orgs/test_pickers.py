"""The searchable pickers: the unit and people searches stay in the user's scope, ignore
accents, answer at most 50 matches with each unit's parent path; the widgets render only the
chosen options and re-render them when a form comes back with an error."""

from __future__ import annotations

import re

import pytest

from civility.inspections.forms import PlanInspectionsForm
from civility.inspections.models import INSPECTOR_ROLES
from civility.orgs.models import UnitKind
from civility.orgs.pickers import MAX_RESULTS, narrowing_token
from civility.orgs.scopes import Role
from tests.factories import make_official, make_post, make_unit, make_user

pytestmark = pytest.mark.django_db

UNITS = "/pickers/units/"
PEOPLE = "/pickers/people/"


def _units(client, q, **query):
    params = {"q": q}
    if query:
        params["n"] = narrowing_token(query)
    response = client.get(UNITS, params)
    assert response.status_code == 200
    return response.json()["results"]


def _people(client, q, **query):
    params = {"q": q}
    if query:
        params["n"] = narrowing_token(query)
    response = client.get(PEOPLE, params)
    assert response.status_code == 200
    return response.json()["results"]


@pytest.fixture
def counters(cast):
    """A counter called "Quầy số 1" in each ward, under a one-stop department."""
    made = {}
    for side in (cast.a, cast.b):
        office = make_unit("Bộ phận một cửa", parent=side.ward)
        made[side.ward.name] = make_unit(
            "Quầy tiếp nhận và trả kết quả số 1", parent=office, kind=UnitKind.COUNTER
        )
    return made


def test_the_unit_search_needs_a_signed_in_user(client, cast):
    assert client.get(UNITS, {"q": "ho"}).status_code == 302
    assert client.get(PEOPLE, {"q": "an"}).status_code == 302


def test_a_ward_head_never_finds_units_of_the_sibling_ward(client, cast, counters):
    client.force_login(cast.a.head)
    found = _units(client, "quay")
    assert [unit["value"] for unit in found] == [counters["Phường Tây Hồ"].pk]
    assert _units(client, "Long Bien") == []
    # Nor by asking for the sibling ward's subtree.
    assert _units(client, "", under=cast.b.ward.pk) == []


def test_unaccented_words_find_accented_names_in_any_order(client, cast, counters):
    client.force_login(cast.city_coordinator)
    wards = {"kind": [UnitKind.WARD]}
    assert [u["text"] for u in _units(client, "tay ho", **wards)] == ["Phường Tây Hồ"]
    assert [u["text"] for u in _units(client, "PHUONG TÂY", **wards)] == ["Phường Tây Hồ"]
    # The name itself first, then the units that only mention it.
    assert [u["text"] for u in _units(client, "phường tay ho")] == [
        "Phường Tây Hồ",
        "Văn phòng HĐND và UBND Phường Tây Hồ",
    ]
    found = _units(client, "so 1 quay")
    assert len(found) == 2
    # "đ" is folded to "d" too.
    make_unit("Đội kiểm tra", parent=cast.a.ward)
    assert [u["text"] for u in _units(client, "doi kiem")] == ["Đội kiểm tra"]


def test_two_units_of_the_same_name_are_told_apart_by_their_parent_path(client, cast, counters):
    client.force_login(cast.city_coordinator)
    paths = {u["path"] for u in _units(client, "quay tiep nhan")}
    # The city is the coordinator's own scope: every unit shares it, so it is left out.
    assert paths == {"Phường Tây Hồ › Bộ phận một cửa", "Phường Long Biên › Bộ phận một cửa"}
    client.force_login(cast.admin)
    paths = {u["path"] for u in _units(client, "quay tiep nhan")}
    assert "Hanoi › Phường Tây Hồ › Bộ phận một cửa" in paths  # English page: name_en


def test_the_search_answers_at_most_fifty_units_names_starting_with_the_text_first(client, cast):
    for number in range(MAX_RESULTS + 10):
        make_unit(f"Tổ dân phố số {number}", parent=cast.a.ward, kind=UnitKind.RESIDENTIAL_GROUP)
    make_unit("Số liệu thống kê", parent=cast.a.department)
    client.force_login(cast.a.coordinator)
    found = _units(client, "so")
    assert len(found) == MAX_RESULTS
    assert found[0]["text"] == "Số liệu thống kê"


def test_the_search_keeps_to_the_kinds_and_roles_the_picker_asks_for(client, cast, counters):
    both = make_user("both", roles={Role.INSPECTOR: cast.a.ward, Role.OFFICIAL: cast.b.ward})
    client.force_login(both)
    wards = [UnitKind.WARD]
    assert {u["text"] for u in _units(client, "phuong", kind=wards)} == {
        "Phường Tây Hồ",
        "Phường Long Biên",
    }
    assert [u["text"] for u in _units(client, "phuong", kind=wards, role=INSPECTOR_ROLES)] == [
        "Phường Tây Hồ"
    ]
    counters_found = _units(client, "", kind=[UnitKind.COUNTER])
    assert {u["value"] for u in counters_found} == {unit.pk for unit in counters.values()}


def test_a_tampered_narrowing_is_refused(client, cast):
    client.force_login(cast.a.head)
    token = narrowing_token({"under": cast.a.ward.pk})
    assert client.get(UNITS, {"q": "", "n": token[:-2] + "xx"}).status_code == 403


def test_people_are_found_by_full_name_without_accents_with_unit_and_post(client, cast):
    post = make_post("Chuyên viên", unit=cast.a.department)
    make_official("Hoàng Thị Thu Thủy", unit=cast.a.department, post=post)
    make_official("Hoàng Văn Bình", unit=cast.b.department)
    client.force_login(cast.a.head)
    found = _people(client, "thuy hoang")
    assert found == [
        {
            "value": found[0]["value"],
            "text": "Hoàng Thị Thu Thủy",
            "unit": "Văn phòng HĐND và UBND Phường Tây Hồ",
            "post": "Chuyên viên",
        }
    ]
    # The official of the sibling ward is out of scope.
    assert _people(client, "hoang binh") == []


def test_accounts_are_shown_by_full_name_in_vietnamese_order_never_the_user_name(client, cast):
    make_user(
        "sec_head_sp",
        first_name="Thu Thủy",
        last_name="Hoàng Thị",
        roles={Role.INSPECTOR: cast.a.ward},
    )
    client.force_login(cast.a.coordinator)
    found = _people(client, "thuy", of="user", role=list(INSPECTOR_ROLES))
    assert [person["text"] for person in found] == ["Hoàng Thị Thu Thủy"]
    # A user with an official record is named as the official.
    found = _people(client, "nguyen van", of="user")
    assert [person["text"] for person in found] == ["Nguyễn Văn A"]


def test_the_delegation_picker_renders_only_chosen_people_by_full_name(cast):
    from civility.inspections import actions

    member = make_user(
        "sec_head_sp",
        first_name="Thu Thủy",
        last_name="Hoàng Thị",
        roles={Role.INSPECTOR: cast.city},
    )
    plan = actions.create_plan(actor=cast.city_coordinator, unit=cast.city, year=2026, title="KH")
    form = PlanInspectionsForm(
        {"units": [str(cast.a.ward.pk)], "team": [str(member.pk)]},
        user=cast.city_coordinator,
        plan=plan,
    )
    assert not form.is_valid()  # no checklist nor date
    html = str(form["team"])
    assert "Hoàng Thị Thu Thủy" in html
    assert "sec_head_sp" not in html
    assert 'data-picker="people"' in html


def test_a_unit_picker_re_renders_only_the_chosen_units_after_a_form_error(client, cast, counters):
    from civility.inspections import actions

    plan = actions.create_plan(actor=cast.city_coordinator, unit=cast.city, year=2026, title="KH")
    client.force_login(cast.city_coordinator)
    chosen = [counters["Phường Tây Hồ"].pk, cast.b.ward.pk]
    response = client.post(
        f"/inspections/plans/{plan.pk}/add/",
        {"planned_on": "2026-05-01", "kind": "planned", "units": chosen},  # no checklist
    )
    assert response.status_code == 200
    page = response.content.decode()
    select = re.search(r'<select name="units".*?</select>', page, re.S).group(0)
    assert "multiple" in select
    assert 'data-picker="units"' in select and "data-search-url=" in select
    options = re.findall(r'<option value="(\d+)"[^>]*selected', select)
    assert sorted(int(pk) for pk in options) == sorted(chosen)
    assert select.count("<option") == 2  # none of the other units of the city
    assert "Phường Tây Hồ › Bộ phận một cửa" in select  # the path, for the script


def test_a_unit_posted_from_outside_the_fields_scoped_queryset_is_refused(cast):
    from civility.inspections.forms import StartForm

    form = StartForm(
        {"kind": "surprise", "inspecting_unit": cast.b.ward.pk, "unit": cast.b.ward.pk},
        user=cast.a.coordinator,
    )
    assert not form.is_valid()
    assert "inspecting_unit" in form.errors and "unit" in form.errors
    assert 'data-picker="units"' in str(form["unit"])
    assert "Phường Long Biên" not in str(form["unit"])  # an invalid choice is not echoed


def test_a_form_offering_one_subtree_lets_the_people_search_reach_it_and_nothing_else(client, cast):
    # The findings form of a cross inspection offers the officials of the inspected unit to
    # an inspector of a peer ward: the signed narrowing carries that subtree.
    peer = make_user("peer_inspector", roles={Role.INSPECTOR: cast.b.ward})
    client.force_login(peer)
    assert _people(client, "nguyen van") == [
        {
            "value": cast.b.official.pk,
            "text": "Nguyễn Văn B",
            "unit": cast.b.department.name,
            "post": "",
        }
    ]
    found = _people(client, "nguyen van", under=cast.a.ward.pk)
    assert [person["text"] for person in found] == ["Nguyễn Văn A"]
    # The unit search never leaves the user's own scope, whatever the narrowing says.
    assert _units(client, "", under=cast.a.ward.pk) == []


def test_a_picker_given_a_short_list_of_choices_renders_the_chosen_one_only(cast):
    from django import forms

    from civility.orgs.pickers import UnitPicker

    class Filter(forms.Form):
        unit = forms.ModelChoiceField(queryset=None, required=False, widget=UnitPicker)

    form = Filter({"unit": str(cast.a.ward.pk)})
    form.fields["unit"].queryset = cast.city.children.all()
    form.fields["unit"].widget.choices = [(cast.a.ward.pk, "Tây Hồ"), (cast.b.ward.pk, "Long Biên")]
    html = str(form["unit"])
    assert "Tây Hồ" in html and "Long Biên" not in html


def test_decomposed_letters_from_a_phone_keyboard_find_the_unit(client, cast):
    import unicodedata

    client.force_login(cast.a.head)
    typed = unicodedata.normalize("NFD", "Tây Hồ")
    assert "Phường Tây Hồ" in [u["text"] for u in _units(client, typed)]


def test_a_unit_search_costs_a_fixed_number_of_queries(cast, counters, django_assert_num_queries):
    from civility.orgs.pickers import search_units

    # The user's scope, the units found, the parents of all of them: whatever is found.
    with django_assert_num_queries(3):
        found = search_units(cast.city_coordinator, "quay")
    assert len(found) == 2
