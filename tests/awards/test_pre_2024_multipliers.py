"""No text we have gives the bonus multipliers of the pre-2024 catalogue (Decree 91/2017's were
not found): they ship empty, every page and document says "to be confirmed" plainly, and no
bonus is ever computed from an empty multiplier."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from civility.awards import actions
from civility.awards.bonuses import BonusRule
from civility.awards.models import AwardTitle

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 12, 5, 10, 0), tick=False):
        yield


@pytest.fixture
def decision_of_2023(cast, catalogue):
    return actions.record_earlier_decision(
        actor=cast.admin,
        unit=cast.city,
        number="88/QĐ-UBND",
        decided_on=datetime.date(2023, 12, 20),
        issuer="Chủ tịch UBND Thành phố",
        year=2023,
        awards=[
            actions.PastAward("advanced-worker", official=cast.a.official),
            actions.PastAward("advanced-collective", unit=cast.a.ward),
        ],
    )


def test_the_pre_2024_catalogue_ships_no_multiplier(cast, catalogue):
    old = AwardTitle.objects.filter(rule_set="law-2003")
    assert old.exists()
    assert not old.filter(multiplier__isnull=False).exists()
    assert not old.exclude(multiplier_source="").exists()


def test_no_bonus_is_computed_from_an_empty_multiplier(cast, decision_of_2023):
    rule = BonusRule.on(datetime.date(2023, 12, 20), unit=cast.city)
    assert rule.base_amount == Decimal("1800000")
    assert rule.amount(None) is None
    assert all(award.multiplier is None for award in decision_of_2023.awards.all())
    assert all(award.bonus is None for award in decision_of_2023.awards.all())
    assert decision_of_2023.total_bonus() is None


def test_the_decision_page_says_to_be_confirmed_and_not_computed(client, cast, decision_of_2023):
    client.force_login(cast.city_coordinator)
    page = client.get(decision_of_2023.get_absolute_url()).content.decode()

    rows = page[page.index("<tbody>") : page.index("</tfoot>")]
    assert rows.count("to be confirmed") == 2 and rows.count("not computed") == 3
    assert 'id="bonus-to-be-confirmed"' in page
    assert "540.000" not in page and "540,000" not in page  # 0.3 × 1,800,000 never shown


def test_the_award_page_says_the_multiplier_is_to_be_confirmed(client, cast, decision_of_2023):
    client.force_login(cast.city_coordinator)
    award = decision_of_2023.awards.get(official=cast.a.official)
    page = client.get(reverse("awards:award_detail", args=[award.pk])).content.decode()
    assert "not computed" in page and "to be confirmed" in page


def test_the_titles_pages_say_to_be_confirmed_for_the_pre_2024_versions(client, cast, catalogue):
    client.force_login(cast.city_coordinator)
    old = AwardTitle.objects.get(key="advanced-worker", rule_set="law-2003")
    page = client.get(old.get_absolute_url()).content.decode()
    multiplier = page[page.index('id="multiplier"') :]
    assert multiplier[: multiplier.index("</dd>")].count("to be confirmed") == 1

    current = AwardTitle.objects.get(key="advanced-worker", valid_to__isnull=True)
    page = client.get(current.get_absolute_url()).content.decode()
    multiplier = page[page.index('id="multiplier"') :]
    assert "0.3" in multiplier[: multiplier.index("</dd>")]


def test_the_decision_spreadsheet_says_to_be_confirmed(client, cast, decision_of_2023):
    client.force_login(cast.city_coordinator)
    response = client.get(reverse("awards:decision_xlsx", args=[decision_of_2023.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert values.count("to be confirmed") == 2
    assert values.count("not computed") == 3  # two bonuses and the total
