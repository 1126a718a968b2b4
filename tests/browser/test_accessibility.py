"""axe-core on the pages people meet first: no serious or critical accessibility violation
on the public pages, the to-do home (menu closed and open, phone and desktop), a list, a
form and the counter kiosk."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from civility.feedback.actions import register_device
from civility.orgs.models import UnitKind
from tests.browser.test_journeys import sign_in
from tests.factories import make_official, make_unit

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1440, "height": 900}


def test_public_pages_have_no_serious_accessibility_violation(
    page: Page, live_server, transactional_db, cast, axe
):
    page.set_viewport_size(PHONE)
    for name in (
        "orgs:home",  # anonymous: the citizens' front door or the sign-in page
        "accounts:login",
        "feedback:report_create",
        "feedback:receipt_lookup",
        "codes_public:index",
        "conduct_public:start",
        "awards_public:honour_board",
    ):
        page.goto(f"{live_server.url}{reverse(name)}")
        axe(page, name=name)


def test_to_do_home_list_and_form_have_no_serious_accessibility_violation(
    page: Page, live_server, transactional_db, cast, axe
):
    sign_in(page, live_server.url, cast.a.head)
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        page.goto(f"{live_server.url}/")
        expect(page.locator("h1")).to_have_text("To do")
        axe(page, name=f"to-do home at {size['width']} px")
    page.set_viewport_size(PHONE)
    page.locator("summary.menu-toggle").click()
    expect(page.locator("#unit-switcher")).to_be_visible()
    axe(page, name="to-do home with the menu open")
    for name in (
        "orgs:official_list",
        "orgs:official_create",
        "inspections:inspection_list",
        "feedback:overview",
        "insights:dashboard",
    ):
        page.goto(f"{live_server.url}{reverse(name)}")
        axe(page, name=name)


def test_counter_kiosk_has_no_serious_accessibility_violation(
    page: Page, live_server, transactional_db, cast, axe
):
    point = make_unit("Điểm phục vụ Tây Hồ", parent=cast.city, kind=UnitKind.SERVICE_POINT)
    counter = make_unit("Quầy số 1", parent=point, kind=UnitKind.COUNTER, serves=cast.a.ward)
    make_official("Lê Thị Thu", unit=counter)
    _device, secret = register_device(actor=cast.admin, counter=counter, name="Máy 1")
    page.set_viewport_size({"width": 1024, "height": 768})  # a counter tablet
    page.goto(f"{live_server.url}/feedback/kiosk/#key={secret}")
    expect(page.locator("#counter-name")).to_have_text("Quầy số 1")
    axe(page, name="kiosk")
