"""Rule sets by province and staff category: each official's monthly evaluation is scored
under the rule set that applies to them (Hà Nội's 3814-QĐ/TU: all staff of Hà Nội; Decree
335/2025: civil servants nationwide from 2026), a province setting where both apply, and
no score where none does. Sơn La (province code 14) stands for a province without its own."""

from __future__ import annotations

import dataclasses
import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from civility.evaluations import actions, policies
from civility.evaluations.models import Evaluation, Step
from civility.evaluations.rules import DECREE_335_ANNUAL, annual_rule_set_for
from civility.orgs.actions import set_policy
from civility.orgs.models import StaffCategory, UnitKind
from civility.orgs.scopes import Role
from tests.factories import make_official, make_unit, make_user

pytestmark = pytest.mark.django_db
MARCH_2026 = datetime.date(2026, 3, 1)


@pytest.fixture
def son_la(db):
    province = make_unit("Tỉnh Sơn La", kind=UnitKind.PROVINCE, code="14", name_en="Son La")
    ward = make_unit("Phường Tô Hiệu", parent=province, kind=UnitKind.WARD, code="03646")
    return {
        "province": province,
        "ward": ward,
        "coordinator": make_user("coordinator_sl", roles={Role.COORDINATOR: province}),
        "civil_servant": make_official("Lò Văn Công", unit=ward),
        "public_employee": make_official(
            "Cầm Thị Viên", unit=ward, staff_category=StaffCategory.PUBLIC_EMPLOYEE
        ),
    }


def _staff(cast):
    """A cadre, a public employee and a worker beside the ward office's civil servants."""
    return {
        category: make_official(
            f"Người {category}", unit=cast.a.department, staff_category=category
        )
        for category in (StaffCategory.CADRE, StaffCategory.PUBLIC_EMPLOYEE, StaffCategory.WORKER)
    }


def test_decree_335_does_not_score_public_employees_art_1(son_la):
    period = actions.open_period(
        actor=son_la["coordinator"], unit=son_la["province"], month=MARCH_2026
    )
    employee = period.evaluations.get(official=son_la["public_employee"])
    assert (employee.rule_set, employee.step) == ("", Step.NOT_SCORED)
    servant = period.evaluations.get(official=son_la["civil_servant"])
    assert (servant.rule_set, servant.step) == ("decree-335-2025", Step.SELF)


def test_3814_applies_only_in_hanoi(cast, son_la):
    december = datetime.date(2025, 12, 1)
    in_son_la = actions.open_period(
        actor=son_la["coordinator"], unit=son_la["province"], month=december
    )
    assert set(in_son_la.evaluations.values_list("rule_set", flat=True)) == {""}
    in_hanoi = actions.open_period(actor=cast.city_coordinator, unit=cast.city, month=december)
    assert set(in_hanoi.evaluations.values_list("rule_set", flat=True)) == {"hanoi-3814-2018"}


def test_each_official_of_a_hanoi_ward_is_scored_under_their_own_rule_set_in_2026(cast, people):
    """The ward's cadres, public employees and workers stay on 3814's scale; only its civil
    servants move to Decree 335's (Art. 1)."""
    staff = _staff(cast)
    period = actions.open_period(actor=cast.city_coordinator, unit=cast.a.ward, month=MARCH_2026)
    rule_sets = dict(period.evaluations.values_list("official_id", "rule_set"))
    assert rule_sets[cast.a.official.pk] == "decree-335-2025"
    assert {rule_sets[official.pk] for official in staff.values()} == {"hanoi-3814-2018"}


def test_where_both_apply_decree_335_is_the_default_with_its_source_art_1(cast, people):
    period = actions.open_period(actor=cast.city_coordinator, unit=cast.a.ward, month=MARCH_2026)
    evaluation = period.evaluations.get(official=cast.a.official)
    assert evaluation.rule_choice["code"] == "monthly_rule_overlap"
    assert evaluation.rule_choice["policies"][0]["source"] == "335/2025/NĐ-CP Art. 1"


def test_hanoi_may_choose_3814_for_its_civil_servants_without_it_reaching_son_la(
    cast, people, son_la
):
    set_policy(
        actor=cast.city_coordinator,
        unit=cast.city,
        key=policies.MONTHLY_RULE_SET_OVERLAP.key,
        value=policies.PROVINCIAL,
        valid_from=datetime.date(2026, 1, 1),
        source="Văn bản thử của Thành ủy",
    )
    hanoi = actions.open_period(actor=cast.city_coordinator, unit=cast.a.ward, month=MARCH_2026)
    assert hanoi.evaluations.get(official=cast.a.official).rule_set == "hanoi-3814-2018"
    son_la_period = actions.open_period(
        actor=son_la["coordinator"], unit=son_la["ward"], month=MARCH_2026
    )
    servant = son_la_period.evaluations.get(official=son_la["civil_servant"])
    assert servant.rule_set == "decree-335-2025"
    assert servant.rule_choice["code"] == "monthly_rule_one"


def test_an_official_no_rule_set_applies_to_takes_no_step_and_does_not_hold_the_period(son_la):
    period = actions.open_period(actor=son_la["coordinator"], unit=son_la["ward"], month=MARCH_2026)
    employee = period.evaluations.get(official=son_la["public_employee"])
    employee.official.user = make_user("vien_sl")
    employee.official.save()
    employee.refresh_from_db()
    assert not actions.can_self_assess(employee.official.user, employee)
    with pytest.raises(PermissionDenied):
        actions.save_self_assessment(
            actor=employee.official.user,
            evaluation=employee,
            work_items=[],
            account="",
            self_points={},
        )
    period.evaluations.filter(official=son_la["civil_servant"]).delete()
    actions.close_period(actor=son_la["coordinator"], period=period)


def test_the_period_page_shows_each_officials_rule_set_and_why(client, cast, people):
    _staff(cast)
    period = actions.open_period(actor=cast.city_coordinator, unit=cast.a.ward, month=MARCH_2026)
    client.force_login(cast.a.head)
    page = client.get(reverse("evaluations:period_detail", args=[period.pk])).content.decode()
    assert "National 100-point scale (Decree 335/2025/NĐ-CP)" in page
    assert "Hanoi monthly framework (Decision 3814-QĐ/TU) applies to a cadre" in page
    assert "Decree 335/2025/NĐ-CP, Art. 1" in page
    assert "also applies; the setting below chooses." in page


def test_the_period_page_says_when_no_rule_set_applies(client, son_la):
    period = actions.open_period(actor=son_la["coordinator"], unit=son_la["ward"], month=MARCH_2026)
    client.force_login(son_la["coordinator"])
    page = client.get(reverse("evaluations:period_detail", args=[period.pk])).content.decode()
    assert "No monthly rule set applies to a public employee in Tỉnh Sơn La in 03/2026" in page
    assert "Not scored — to be assessed" in page
    employee = period.evaluations.get(official=son_la["public_employee"])
    detail = client.get(employee.get_absolute_url()).content.decode()
    assert "Not scored — to be assessed" in detail and "Supervisor&#x27;s rating" not in detail


def test_annual_rule_sets_apply_only_in_their_provinces():
    hanoi_only = dataclasses.replace(DECREE_335_ANNUAL, provinces=("01",))
    assert hanoi_only.applies(2026, StaffCategory.CIVIL_SERVANT, "01")
    assert not hanoi_only.applies(2026, StaffCategory.CIVIL_SERVANT, "14")
    assert annual_rule_set_for(2026, StaffCategory.CIVIL_SERVANT, "14") is DECREE_335_ANNUAL


def test_existing_evaluations_keep_the_rule_set_they_were_scored_under(cast, people):
    """Migration 0005: evaluations from before the per-official choice keep their key and
    say it was chosen for the whole period."""
    import importlib

    from django.apps import apps

    period = actions.open_period(actor=cast.city_coordinator, unit=cast.a.ward, month=MARCH_2026)
    Evaluation.objects.filter(period=period).update(
        rule_set="decree-335-2025", agency=cast.city, rule_choice={}
    )
    migration = importlib.import_module(
        "civility.evaluations.migrations.0005_fill_agencies_and_rule_choices"
    )
    migration.fill(apps, None)
    evaluation = Evaluation.objects.get(period=period, official=cast.a.official)
    assert evaluation.rule_set == "decree-335-2025"
    assert evaluation.rule_choice == {
        "code": "period_rule_set",
        "params": {"key": "decree-335-2025"},
    }
    assert evaluation.agency == cast.a.department


def test_the_rule_set_page_gives_each_rule_its_source_or_setting(client, cast):
    client.force_login(cast.a.head)
    page = client.get(reverse("evaluations:rule_set_list")).content.decode()
    assert "In Thành phố Hà Nội" in page and "Nationwide" in page
    assert "Source: Decree 335/2025/NĐ-CP, Art. 1." in page
    assert "Source: Decision 3814-QĐ/TU (article to be confirmed)." in page
    assert "Source: Decree 90/2020/NĐ-CP, Art. 16." in page
    assert (
        "Setting “Rounding of a quota of the top level”: Round down, chosen by Civility&#x27;s "
        "default (ground: to be confirmed)" in page
    )
    assert "Source: to be confirmed." in page


def test_officials_not_scored_are_left_out_of_the_months_figures(son_la):
    from civility.evaluations.figures import month_figures_by_child

    actions.open_period(actor=son_la["coordinator"], unit=son_la["ward"], month=MARCH_2026)
    total, _children = month_figures_by_child(son_la["ward"], MARCH_2026)
    assert total.evaluations == 1  # the civil servant; the public employee is not scored
