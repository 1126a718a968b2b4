"""A campaign, an activity and a paper signature name the units and people of their own
dates: a former ward for a campaign of 2022 (offered by the picker and accepted by the form),
never for a campaign of today (refused, naming the field)."""

from __future__ import annotations

import datetime
from urllib.parse import parse_qs

import pytest
import time_machine
from django.urls import reverse

from civility.codes.models import CommitmentCampaign
from civility.orgs.models import UnitKind
from civility.orgs.pickers import narrowing_token
from civility.orgs.scopes import Role
from tests.factories import make_official, make_unit

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 12, 5, 3, 0, tzinfo=datetime.UTC)
ENDED = datetime.date(2025, 6, 30)


@pytest.fixture
def nhat_tan(cast):
    return make_unit("Phường Nhật Tân", parent=cast.city, kind=UnitKind.WARD, valid_to=ENDED)


def _campaign(client, cast, codes, unit, **fields):
    client.force_login(cast.city_coordinator)
    return client.post(
        reverse("codes:campaign_create"),
        {
            "version": codes.officials.versions.get().pk,
            "unit": unit.pk,
            "title": "Ký cam kết",
            "deadline": "2026-12-31",
            **fields,
        },
    )


def _offered(client, widget, q, **params) -> list[str]:
    url, _, query = widget.search_url().partition("?")
    response = client.get(url, {**parse_qs(query), "q": q, **params})
    assert response.status_code == 200
    return [row["text"] for row in response.json()["results"]]


@time_machine.travel(NOW, tick=False)
def test_a_2022_campaign_offers_and_accepts_a_former_ward(client, cast, codes, nhat_tan):
    from civility.codes.forms import CampaignForm

    widget = CampaignForm(user=cast.city_coordinator).fields["unit"].widget
    client.force_login(cast.city_coordinator)
    assert 'data-as-of-field="starts_on"' in widget.render("unit", None)
    assert _offered(client, widget, "nhat tan", as_of="2022-03-01") == ["Phường Nhật Tân"]
    assert _offered(client, widget, "nhat tan") == []

    response = _campaign(
        client,
        cast,
        codes,
        nhat_tan,
        historical="on",
        starts_on="2022-03-01",
        deadline="2022-06-30",
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert CommitmentCampaign.objects.get().unit == nhat_tan


@time_machine.travel(NOW, tick=False)
def test_a_campaign_of_today_refuses_a_former_ward_naming_the_field(client, cast, codes, nhat_tan):
    response = _campaign(client, cast, codes, nhat_tan)

    assert response.status_code == 200
    (message,) = response.context["form"].errors["unit"]
    assert message.startswith("Unit: Phường Nhật Tân did not exist on ")
    assert not CommitmentCampaign.objects.exists()
    # Nor for a historical campaign opened after the ward ended.
    response = _campaign(
        client,
        cast,
        codes,
        nhat_tan,
        historical="on",
        starts_on="2025-09-01",
        deadline="2025-12-31",
    )
    assert "did not exist on" in response.context["form"].errors["unit"][0]


@time_machine.travel(NOW, tick=False)
def test_an_activity_of_2024_may_be_a_former_wards_and_one_of_today_may_not(cast, nhat_tan):
    from civility.codes.forms import ActivityForm

    def unit_errors(day):
        form = ActivityForm(
            {
                "kind": "meeting",
                "unit": nhat_tan.pk,
                "held_on": day,
                "target_groups": ["officials"],
                "reached": 10,
            },
            user=cast.city_coordinator,
        )
        form.is_valid()
        return form.errors.get("unit", [])

    assert unit_errors("2024-05-01") == []
    assert "did not exist on" in unit_errors("2026-12-01")[0]


@time_machine.travel(NOW, tick=False)
def test_a_historical_campaign_offers_officials_who_have_left_since_it_opened(client, cast, codes):
    from civility.codes.actions import start_campaign

    make_official("Trần Thị Hạnh", unit=cast.a.department, left_on=datetime.date(2024, 1, 31))
    make_official("Lê Văn Minh", unit=cast.a.department, left_on=datetime.date(2021, 1, 31))
    campaign = start_campaign(
        actor=cast.city_coordinator,
        version=codes.officials.versions.get(),
        unit=cast.a.ward,
        deadline=datetime.date(2022, 6, 30),
        historical=True,
        starts_on=datetime.date(2022, 3, 1),
    )
    client.force_login(cast.a.head)
    page = client.get(reverse("codes:campaign_paper", args=[campaign.pk]))
    widget = page.context["form"].fields["official"].widget
    names = _offered(client, widget, "")
    assert "Trần Thị Hạnh" in names and "Lê Văn Minh" not in names
    # A picker of today still leaves them out.
    today = client.get(
        reverse("orgs:person_search"), {"q": "", "n": narrowing_token({"role": [Role.UNIT_HEAD]})}
    ).json()["results"]
    assert "Trần Thị Hạnh" not in [row["text"] for row in today]
