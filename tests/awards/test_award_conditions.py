"""The conditions of the emulation titles as Law 06/2022/QH15 sets them, with Decree 91/2017's
two unconfirmed exclusions from Advanced Worker kept as settings, and the legal basis each
title cites."""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from civility.awards import actions
from civility.awards.eligibility import Assessor, Status, candidate_units
from civility.awards.models import AwardTitle, Verdict
from civility.awards.policies import (
    ADVANCED_WORKER_DISCIPLINED,
    ADVANCED_WORKER_RECRUITED_UNDER_10_MONTHS,
)
from civility.orgs.actions import set_policy
from civility.orgs.models import UnitKind
from tests.awards.conftest import YEAR, title
from tests.factories import make_unit

pytestmark = pytest.mark.django_db


def assess(official, key="advanced-worker"):
    return Assessor(year=YEAR, officials=[official]).assess(title(key), official=official)


def assess_unit(unit, key):
    return Assessor.for_unit(unit, year=YEAR).assess(title(key), unit=unit)


def line(assessment, condition):
    found = [item for item in assessment.lines if item.condition == condition]
    assert found, f"no {condition} line in {assessment.lines}"
    return found[0]


def conditions(assessment) -> set[str]:
    return {item.condition for item in assessment.lines}


# --- Advanced Worker (Law 06/2022 Art. 24; Decree 91/2017's exclusions as settings) --------


def test_advanced_worker_reprimanded_is_excluded_by_a_setting_to_be_confirmed_decree_91_2017(
    cast, catalogue, classify, discipline
):
    classify(cast.a.official, "good")
    discipline(cast.a.official, form="reprimand")
    result = assess(cast.a.official)
    found = line(result, "discipline")
    assert found.status == Status.NOT_MET
    assert result.verdict == Verdict.NOT_ELIGIBLE
    assert str(ADVANCED_WORKER_DISCIPLINED.label) in found.text
    assert "to be confirmed" in found.text


def test_a_province_may_drop_the_discipline_exclusion_with_its_ground(
    cast, catalogue, classify, discipline
):
    set_policy(
        actor=cast.city_coordinator,
        unit=cast.city,
        key=ADVANCED_WORKER_DISCIPLINED.key,
        value=False,
        valid_from=datetime.date(2025, 1, 1),
        source="Quyết định 5/QĐ-UBND, Điều 3",
    )
    classify(cast.a.official, "good")
    discipline(cast.a.official, form="warning")
    result = assess(cast.a.official)
    found = line(result, "discipline")
    assert found.status == Status.MET
    assert "Quyết định 5/QĐ-UBND, Điều 3" in found.text and "Thành phố Hà Nội" in found.text
    assert result.verdict == Verdict.ELIGIBLE


def test_recruited_under_10_months_is_a_setting_the_board_checks_decree_91_2017(
    cast, catalogue, classify
):
    classify(cast.a.official, "good")
    recruitment = line(assess(cast.a.official), "recruitment")
    assert recruitment.status == Status.TO_CHECK
    assert "10 months" in recruitment.text and "to be confirmed" in recruitment.text
    assert assess(cast.a.official).verdict == Verdict.ELIGIBLE
    set_policy(
        actor=cast.city_coordinator,
        unit=cast.city,
        key=ADVANCED_WORKER_RECRUITED_UNDER_10_MONTHS.key,
        value=False,
        valid_from=datetime.date(2025, 1, 1),
    )
    assert line(assess(cast.a.official), "recruitment").status == Status.MET


def test_the_grassroots_fighter_inherits_the_advanced_worker_exclusions(
    cast, catalogue, classify, discipline
):
    classify(cast.a.official, "excellent")
    discipline(cast.a.official, form="reprimand")
    result = assess(cast.a.official, "grassroots-fighter")
    assert line(result, "prerequisite").status == Status.NOT_MET


def test_advanced_worker_discipline_is_not_a_catalogue_field_but_a_setting(cast, catalogue):
    advanced = title("advanced-worker")
    with pytest.raises(ValidationError) as error:
        actions.revise_title(
            actor=cast.city_coordinator,
            title=advanced,
            valid_from=advanced.valid_from,
            no_discipline_from="warning",
        )
    assert "no_discipline_from" in error.value.message_dict


# --- Excellent Labour Collective (Law 06/2022 Art. 27 cl. 1) --------------------------------


def test_excellent_collective_needs_a_grassroots_emulation_fighter_law_06_2022_art_27(
    cast, catalogue, classify, members
):
    for member in members:
        classify(member, "good")
    result = assess_unit(cast.a.department, "excellent-collective")
    fighter = line(result, "member_at_least_one")
    assert fighter.status == Status.NOT_MET
    assert "Grassroots Emulation Fighter" in fighter.text
    assert result.verdict == Verdict.NOT_ELIGIBLE

    classify(members[4], "excellent")
    result = assess_unit(cast.a.department, "excellent-collective")
    fighter = line(result, "member_at_least_one")
    assert fighter.status == Status.MET and members[4].full_name in fighter.text
    assert result.verdict == Verdict.ELIGIBLE


def test_a_fighter_title_held_by_decision_counts_for_the_excellent_collective(
    cast, catalogue, classify, members, earlier
):
    for member in members:
        classify(member, "good")
    earlier("grassroots-fighter", YEAR, officials=[members[2]])
    fighter = line(assess_unit(cast.a.department, "excellent-collective"), "member_at_least_one")
    assert fighter.status == Status.MET


def test_excellent_collective_has_no_discipline_condition_law_06_2022_art_27(
    cast, catalogue, classify, members, discipline
):
    for member in members:
        classify(member, "good")
    classify(members[0], "excellent")
    discipline(members[5], form="warning")
    result = assess_unit(cast.a.department, "excellent-collective")
    assert "member_discipline" not in conditions(result)
    assert result.verdict == Verdict.ELIGIBLE


# --- Advanced Labour Collective (Law 06/2022 Art. 28) ---------------------------------------


def test_advanced_collective_needs_70_percent_and_no_member_warned_law_06_2022_art_28(
    cast, catalogue, classify, members, discipline
):
    for member in members[:7]:
        classify(member, "good")
    for member in members[7:]:
        classify(member, "completed")
    result = assess_unit(cast.a.department, "advanced-collective")
    assert line(result, "member_share").status == Status.MET
    assert line(result, "member_discipline").status == Status.MET
    discipline(members[8], form="warning")
    result = assess_unit(cast.a.department, "advanced-collective")
    assert line(result, "member_discipline").status == Status.NOT_MET
    assert result.verdict == Verdict.NOT_ELIGIBLE


# --- Villages and residential groups --------------------------------------------------------


def test_residential_groups_are_not_candidates_for_labour_collective_titles(
    client, cast, catalogue
):
    group = make_unit("Tổ dân phố số 3", parent=cast.a.ward, kind=UnitKind.RESIDENTIAL_GROUP)
    village = make_unit("Thôn Đông", parent=cast.a.ward, kind=UnitKind.VILLAGE)
    advanced = title("advanced-collective")
    candidates = candidate_units(cast.a.ward, advanced)
    assert cast.a.department in candidates
    assert group not in candidates and village not in candidates
    # A commendation (certificate) may still go to a residential group.
    assert group in candidate_units(cast.a.ward, title("certificate-commendation-collective"))
    with pytest.raises(ValidationError) as error:
        actions.propose_nomination(
            actor=cast.a.head,
            title=advanced,
            year=YEAR,
            unit=group,
            justification="Tổ dân phố tiêu biểu.",
        )
    assert "cultural titles" in " ".join(error.value.message_dict["unit"])
    client.force_login(cast.a.head)
    page = client.get(
        reverse("awards:eligibility"),
        {"title": advanced.pk, "year": YEAR, "unit": cast.a.ward.pk},
    ).content.decode()
    assert cast.a.department.name in page and "Tổ dân phố số 3" not in page


# --- Legal basis --------------------------------------------------------------------------


def test_titles_cite_law_06_2022_with_articles_not_ministry_circulars(client, cast, catalogue):
    titles = AwardTitle.objects.filter(unit=cast.city)
    assert not [t.key for t in titles if "Thông tư" in t.legal_basis]
    assert title("advanced-worker").legal_basis == "Luật 06/2022/QH15, Điều 24"
    assert title("advanced-collective").legal_basis == "Luật 06/2022/QH15, Điều 28"
    assert title("excellent-collective").legal_basis == "Luật 06/2022/QH15, Điều 27 khoản 1"
    assert "Nghị định 98/2023/NĐ-CP, Điều 54" in title("advanced-worker").multiplier_source
    client.force_login(cast.city_coordinator)
    page = client.get(title("excellent-collective").get_absolute_url()).content.decode()
    assert "Luật 06/2022/QH15, Điều 27 khoản 1" in page and "grassroots-fighter" in page


def test_catalogues_loaded_before_the_audit_are_corrected_by_the_migration(cast, catalogue):
    from importlib import import_module

    migration = import_module(
        "civility.awards.migrations.0004_correct_seeded_titles_and_base_salaries"
    )
    AwardTitle.objects.filter(key="advanced-collective").update(
        legal_basis="Luật 06/2022/QH15; Thông tư 01/2024/TT-VPCP"
    )
    AwardTitle.objects.filter(key="excellent-collective").update(
        legal_basis="Luật 06/2022/QH15; Thông tư 01/2024/TT-BXD",
        member_at_least_one_key="",
        member_no_discipline_from="warning",
    )
    migration.correct(django_apps, None)
    excellent = title("excellent-collective")
    assert excellent.legal_basis == "Luật 06/2022/QH15, Điều 27 khoản 1"
    assert excellent.member_at_least_one_key == "grassroots-fighter"
    assert excellent.member_no_discipline_from == ""
    assert title("advanced-collective").legal_basis == "Luật 06/2022/QH15, Điều 28"
