"""Money for cultural titles (Decree 98/2023 Art. 54), computed by the awards' one bonus rule
and shown where the titles are shown; none for a cultural family."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from civility.awards.actions import load_award_catalogue
from civility.programmes import figures
from civility.programmes.actions import load_title_rules, open_cycle, record_cycle_step
from civility.programmes.models import CulturalTitle

pytestmark = pytest.mark.django_db


@pytest.fixture
def rules(cast):
    load_award_catalogue(actor=None, unit=cast.city)  # the base salaries
    return {
        rule.title: rule for rule in load_title_rules(actor=cast.city_coordinator, unit=cast.city)
    }


def test_exemplary_commune_gets_twice_the_base_salary_decree_98_art_54(cast, rules):
    bonus = figures.title_bonus(
        CulturalTitle.EXEMPLARY_COMMUNE, unit=cast.city, on=datetime.date(2025, 3, 1)
    )
    assert bonus.multiplier == Decimal("2.0")
    assert bonus.amount == Decimal("4680000")  # 2.0 × 2,340,000
    assert bonus.source == "Nghị định 98/2023/NĐ-CP, Điều 54"


def test_cultural_village_and_residential_group_get_one_and_a_half_decree_98_art_54(cast, rules):
    day = datetime.date(2025, 3, 1)
    for title in (CulturalTitle.VILLAGE, CulturalTitle.RESIDENTIAL_GROUP):
        bonus = figures.title_bonus(title, unit=cast.city, on=day)
        assert (bonus.multiplier, bonus.amount) == (Decimal("1.5"), Decimal("3510000"))


def test_cultural_title_bonus_follows_the_base_salary_of_the_decision_date(cast, rules):
    march_2023 = figures.title_bonus(
        CulturalTitle.VILLAGE, unit=cast.city, on=datetime.date(2023, 3, 1)
    )
    assert march_2023.amount == Decimal("2240000")  # 1.5 × 1,490,000 = 2,235,000 rounded up
    july_2026 = figures.title_bonus(
        CulturalTitle.VILLAGE, unit=cast.city, on=datetime.date(2026, 7, 1)
    )
    assert july_2026.amount == Decimal("3800000")  # 1.5 × 2,530,000 = 3,795,000 rounded up
    assert july_2026.to_be_confirmed


def test_cultural_family_has_no_bonus_set_by_law(client, cast, rules):
    bonus = figures.title_bonus(CulturalTitle.FAMILY, unit=cast.city, on=datetime.date(2025, 3, 1))
    assert bonus.multiplier is None and bonus.amount is None
    client.force_login(cast.city_coordinator)
    page = client.get(
        reverse("programmes:title_overview"), {"unit": cast.city.pk, "title": "family"}
    ).content.decode()
    assert "no bonus set by law" in page


@time_machine.travel(datetime.datetime(2026, 1, 20, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_the_title_pages_show_the_bonus(client, cast, rules):
    client.force_login(cast.city_coordinator)
    overview = client.get(
        reverse("programmes:title_overview"),
        {"unit": cast.city.pk, "title": "exemplary_commune", "year": 2025},
    ).content.decode()
    assert "4,680,000\u00a0đ" in overview and "Nghị định 98/2023/NĐ-CP, Điều 54" in overview
    rule = rules[CulturalTitle.RESIDENTIAL_GROUP]
    assert "3,510,000\u00a0đ" in client.get(rule.get_absolute_url()).content.decode()


def test_the_cycle_shows_the_bonus_at_its_decision_date(client, cast, rules):
    rule = rules[CulturalTitle.VILLAGE]
    cycle = open_cycle(actor=cast.city_coordinator, rule=rule, year=2022)
    record_cycle_step(
        actor=cast.city_coordinator,
        cycle=cycle,
        step="evaluation_closed_on",
        on=datetime.date(2022, 11, 20),
    )
    record_cycle_step(
        actor=cast.city_coordinator,
        cycle=cycle,
        step="list_posted_on",
        on=datetime.date(2022, 11, 25),
    )
    record_cycle_step(
        actor=cast.city_coordinator,
        cycle=cycle,
        step="decided_on",
        on=datetime.date(2023, 3, 1),
        decision_no="12/QĐ-UBND",
    )
    client.force_login(cast.city_coordinator)
    page = client.get(cycle.get_absolute_url()).content.decode()
    assert "2,240,000\u00a0đ" in page  # the base salary of 1 March 2023: 1,490,000
