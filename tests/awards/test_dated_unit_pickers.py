"""Good models, earlier decisions and count-only tallies name the units of their own dates:
a former ward for a record of 2022, offered and accepted; refused for a record of today,
with a message naming the field."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from civility.awards.models import AwardDecision, GoodModel
from civility.orgs.models import UnitKind
from tests.factories import make_unit

pytestmark = pytest.mark.django_db
ENDED = datetime.date(2025, 6, 30)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 12, 5, 10, 0), tick=False):
        yield


@pytest.fixture
def nhat_tan(cast):
    return make_unit("Phường Nhật Tân", parent=cast.city, kind=UnitKind.WARD, valid_to=ENDED)


def _model(client, cast, unit, started_on):
    client.force_login(cast.city_coordinator)
    return client.post(
        reverse("awards:model_create"),
        {
            "kind": "model",
            "category": "green_office",
            "unit": unit.pk,
            "name": "Công sở xanh",
            "started_on": started_on,
        },
    )


def test_a_good_model_of_2022_may_belong_to_a_former_ward(client, cast, nhat_tan):
    client.force_login(cast.city_coordinator)
    page = client.get(reverse("awards:model_create")).content.decode()
    assert 'data-as-of-field="started_on"' in page

    response = _model(client, cast, nhat_tan, "2022-04-01")

    assert response.status_code == 302
    assert GoodModel.objects.get().unit == nhat_tan


def test_a_good_model_started_today_refuses_a_former_ward_naming_the_field(client, cast, nhat_tan):
    response = _model(client, cast, nhat_tan, "2026-12-01")

    assert response.status_code == 200
    (message,) = response.context["form"].errors["unit"]
    assert message.startswith("Owning unit: Phường Nhật Tân did not exist on ")
    assert not GoodModel.objects.exists()


def test_an_earlier_decision_dates_its_pickers_and_names_the_recipients_field(
    client, cast, catalogue, nhat_tan
):
    client.force_login(cast.city_coordinator)
    page = client.get(reverse("awards:past_decision_create")).content.decode()
    assert page.count('data-as-of-field="decided_on"') == 3  # issuer, collectives, people

    response = client.post(
        reverse("awards:past_decision_create"),
        {
            "unit": cast.city.pk,
            "number": "7/QĐ-UBND",
            "decided_on": "2025-10-01",
            "issuer": "Chủ tịch UBND Thành phố",
            "collective_title": "advanced-collective",
            "units": [nhat_tan.pk],
        },
    )

    assert response.status_code == 200
    (message,) = response.context["form"].errors["units"]
    assert message.startswith("Collectives commended: Phường Nhật Tân did not exist on ")
    assert not AwardDecision.objects.exists()


def test_the_tally_picker_offers_the_units_of_the_year_typed(client, cast, nhat_tan):
    client.force_login(cast.city_coordinator)
    page = client.get(reverse("awards:tally_list")).content.decode()
    assert 'data-as-of-field="year"' in page
