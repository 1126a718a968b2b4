"""A surprise inspection on the inspector's phone (360 px): a failed criterion offers a
finding prefilled from the criterion, section scores follow the answers, and submitting
asks for confirmation first."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from civility.codes.actions import load_code_seed
from civility.inspections import actions
from civility.inspections.models import Finding, InspectionKind, InspectionStatus
from civility.orgs.models import UnitKind
from civility.orgs.scopes import Role
from tests.factories import PASSWORD, make_unit, make_user
from tests.inspections.conftest import answer_all_with_photos

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def on_the_spot(page: Page, live_server, transactional_db, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    load_code_seed(actor=None, unit=cast.city, slug="hanoi-522")
    template = actions.load_template_seed(actor=None, unit=cast.city, slug="one-stop-counter")
    inspector = make_user("inspector_spot", roles={Role.INSPECTOR: cast.city})
    counter = make_unit("Quầy số 1", parent=cast.a.ward, kind=UnitKind.COUNTER)
    inspection = actions.start_inspection_on_the_spot(
        actor=inspector,
        inspecting_unit=cast.city,
        template=template,
        unit=counter,
        kind=InspectionKind.SURPRISE,
    )
    # Everything answered and photographed but the criterion the inspector fails now.
    answer_all_with_photos(inspection, inspector)
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=username]").fill(inspector.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form[action$='/accounts/login/'] button[type=submit]").click()
    expect(page.locator("header")).to_contain_text(inspector.username)
    page.set_viewport_size(PHONE)  # the inspector's phone
    return page, inspection


def test_an_inspector_fails_a_criterion_accepts_the_finding_and_submits_after_confirming(
    on_the_spot, live_server, screenshot
):
    page, inspection = on_the_spot
    criterion = inspection.template_version.criteria().get(ref="A1")
    page.goto(f"{live_server.url}/inspections/{inspection.pk}/run/#criterion-{criterion.pk}")
    step = page.locator(f"#criterion-{criterion.pk}")
    expect(step).to_be_visible()
    offer = step.locator(".run-finding")
    expect(offer).to_be_hidden()
    score = step.locator(f"[data-section-score='{criterion.section_id}']")
    before = score.inner_text()

    step.locator("label.run-no").click()
    expect(offer).to_be_visible()
    description = offer.locator("textarea[name=description]")
    expect(description).to_have_value(re.compile(r"^A1\. .+: not met\."))
    # The section score is the server's, recomputed with the new answer.
    expect(score).not_to_have_text(before, timeout=10_000)
    expect(page.locator("#sync-status")).to_have_text("All answers saved.", timeout=10_000)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "surprise-inspection", sizes=(("phone", PHONE),))

    offer.locator("textarea[name=recommendation]").fill("Bổ sung biển tên tại quầy.")
    offer.get_by_role("button", name="Record the finding").click()
    expect(page.locator(f"#criterion-{criterion.pk} .run-finding-done")).to_be_visible()
    finding = Finding.objects.get(inspection=inspection)
    assert finding.criterion == criterion and finding.description.startswith("A1. ")

    page.goto(f"{live_server.url}/inspections/{inspection.pk}/run/#finish")
    page.locator("#run-submit").click()
    expect(page.locator("#submit-title")).to_be_visible()
    inspection.refresh_from_db()
    assert inspection.status != InspectionStatus.SUBMITTED  # asking is not submitting
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.locator("#confirm-submit").click()
    expect(page.locator("#total-score")).to_be_visible()
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.SUBMITTED
