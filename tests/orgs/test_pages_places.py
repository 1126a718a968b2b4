"""The public places list: scoped, filtered by kind, searchable without diacritics."""

import pytest
from django.urls import reverse

from civility.orgs.models import PlaceKind
from tests.factories import make_place


@pytest.fixture
def places(cast):
    make_place("Chợ Quảng Bá", unit=cast.a.ward, kind=PlaceKind.MARKET)
    make_place("Phủ Tây Hồ", unit=cast.a.ward, kind=PlaceKind.RELIC_SITE)
    make_place("Chợ Long Biên", unit=cast.b.ward, kind=PlaceKind.MARKET)


def names_in(response) -> list[str]:
    return [place.name for place in response.context["listing"].page.object_list]


def test_places_of_the_sibling_ward_never_appear(client, cast, places):
    client.force_login(cast.a.head)

    response = client.get(reverse("orgs:place_list"))
    searched = client.get(reverse("orgs:place_list"), {"q": "long bien"})

    assert names_in(response) == ["Chợ Quảng Bá", "Phủ Tây Hồ"]
    assert names_in(searched) == []


def test_places_filter_by_kind_and_search_without_diacritics(client, cast, places):
    client.force_login(cast.city_coordinator)
    url = reverse("orgs:place_list")

    assert names_in(client.get(url, {"kind": PlaceKind.MARKET})) == [
        "Chợ Long Biên",
        "Chợ Quảng Bá",
    ]
    assert names_in(client.get(url, {"q": "phu tay ho"})) == ["Phủ Tây Hồ"]


def test_htmx_place_search_returns_the_results_partial(client, cast, places):
    client.force_login(cast.a.head)

    response = client.get(reverse("orgs:place_list"), {"q": "cho"}, headers={"HX-Request": "true"})

    body = response.content.decode()
    assert body.lstrip().startswith('<div id="results"')
    assert "Chợ Quảng Bá" in body
