"""The unit picker on a phone: two units of an inspection plan chosen by typing their names
without diacritics, told apart by their parent path, with no Ctrl key."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from civility.inspections import actions
from civility.inspections.models import Inspection
from civility.orgs.models import UnitKind
from tests.factories import PASSWORD, make_unit

pytestmark = pytest.mark.browser


@pytest.fixture
def plan_page(page: Page, live_server, transactional_db, cast):
    template = actions.load_template_seed(actor=None, unit=cast.city, slug="one-stop-counter")
    for side in (cast.a, cast.b):  # two counters of the same name, in two wards
        office = make_unit("Bộ phận một cửa", parent=side.ward)
        make_unit("Quầy tiếp nhận và trả kết quả số 1", parent=office, kind=UnitKind.COUNTER)
    plan = actions.create_plan(actor=cast.city_coordinator, unit=cast.city, year=2026, title="KH")
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=username]").fill(cast.city_coordinator.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form[action$='/accounts/login/'] button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto(f"{live_server.url}/inspections/plans/{plan.pk}/add/")
    return page, plan, template


def test_two_units_are_picked_on_a_phone_by_typing_without_diacritics(plan_page, cast, screenshot):
    page, plan, template = plan_page
    page.locator("#id_template").select_option(str(template.pk))
    page.locator("#id_planned_on").fill("2026-06-15")

    box = page.locator("#id_units-ts-control")  # Tom Select's search box for "units"
    box.click()
    box.fill("quay tiep nhan")
    options = page.locator("#id_units-ts-dropdown .option")
    expect(options).to_have_count(2)
    # The two counters share a name; the parent path tells which is which.
    tay_ho = options.filter(has_text="Phường Tây Hồ › Bộ phận một cửa")
    expect(tay_ho).to_have_count(1)
    tay_ho.click()

    box.fill("long bien")
    # The ward itself comes first, before the units that only mention it in their name.
    first = page.locator("#id_units-ts-dropdown .option").first
    expect(first).to_have_text("Phường Long Biên")
    first.click()

    chosen = page.locator(".ts-wrapper.multi .item")
    expect(chosen).to_have_count(2)
    expect(chosen.first.locator(".remove")).to_be_visible()  # each can be taken out again
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "unit-picker", sizes=(("phone", {"width": 360, "height": 740}),))

    page.locator("form:has(#id_units) button[type=submit]").click()
    page.wait_for_url(f"**{plan.get_absolute_url()}")
    units = {i.unit.name: i.unit.parent.name for i in Inspection.objects.filter(plan=plan)}
    assert units == {
        "Quầy tiếp nhận và trả kết quả số 1": "Bộ phận một cửa",
        "Phường Long Biên": "Thành phố Hà Nội",
    }
    counter = Inspection.objects.get(plan=plan, unit__kind=UnitKind.COUNTER).unit
    assert counter.path.startswith(cast.a.ward.path)
