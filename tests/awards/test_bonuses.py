"""Bonus money: multiplier × the base salary in force on the decision date, rounded up to the
tens of thousands of đồng (Decree 98/2023 Art. 53–54), and the base salaries kept as rows by
system administrators."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from civility.awards import actions
from civility.awards.bonuses import BonusRule, round_up_to_ten_thousand
from civility.awards.models import AwardTitle, BaseSalary
from civility.awards.policies import BONUS_ROUNDING_DECREE_152
from civility.core.models import AuditEvent
from civility.orgs.actions import set_policy
from civility.orgs.scopes import Role
from tests.awards.conftest import YEAR
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_bonus_rounds_up_to_ten_thousand_dong_decree_98_art_53(cast, catalogue):
    rule = BonusRule.on(datetime.date(2025, 3, 1), unit=cast.a.ward)  # under Decree 98/2023
    assert rule.base_amount == Decimal("2340000")
    assert rule.amount(Decimal("0.3")) == Decimal("710000")  # 702,000 rounded up
    assert rule.amount(Decimal("0.8")) == Decimal("1880000")  # 1,872,000 rounded up
    assert rule.amount(Decimal("1.5")) == Decimal("3510000")  # already a multiple
    assert "Nghị định 98/2023/NĐ-CP, Điều 53 khoản 1–2" in rule.explain()
    assert not rule.to_be_confirmed


def test_rounding_is_upwards_even_by_one_dong():
    assert round_up_to_ten_thousand(Decimal("700001")) == Decimal("710000")
    assert round_up_to_ten_thousand(Decimal("700000")) == Decimal("700000")


def test_rounding_under_decree_152_is_a_setting_kept_by_default_and_to_be_confirmed(
    cast, catalogue
):
    day = datetime.date(2025, 9, 1)
    rule = BonusRule.on(day, unit=cast.a.ward)
    assert rule.amount(Decimal("0.3")) == Decimal("710000")
    assert rule.to_be_confirmed and "to be confirmed" in rule.explain()
    assert str(BONUS_ROUNDING_DECREE_152.label) in rule.explain()
    set_policy(
        actor=cast.city_coordinator,
        unit=cast.city,
        key=BONUS_ROUNDING_DECREE_152.key,
        value=False,
        valid_from=datetime.date(2025, 7, 1),
        source="Công văn 12/BTĐKT",
    )
    rule = BonusRule.on(day, unit=cast.a.ward)
    assert rule.amount(Decimal("0.3")) == Decimal("702000")
    assert not rule.to_be_confirmed and "Công văn 12/BTĐKT" in rule.explain()
    # A decision under Decree 98/2023 rounds whatever the setting says: the decree decides.
    assert BonusRule.on(datetime.date(2025, 6, 30), unit=cast.a.ward).amount(
        Decimal("0.3")
    ) == Decimal("710000")


def test_decision_of_march_2023_uses_base_salary_1_49_million(cast, catalogue):
    # The pre-2024 catalogue ships no multiplier (Decree 91/2017's was not in the sources):
    # the province sets the one it paid.
    AwardTitle.objects.filter(key="advanced-worker", rule_set="law-2003").update(
        multiplier=Decimal("0.3")
    )
    decision = actions.record_earlier_decision(
        actor=cast.admin,
        unit=cast.city,
        number="15/QĐ-UBND",
        decided_on=datetime.date(2023, 3, 15),
        issuer="Chủ tịch UBND",
        year=2022,
        awards=[actions.PastAward("advanced-worker", official=cast.a.official)],
    )
    assert decision.base_salary == Decimal("1490000")
    assert decision.base_salary_record.legal_basis == "Nghị định 38/2019/NĐ-CP"
    # 0.3 × 1,490,000 = 447,000, rounded up as Decree 91/2017 Art. 68 already did.
    assert decision.awards.get().bonus == Decimal("450000")
    assert "Nghị định 91/2017/NĐ-CP, Điều 68" in decision.bonus_rule


def test_decision_of_july_2023_uses_base_salary_1_8_million(cast, catalogue):
    assert BonusRule.on(datetime.date(2023, 7, 1), unit=cast.city).base_amount == 1800000
    assert BonusRule.on(datetime.date(2023, 6, 30), unit=cast.city).base_amount == 1490000


@time_machine.travel(datetime.datetime(2026, 8, 20, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_decision_since_july_2026_uses_2_53_million_to_be_confirmed_decree_161_2026(
    client, cast, recommended, board_a
):
    decision = actions.record_decision(
        actor=board_a,
        unit=cast.a.ward,
        number="30/QĐ-UBND",
        decided_on=datetime.date(2026, 8, 10),
        issuer="Chủ tịch UBND phường",
        nominations=[recommended()],
    )
    assert decision.base_salary == Decimal("2530000")
    assert decision.base_salary_record.to_be_confirmed
    assert decision.awards.get().bonus == Decimal("760000")  # 759,000 rounded up
    client.force_login(board_a)
    page = client.get(decision.get_absolute_url()).content.decode()
    assert "Nghị định 161/2026/NĐ-CP" in page and "to be confirmed" in page


def test_decision_page_shows_how_bonuses_were_computed(client, cast, recommended, board_a):
    decision = actions.record_decision(
        actor=board_a,
        unit=cast.a.ward,
        number="31/QĐ-UBND",
        decided_on=datetime.date(2025, 3, 10),
        issuer="Chủ tịch UBND phường",
        nominations=[recommended()],
    )
    client.force_login(board_a)
    page = client.get(decision.get_absolute_url()).content.decode()
    assert "Nghị định 73/2024/NĐ-CP" in page
    assert "Nghị định 98/2023/NĐ-CP, Điều 53 khoản 1–2" in page
    assert decision.year == YEAR


# --- The base salary page --------------------------------------------------------------------


@pytest.fixture
def system_admin(cast):
    return make_user("national_admin", is_superuser=True)


def test_base_salaries_are_listed_with_their_source_and_confirmation(client, cast, catalogue):
    client.force_login(cast.a.head)
    page = client.get(reverse("awards:base_salary_list")).content.decode()
    for source in ("Nghị định 38/2019/NĐ-CP", "Nghị định 24/2023/NĐ-CP", "Nghị định 73/2024/NĐ-CP"):
        assert source in page
    assert "Nghị định 161/2026/NĐ-CP" in page and "to be confirmed" in page
    assert "Add a base salary" not in page


def test_a_superuser_adds_a_base_salary_and_it_is_audited(client, system_admin):
    client.force_login(system_admin)
    response = client.post(
        reverse("awards:base_salary_list"),
        {"valid_from": "2027-07-01", "amount": "2700000", "legal_basis": "Nghị định 1/2027"},
    )
    assert response.status_code == 302
    salary = BaseSalary.objects.get(valid_from=datetime.date(2027, 7, 1))
    assert salary.amount == 2700000 and not salary.to_be_confirmed
    assert AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(BaseSalary),
        object_pk=str(salary.pk),
        actor=system_admin,
    ).exists()
    response = client.post(
        reverse("awards:base_salary_edit", args=[salary.pk]),
        {
            "valid_from": "2027-07-01",
            "amount": "2650000",
            "legal_basis": "Nghị định 1/2027",
            "to_be_confirmed": "on",
        },
    )
    assert response.status_code == 302
    salary.refresh_from_db()
    assert salary.amount == 2650000 and salary.to_be_confirmed


def test_a_base_salary_must_be_positive_and_one_per_start_date(client, catalogue, system_admin):
    client.force_login(system_admin)
    url = reverse("awards:base_salary_list")
    response = client.post(
        url, {"valid_from": "2027-07-01", "amount": "0", "legal_basis": "Nghị định 1/2027"}
    )
    assert response.status_code == 400
    assert "The amount must be more than 0." in response.content.decode()
    response = client.post(
        url, {"valid_from": "2024-07-01", "amount": "2400000", "legal_basis": "Nghị định X"}
    )
    assert response.status_code == 400
    assert "A base salary already starts on this date." in response.content.decode()
    assert BaseSalary.objects.get(valid_from=datetime.date(2024, 7, 1)).amount == 2340000


def test_a_provinces_system_administrator_cannot_change_national_base_salaries(
    client, cast, catalogue
):
    client.force_login(make_user("sysadmin", roles={Role.SYSTEM_ADMIN: cast.city}))
    salary = BaseSalary.objects.order_by("valid_from").first()

    assert client.get(reverse("awards:base_salary_edit", args=[salary.pk])).status_code == 403


def test_coordinators_read_but_do_not_change_base_salaries(client, cast, catalogue):
    client.force_login(cast.city_coordinator)
    response = client.post(
        reverse("awards:base_salary_list"),
        {"valid_from": "2027-07-01", "amount": "2700000", "legal_basis": "Nghị định 1/2027"},
    )
    assert response.status_code == 403
    salary = BaseSalary.objects.get(valid_from=datetime.date(2024, 7, 1))
    assert client.get(reverse("awards:base_salary_edit", args=[salary.pk])).status_code == 403
    assert not BaseSalary.objects.filter(valid_from=datetime.date(2027, 7, 1)).exists()
