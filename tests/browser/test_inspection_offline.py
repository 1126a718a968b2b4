"""The phone checklist in a real browser: answering while offline loses nothing."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from civility.codes.actions import load_code_seed
from civility.inspections import actions
from civility.inspections.models import Answer
from civility.orgs.models import UnitKind
from civility.orgs.scopes import Role
from tests.factories import PASSWORD, make_unit, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def running(page: Page, live_server, transactional_db, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    load_code_seed(actor=None, unit=cast.city, slug="hanoi-522")
    template = actions.load_template_seed(actor=None, unit=cast.city, slug="one-stop-counter")
    inspector = make_user("inspector_phone", roles={Role.INSPECTOR: cast.city})
    counter = make_unit("Quầy số 1", parent=cast.a.ward, kind=UnitKind.COUNTER)
    inspection = actions.start_inspection_on_the_spot(
        actor=inspector, inspecting_unit=cast.city, template=template, unit=counter
    )
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=username]").fill(inspector.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form[action$='/accounts/login/'] button[type=submit]").click()
    expect(page.locator("header")).to_contain_text(inspector.username)
    page.goto(f"{live_server.url}/inspections/{inspection.pk}/run/")
    return page, inspection


def _criterion(inspection, ref):
    return inspection.template_version.criteria().get(ref=ref)


def test_answers_given_offline_are_saved_when_the_network_is_back(running):
    page, inspection = running
    status = page.locator("#sync-status")
    expect(status).to_have_text("All answers saved.")
    a1 = _criterion(inspection, "A1")
    step = page.locator(f"#criterion-{a1.pk}")
    expect(step).to_be_visible()
    expect(page.locator(f"#criterion-{_criterion(inspection, 'A2').pk}")).to_be_hidden()

    page.context.set_offline(True)
    step.get_by_text("Yes", exact=True).click()
    page.locator(".run-step.is-current .run-next").click()
    a2 = _criterion(inspection, "A2")
    page.locator(f"#criterion-{a2.pk}").get_by_text("No", exact=True).click()
    page.locator(".run-step.is-current .run-next").click()
    page.locator(".run-step.is-current .run-next").click()
    a4 = _criterion(inspection, "A4")
    page.locator(f"#criterion-{a4.pk} label.run-score").filter(has_text="2").click()
    page.locator(f"#criterion-{a4.pk} textarea[name=note]").fill("Đèn hỏng một bóng")
    page.locator(f"#criterion-{a4.pk} textarea[name=note]").blur()

    expect(status).to_contain_text("No network")
    expect(page.locator("#answered-count")).to_have_text("3")
    assert Answer.objects.filter(inspection=inspection).count() == 0
    queued = page.evaluate(
        f"JSON.parse(localStorage.getItem('civility.inspection.{inspection.pk}.answers'))"
    )
    assert sorted(item["criterion_id"] for item in queued) == sorted([a1.pk, a2.pk, a4.pk])

    page.context.set_offline(False)
    expect(status).to_have_text("All answers saved.", timeout=10_000)
    saved = dict(
        Answer.objects.filter(inspection=inspection).values_list("criterion__ref", "value")
    )
    assert saved == {"A1": "yes", "A2": "no", "A4": "2"}
    assert Answer.objects.get(inspection=inspection, criterion=a4).note == "Đèn hỏng một bóng"
    assert (
        page.evaluate(f"localStorage.getItem('civility.inspection.{inspection.pk}.answers')")
        == "[]"
    )

    # Reloading shows the saved answers from the server, once each.
    page.reload()
    expect(page.locator(f"#criterion-{a2.pk} input[value=no]")).to_be_checked()
    assert Answer.objects.filter(inspection=inspection).count() == 3


def test_answers_kept_on_the_phone_survive_a_reload_and_are_sent_once(running):
    page, inspection = running
    a1 = _criterion(inspection, "A1")
    page.context.set_offline(True)
    page.locator(f"#criterion-{a1.pk}").get_by_text("No", exact=True).click()
    expect(page.locator("#sync-status")).to_contain_text("No network")
    page.context.set_offline(False)
    # The reply is lost on the way back: the server stored the answer, the phone resends it.
    page.route(re.compile(r".*/answers$"), lambda route: (route.fetch(), route.abort())[1])
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_timeout(1000)
    assert Answer.objects.filter(inspection=inspection).count() == 1
    page.unroute(re.compile(r".*/answers$"))
    page.reload()
    expect(page.locator("#sync-status")).to_have_text("All answers saved.", timeout=10_000)
    assert Answer.objects.filter(inspection=inspection).count() == 1
    assert Answer.objects.get(inspection=inspection).value == "no"
