"""Each eligibility condition, with its explanation, and missing data shown as missing."""

from __future__ import annotations

import datetime

import pytest

from civility.awards import actions
from civility.awards.eligibility import Assessor, Status
from civility.awards.models import GoodModel, ModelKind, ModelStatus, Verdict
from tests.awards.conftest import YEAR, title

pytestmark = pytest.mark.django_db


def assess(official, key, year=YEAR):
    return Assessor(year=year, officials=[official]).assess(title(key, year), official=official)


def line(assessment, condition):
    found = [item for item in assessment.lines if item.condition == condition]
    assert found, f"no {condition} line in {assessment.lines}"
    return found[0]


def initiative(official, year=YEAR):
    model = GoodModel.objects.create(
        kind=ModelKind.INITIATIVE,
        category="digital",
        unit=official.unit,
        name="Số hoá hồ sơ một cửa",
        started_on=datetime.date(year, 2, 1),
        status=ModelStatus.RECOGNISED,
        recognised_on=datetime.date(year, 10, 1),
        recognised_by="Hội đồng sáng kiến phường, QĐ 5/QĐ",
    )
    model.authors.add(official)
    return model


# --- Advanced Worker: classification ---------------------------------------------------


def test_well_completed_official_is_an_advanced_worker(cast, catalogue, classify):
    classify(cast.a.official, "good")
    result = assess(cast.a.official, "advanced-worker")
    assert result.verdict == Verdict.ELIGIBLE
    assert line(result, "classification").status == Status.MET
    assert "Classified Well completed tasks for 2025" in line(result, "classification").text
    assert line(result, "extra").status == Status.TO_CHECK


def test_completed_only_is_not_an_advanced_worker_and_says_why(cast, catalogue, classify):
    classify(cast.a.official, "completed")
    result = assess(cast.a.official, "advanced-worker")
    assert result.verdict == Verdict.NOT_ELIGIBLE
    classification = line(result, "classification")
    assert classification.status == Status.NOT_MET
    assert "well completed tasks or better is required" in classification.text


def test_missing_classification_is_missing_not_ineligible(cast, catalogue):
    result = assess(cast.a.official, "advanced-worker")
    assert result.verdict == Verdict.INCOMPLETE
    assert line(result, "classification").status == Status.MISSING
    assert "No annual classification for 2025" in line(result, "classification").text


def test_not_classified_official_does_not_qualify(cast, catalogue, classify):
    classify(cast.a.official, "not_classified")
    result = assess(cast.a.official, "advanced-worker")
    assert line(result, "classification").status == Status.NOT_MET
    assert "not classified" in line(result, "classification").text


# --- Reviews in progress ---------------------------------------------------------------


def test_violation_record_being_verified_blocks_the_proposal(
    cast, catalogue, classify, open_record
):
    classify(cast.a.official, "good")
    record = open_record(cast.a.official)
    result = assess(cast.a.official, "advanced-worker")
    pending = line(result, "pending")
    assert pending.status == Status.NOT_MET
    assert record.number in pending.text
    assert result.verdict == Verdict.NOT_ELIGIBLE


def test_recorded_investigation_blocks_until_it_ends(cast, catalogue, classify):
    classify(cast.a.official, "good")
    hold = actions.record_review_hold(
        actor=cast.a.head,
        official=cast.a.official,
        kind="complaint",
        started_on=datetime.date(2026, 1, 5),
        reference="Đơn khiếu nại số 7",
    )
    pending = line(assess(cast.a.official, "advanced-worker"), "pending")
    assert pending.status == Status.NOT_MET
    assert "complaint" in pending.text and "Đơn khiếu nại số 7" in pending.text
    actions.end_review_hold(actor=cast.a.head, hold=hold, ended_on=datetime.date(2026, 2, 1))
    assert line(assess(cast.a.official, "advanced-worker"), "pending").status == Status.MET


# --- Grassroots Emulation Fighter: prerequisite and initiative ---------------------------


def test_grassroots_fighter_needs_excellent_or_initiative(cast, catalogue, classify):
    classify(cast.a.official, "good")
    result = assess(cast.a.official, "grassroots-fighter")
    assert line(result, "prerequisite").status == Status.MET
    assert "Meets the conditions of Advanced Worker" in line(result, "prerequisite").text
    assert line(result, "initiative").status == Status.NOT_MET
    assert "no recognised initiative recorded for 2025" in line(result, "initiative").text
    assert result.verdict == Verdict.NOT_ELIGIBLE


def test_recognised_initiative_makes_a_well_completed_official_a_fighter(cast, catalogue, classify):
    classify(cast.a.official, "good")
    initiative(cast.a.official)
    result = assess(cast.a.official, "grassroots-fighter")
    assert line(result, "initiative").status == Status.MET
    assert "Số hoá hồ sơ một cửa" in line(result, "initiative").text
    assert result.verdict == Verdict.ELIGIBLE


def test_excellent_official_is_a_fighter_without_initiative(cast, catalogue, classify):
    classify(cast.a.official, "excellent")
    assert assess(cast.a.official, "grassroots-fighter").verdict == Verdict.ELIGIBLE


def test_initiative_rule_is_configurable_to_require_both(cast, catalogue, classify):
    fighter = title("grassroots-fighter")
    actions.revise_title(
        actor=cast.city_coordinator,
        title=fighter,
        valid_from=fighter.valid_from,
        initiative_rule="excellent_and_initiative",
    )
    classify(cast.a.official, "excellent")
    result = assess(cast.a.official, "grassroots-fighter")
    assert line(result, "initiative").status == Status.NOT_MET
    initiative(cast.a.official)
    assert assess(cast.a.official, "grassroots-fighter").verdict == Verdict.ELIGIBLE


def test_prerequisite_held_by_decision_counts(cast, catalogue, classify, earlier):
    classify(cast.a.official, "excellent")
    earlier("advanced-worker", YEAR, officials=[cast.a.official])
    result = assess(cast.a.official, "grassroots-fighter")
    assert "Holds the title Advanced Worker for 2025" in line(result, "prerequisite").text


# --- Discipline --------------------------------------------------------------------------


def test_discipline_condition_names_the_decision(cast, catalogue, classify, discipline):
    classify(cast.a.official, "good")
    record = discipline(cast.a.official, form="reprimand")
    result = assess(cast.a.official, "advanced-worker")
    found = line(result, "discipline")
    assert found.status == Status.NOT_MET
    assert "Reprimand" in found.text and "12/QĐ-UBND" in found.text and record.number in found.text


# --- City Emulation Fighter: consecutive years -------------------------------------------


def test_city_fighter_counts_consecutive_grassroots_titles(cast, catalogue, classify, earlier):
    classify(cast.a.official, "excellent")
    earlier("grassroots-fighter", 2023, officials=[cast.a.official])
    earlier("grassroots-fighter", 2024, officials=[cast.a.official])
    result = assess(cast.a.official, "city-fighter")
    consecutive = line(result, "consecutive")
    assert consecutive.status == Status.MET
    assert "2023 held, 2024 held, 2025 qualifies" in consecutive.text


def test_a_gap_year_breaks_the_run(cast, catalogue, classify, earlier):
    other = cast.b.official
    classify(cast.a.official, "excellent")
    earlier("grassroots-fighter", 2023, officials=[cast.a.official])
    earlier("grassroots-fighter", 2024, officials=[other])  # 2024 recorded, not for a
    consecutive = line(assess(cast.a.official, "city-fighter"), "consecutive")
    assert consecutive.status == Status.NOT_MET
    assert "2024 not held" in consecutive.text


def test_year_without_any_recorded_decision_is_missing(cast, catalogue, classify, earlier):
    classify(cast.a.official, "excellent")
    earlier("grassroots-fighter", 2024, officials=[cast.a.official])
    consecutive = line(assess(cast.a.official, "city-fighter"), "consecutive")
    assert consecutive.status == Status.MISSING
    assert "2023: no decisions recorded" in consecutive.text


def test_consecutive_count_is_a_setting(cast, catalogue, classify, earlier):
    city = title("city-fighter")
    actions.revise_title(
        actor=cast.city_coordinator, title=city, valid_from=city.valid_from, consecutive_years=2
    )
    classify(cast.a.official, "excellent")
    earlier("grassroots-fighter", 2024, officials=[cast.a.official])
    assert line(assess(cast.a.official, "city-fighter"), "consecutive").status == Status.MET


# --- Collectives -------------------------------------------------------------------------


def assess_unit(unit, key, year=YEAR):
    return Assessor.for_unit(unit, year=year).assess(title(key, year), unit=unit)


def test_collective_with_seventy_percent_advanced_workers_qualifies(
    cast, catalogue, classify, members
):
    for member in members[:7]:
        classify(member, "good")
    for member in members[7:]:
        classify(member, "completed")
    result = assess_unit(cast.a.department, "advanced-collective")
    share = line(result, "member_share")
    assert share.status == Status.MET
    assert "7 of 10 members (70%)" in share.text and "70% required" in share.text
    assert result.verdict == Verdict.ELIGIBLE


def test_collective_below_the_share_is_not_eligible(cast, catalogue, classify, members):
    for member in members[:6]:
        classify(member, "good")
    for member in members[6:]:
        classify(member, "completed")
    share = line(assess_unit(cast.a.department, "advanced-collective"), "member_share")
    assert share.status == Status.NOT_MET
    assert "6 of 10 members (60%)" in share.text


def test_collective_share_with_members_unclassified_is_missing(cast, catalogue, classify, members):
    for member in members[:6]:
        classify(member, "good")
    share = line(assess_unit(cast.a.department, "advanced-collective"), "member_share")
    assert share.status == Status.MISSING
    assert "4 members cannot be assessed" in share.text


def test_member_warned_bars_the_advanced_collective(cast, catalogue, classify, members, discipline):
    for member in members:
        classify(member, "good")
    discipline(members[3], form="warning")
    result = assess_unit(cast.a.department, "advanced-collective")
    found = line(result, "member_discipline")
    assert found.status == Status.NOT_MET
    assert members[3].full_name in found.text
    assert result.verdict == Verdict.NOT_ELIGIBLE


def test_member_reprimanded_does_not_bar_the_advanced_collective(
    cast, catalogue, classify, members, discipline
):
    for member in members:
        classify(member, "good")
    discipline(members[3], form="reprimand")
    found = line(assess_unit(cast.a.department, "advanced-collective"), "member_discipline")
    assert found.status == Status.MET


def test_excellent_collective_needs_every_member_completed(cast, catalogue, classify, members):
    for member in members[:9]:
        classify(member, "good")
    classify(members[9], "not_completed")
    result = assess_unit(cast.a.department, "excellent-collective")
    found = line(result, "member_classification")
    assert found.status == Status.NOT_MET
    assert members[9].full_name in found.text


def test_unit_without_officials_is_missing_data(cast, catalogue):
    from tests.factories import make_unit

    empty = make_unit("Tổ công tác mới", parent=cast.a.ward)
    result = assess_unit(empty, "advanced-collective")
    assert result.verdict == Verdict.INCOMPLETE
    assert line(result, "members").status == Status.MISSING


# --- Quotas ------------------------------------------------------------------------------


def test_no_quota_by_default_and_the_line_says_so(cast, catalogue, classify):
    classify(cast.a.official, "good")
    quota = line(assess(cast.a.official, "advanced-worker"), "quota")
    assert quota.status == Status.MET
    assert "no legal quota is known" in quota.text


def test_full_quota_makes_the_next_official_ineligible(cast, catalogue, classify):
    from tests.factories import make_official

    colleague = make_official("Phạm Văn Đồng Sự", unit=cast.a.department)
    classify(cast.a.official, "good")
    classify(colleague, "good")
    actions.set_quota(
        actor=cast.a.coordinator,
        unit=cast.a.ward,
        title_key="advanced-worker",
        max_count=1,
        source="Kế hoạch 12/KH-UBND phường",
    )
    actions.propose_nomination(
        actor=cast.a.head,
        title=title("advanced-worker"),
        year=YEAR,
        official=cast.a.official,
        justification="Hoàn thành tốt nhiệm vụ.",
    )
    quota = line(assess(colleague, "advanced-worker"), "quota")
    assert quota.status == Status.NOT_MET
    assert "1 of 1 place taken" in quota.text and "Kế hoạch 12/KH-UBND" in quota.text
    # The official already nominated keeps their place.
    assert line(assess(cast.a.official, "advanced-worker"), "quota").status == Status.MET


def test_percentage_quota_of_members(cast, catalogue, classify, members):
    actions.set_quota(
        actor=cast.a.coordinator,
        unit=cast.a.ward,
        title_key="grassroots-fighter",
        max_percent=15,
        source="Quy chế thi đua phường",
    )
    classify(members[0], "excellent")
    quota = line(assess(members[0], "grassroots-fighter"), "quota")
    # 11 officials in ward a (10 members + none else) → 15% = 1 place.
    assert "0 of 1 place taken" in quota.text


def test_titles_are_judged_under_the_version_in_force_that_year(cast, catalogue):
    assert title("advanced-worker", 2024).rule_set == "decree-98-2023"
    assert title("advanced-worker", 2025).rule_set == "decree-152-2025"
