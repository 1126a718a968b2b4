"""Cultural titles: rules per province, the yearly cycle, counts, consecutive years, targets."""

from __future__ import annotations

import datetime
from decimal import Decimal as D

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from civility.orgs.models import UnitKind
from civility.programmes import figures
from civility.programmes.actions import (
    create_indicator,
    load_title_rules,
    open_cycle,
    record_cycle_step,
    send_cycle_reminders,
    set_target,
    set_title_count,
    update_title_rule,
)
from civility.programmes.models import (
    Aggregation,
    CulturalTitle,
    CycleReminder,
    CycleStage,
    Recognition,
    TitleRule,
)
from tests.factories import make_unit


@pytest.fixture
def rules(cast):
    return {
        rule.title: rule for rule in load_title_rules(actor=cast.city_coordinator, unit=cast.city)
    }


def recognise(rule, unit, year, code=""):
    return Recognition.objects.create(
        rule=rule, title=rule.title, year=year, unit=unit, household_code=code
    )


def test_loading_decree_86_sets_four_titles_with_checklists_and_authorities(rules):
    assert set(rules) == set(CulturalTitle.values)
    family = rules[CulturalTitle.FAMILY]
    assert family.deciding_authority == "commune_chairman"
    assert rules[CulturalTitle.EXEMPLARY_COMMUNE].deciding_authority == "province_chairman"
    assert rules[CulturalTitle.VILLAGE].deciding_authority == "other"
    assert family.criteria.values("group").distinct().count() == 3
    assert family.evaluation_deadline(2025) == datetime.date(2025, 11, 24)


def test_the_deciding_authority_is_a_setting(cast, rules):
    rule = rules[CulturalTitle.RESIDENTIAL_GROUP]
    update_title_rule(
        actor=cast.city_coordinator,
        rule=rule,
        deciding_authority="commune_chairman",
        authority_note="Theo quyết định của UBND Thành phố",
    )
    rule.refresh_from_db()
    assert rule.get_deciding_authority_display().startswith("Chairman of the commune")


def test_the_cycle_dates_follow_the_rule(cast, rules):
    cycle = open_cycle(actor=cast.city_coordinator, rule=rules[CulturalTitle.FAMILY], year=2025)
    assert cycle.stage() == CycleStage.EVALUATING
    record_cycle_step(
        actor=cast.city_coordinator,
        cycle=cycle,
        step="evaluation_closed_on",
        on=datetime.date(2025, 11, 20),
    )
    record_cycle_step(
        actor=cast.city_coordinator,
        cycle=cycle,
        step="list_posted_on",
        on=datetime.date(2025, 11, 21),
    )
    assert cycle.comment_ends == datetime.date(2025, 12, 1)
    assert cycle.decision_due == datetime.date(2025, 12, 11)
    with pytest.raises(ValidationError, match="comment period"):
        record_cycle_step(
            actor=cast.city_coordinator,
            cycle=cycle,
            step="decided_on",
            on=datetime.date(2025, 11, 25),
        )
    record_cycle_step(
        actor=cast.city_coordinator,
        cycle=cycle,
        step="decided_on",
        on=datetime.date(2025, 12, 5),
        decision_no="125/QĐ-UBND",
    )
    assert cycle.publication_due == datetime.date(2025, 12, 20)
    assert cycle.stage() == CycleStage.AWAITING_PUBLICATION


def test_cycle_reminders_go_to_coordinators_before_the_evaluation_closes(cast, rules):
    cast.city_coordinator.email = "vh@hanoi.gov.vn"
    cast.city_coordinator.save()
    open_cycle(actor=cast.city_coordinator, rule=rules[CulturalTitle.FAMILY], year=2025)
    assert send_cycle_reminders(today=datetime.date(2025, 11, 10)) == 1  # 14 days before
    assert send_cycle_reminders(today=datetime.date(2025, 11, 10)) == 0  # once a day
    assert send_cycle_reminders(today=datetime.date(2025, 11, 12)) == 0
    assert send_cycle_reminders(today=datetime.date(2025, 11, 26)) == 1  # late
    assert mail.outbox[0].to == ["vh@hanoi.gov.vn"]
    assert CycleReminder.objects.count() == 2


def test_recognised_and_maintained_are_counted_from_the_records(cast, rules):
    rule = rules[CulturalTitle.RESIDENTIAL_GROUP]
    groups = [
        make_unit(f"TDP {n}", parent=cast.a.ward, kind=UnitKind.RESIDENTIAL_GROUP) for n in range(4)
    ]
    for year in (2023, 2024, 2025):
        recognise(rule, groups[0], year)
    recognise(rule, groups[1], 2024)
    recognise(rule, groups[1], 2025)
    recognise(rule, groups[2], 2023)
    recognise(rule, groups[2], 2025)  # broke the streak in 2024
    result = figures.title_figures(CulturalTitle.RESIDENTIAL_GROUP, 2025, cast.a.ward, rule=rule)
    assert result.eligible == 4  # the residential groups under the ward
    assert (result.recognised, result.maintained, result.maintained_3_years) == (3, 2, 1)
    assert result.percent_recognised == D("75.0")


def test_family_figures_against_the_allocated_target(cast, rules):
    rule = rules[CulturalTitle.FAMILY]
    recognised = create_indicator(
        actor=cast.city_coordinator,
        unit=cast.city,
        code="gdvh",
        name="Hộ GĐVH",
        measure="hộ",
        aggregation=Aggregation.SUM,
    )
    households = create_indicator(
        actor=cast.city_coordinator,
        unit=cast.city,
        code="ho",
        name="Tổng số hộ",
        measure="hộ",
        aggregation=Aggregation.LATEST,
    )
    rate = create_indicator(
        actor=cast.city_coordinator,
        unit=cast.city,
        code="ty-le-gdvh",
        name="Tỷ lệ GĐVH",
        measure="%",
        aggregation=Aggregation.RATIO,
        numerator=recognised,
        denominator=households,
    )
    update_title_rule(actor=cast.city_coordinator, rule=rule, target_indicator=rate)
    set_target(
        actor=cast.city_coordinator, indicator=rate, unit=cast.a.ward, year=2025, value=D(86)
    )
    set_title_count(
        actor=cast.a.head, title="family", year=2025, unit=cast.a.ward, eligible=10, assessed=9
    )
    group = make_unit("TDP 1", parent=cast.a.ward, kind=UnitKind.RESIDENTIAL_GROUP)
    for n in range(8):
        recognise(rule, group, 2025, code=f"H{n}")
    result = figures.title_figures(
        "family", 2025, cast.a.ward, rule=TitleRule.objects.get(pk=rule.pk)
    )
    assert (result.eligible, result.assessed, result.recognised) == (10, 9, 8)
    assert result.percent_recognised == D("80.0") and result.target_percent == D(86)
    assert result.gap == D("6.0") and result.meets_target is False


def test_the_titles_page_shows_the_figures_by_unit(client, cast, rules):
    group = make_unit("TDP 1", parent=cast.a.ward, kind=UnitKind.RESIDENTIAL_GROUP)
    recognise(rules["residential_group"], group, 2025)
    client.force_login(cast.city_coordinator)
    response = client.get(
        reverse("programmes:title_overview"),
        {"unit": cast.city.pk, "title": "residential_group", "year": 2025},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Phường Tây Hồ" in page and "100%" in page
    response = client.get(reverse("programmes:title_rule_detail", args=[rules["family"].pk]))
    assert "Chairman of the commune-level" in response.content.decode()


def test_the_demo_loads_twice_without_duplicates(db):
    from civility.orgs.demo import load_demo_data
    from civility.programmes.demo import load_programmes_demo
    from civility.programmes.models import Programme, Task

    load_demo_data(password="Demo-pass-2026!")
    first = load_programmes_demo()
    assert first["tasks"] >= 20 and first["recognitions"] > 0
    assert load_programmes_demo() == {
        "programmes": 0,
        "tasks": 0,
        "indicators": 0,
        "recognitions": 0,
    }
    plan = Programme.objects.get(number="176/KH-UBND")
    done = figures.task_figures(Task.objects.filter(programme=plan, parent__isnull=True))
    assert (done.done, done.total) == (15, 20)
