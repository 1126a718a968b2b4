"""Every codes page renders for the people who use it, and hides what is out of scope."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from civility.codes.actions import record_activity, start_campaign
from civility.orgs.models import UnitKind
from tests.factories import make_place, make_unit


@pytest.fixture
def world(cast, codes):
    make_unit("Bộ phận Một cửa", parent=cast.a.ward, kind=UnitKind.COUNTER)
    make_place("Chợ Quảng An", unit=cast.a.ward)
    start_campaign(
        actor=cast.a.coordinator,
        version=codes.officials.published_version(),
        unit=cast.a.ward,
        deadline=timezone.localdate() + datetime.timedelta(days=5),
    )
    record_activity(
        actor=cast.a.head,
        unit=cast.a.ward,
        kind="meeting",
        target_groups=["officials"],
        held_on=timezone.localdate(),
        reached=12,
    )
    return codes


@pytest.mark.parametrize(
    "url",
    [
        "/codes/",
        "/codes/{code}/",
        "/codes/versions/{version}/",
        "/codes/versions/{version}/markdown/",
        "/codes/campaigns/",
        "/codes/campaigns/new/",
        "/codes/commitments/",
        "/codes/dissemination/",
        "/codes/dissemination/new/",
        "/codes/dissemination/summary/",
        "/codes/boards/",
    ],
)
def test_coordinator_pages_render(client, cast, world, url):
    code = world.officials
    client.force_login(cast.a.coordinator)
    response = client.get(url.format(code=code.pk, version=code.published_version().pk))
    assert response.status_code == 200


def test_markdown_export_can_be_imported_back(client, cast, world):
    from civility.codes.documents import parse_markdown

    version = world.officials.published_version()
    client.force_login(cast.a.coordinator)
    text = client.get(f"/codes/versions/{version.pk}/markdown/").content.decode()
    parsed = parse_markdown(text)
    assert parsed.article_count() == 11
    assert parsed.chapters[1].articles[0].clauses[2].kind == "must_not"


def test_city_coordinator_can_load_the_shipped_codes_from_the_page(client, cast):
    client.force_login(cast.city_coordinator)
    assert "Load the codes of conduct of Hanoi" in client.get("/codes/").content.decode()
    client.post("/codes/seed/", {"unit": cast.city.pk})
    assert cast.city.codes.count() == 2


def test_pages_need_a_login(client, world):
    response = client.get("/codes/")
    assert response.status_code == 302 and "/accounts/login/" in response.url
