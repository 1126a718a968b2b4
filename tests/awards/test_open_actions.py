"""Corrective actions still open at review time block or lower a unit's collective title,
as the title's setting says, and the explanation lists them like any other condition."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from civility.awards import actions
from civility.awards.eligibility import Assessor, Status
from civility.awards.models import AwardTitle, OpenActionsEffect, Verdict
from civility.orgs.scopes import Role
from tests.awards.conftest import YEAR, title
from tests.factories import make_user


def assess_unit(unit, key="advanced-collective"):
    return Assessor.for_unit(unit, year=YEAR).assess(title(key), unit=unit)


def line(assessment, condition):
    return next(line for line in assessment.lines if line.condition == condition)


def set_rule(key, **values):
    AwardTitle.objects.filter(key=key, valid_to__isnull=True).update(**values)


@pytest.fixture
def open_action(cast, catalogue):
    """A corrective action for ward A's office, from a surprise inspection by the city."""
    from civility.codes.actions import load_code_seed
    from civility.inspections import actions as inspections
    from civility.inspections.models import InspectionKind

    load_code_seed(actor=None, unit=cast.city, slug="hanoi-522")
    template = inspections.load_template_seed(actor=None, unit=cast.city, slug="office-culture")
    inspector = make_user("inspector_city", roles={Role.INSPECTOR: cast.city})
    inspection = inspections.start_inspection_on_the_spot(
        actor=inspector,
        inspecting_unit=cast.city,
        template=template,
        unit=cast.a.department,
        kind=InspectionKind.SURPRISE,
    )
    finding = inspections.record_finding(
        actor=inspector,
        inspection=inspection,
        description="Không niêm yết quy tắc ứng xử.",
        recommendation="Niêm yết quy tắc ứng xử tại phòng làm việc.",
        deadline=datetime.date.today() + datetime.timedelta(days=10),
    )
    return finding.actions.get()


def test_without_the_setting_open_actions_are_not_a_condition(cast, open_action):
    result = assess_unit(cast.a.department)
    assert "corrective_actions" not in {line.condition for line in result.lines}


def test_open_actions_block_the_title_when_the_setting_says_so(cast, open_action):
    set_rule("advanced-collective", open_actions_effect=OpenActionsEffect.BLOCK)
    result = assess_unit(cast.a.department)
    found = line(result, "corrective_actions")
    assert found.status == Status.NOT_MET and result.verdict == Verdict.NOT_ELIGIBLE
    assert "1 corrective action from" in found.text and "block" in found.text
    assert "Niêm yết quy tắc ứng xử" in found.text
    # The ward above answers for its department's open actions too.
    assert line(assess_unit(cast.a.ward), "corrective_actions").status == Status.NOT_MET
    # The sibling ward has none.
    assert line(assess_unit(cast.b.ward), "corrective_actions").status == Status.MET


def test_up_to_the_tolerated_number_the_condition_is_met(cast, open_action):
    set_rule(
        "advanced-collective", open_actions_effect=OpenActionsEffect.BLOCK, open_actions_tolerated=1
    )
    found = line(assess_unit(cast.a.department), "corrective_actions")
    assert found.status == Status.MET and "at most 1 tolerated" in found.text


def test_open_actions_lower_the_title_to_the_one_named(cast, open_action):
    set_rule(
        "excellent-collective",
        open_actions_effect=OpenActionsEffect.LOWER,
        open_actions_lower_key="advanced-collective",
    )
    found = line(assess_unit(cast.a.department, "excellent-collective"), "corrective_actions")
    assert found.status == Status.NOT_MET
    assert title("advanced-collective").display_name in found.text and "lower" in found.text


def test_a_closed_action_no_longer_counts(cast, open_action):
    from civility.inspections import actions as inspections
    from civility.inspections.models import ActionStatus

    set_rule("advanced-collective", open_actions_effect=OpenActionsEffect.BLOCK)
    inspections.respond_to_action(actor=cast.a.head, action=open_action, response="Đã niêm yết.")
    open_action.refresh_from_db()
    assert open_action.status == ActionStatus.RESPONDED  # still open until verified
    assert line(assess_unit(cast.a.department), "corrective_actions").status == Status.NOT_MET
    inspector = open_action.finding.inspection.team.get()
    inspections.verify_action(actor=inspector, action=open_action, accept=True)
    assert line(assess_unit(cast.a.department), "corrective_actions").status == Status.MET


def test_the_eligibility_page_lists_the_condition(client, cast, open_action):
    set_rule("advanced-collective", open_actions_effect=OpenActionsEffect.BLOCK)
    client.force_login(cast.city_coordinator)
    page = client.get(
        f"/awards/eligibility/?title={title('advanced-collective').pk}&year={YEAR}"
        f"&unit={cast.a.ward.pk}"
    ).content.decode()
    assert "from inspections still open at review time" in page


def test_the_setting_is_for_collective_titles_and_a_lowering_names_its_title(cast, catalogue):
    with pytest.raises(ValidationError) as error:
        actions.revise_title(
            actor=cast.admin,
            title=title("advanced-worker"),
            valid_from=datetime.date(YEAR, 1, 1),
            open_actions_effect=OpenActionsEffect.BLOCK,
        )
    assert "open_actions_effect" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        actions.revise_title(
            actor=cast.admin,
            title=title("excellent-collective"),
            valid_from=datetime.date(YEAR, 1, 1),
            open_actions_effect=OpenActionsEffect.LOWER,
        )
    assert "open_actions_lower_key" in error.value.message_dict


def test_a_coordinator_sets_the_rule_on_the_title_page(client, cast, catalogue):
    from django.urls import reverse

    collective = title("advanced-collective")
    data = {
        name: getattr(collective, name) or ""
        for name in (
            "name",
            "name_en",
            "legal_basis",
            "multiplier",
            "multiplier_source",
            "member_share_key",
            "member_share_percent",
            "member_no_discipline_from",
            "extra_conditions",
            "conditions_note",
        )
    }
    data.update(
        valid_from=collective.valid_from.isoformat(),
        block_under_review="on",
        open_actions_effect="block",
        open_actions_tolerated="2",
    )
    client.force_login(cast.city_coordinator)
    response = client.post(reverse("awards:title_edit", args=[collective.pk]), data)
    assert response.status_code == 302
    collective.refresh_from_db()
    assert (collective.open_actions_effect, collective.open_actions_tolerated) == ("block", 2)
    page = client.get(collective.get_absolute_url()).content.decode()
    assert 'id="open-actions-rule"' in page and "more than 2 open" in page
