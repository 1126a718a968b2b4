"""A commune's public scorecard in a real Chromium: at 360 px in Vietnamese nothing is wider
than the screen and axe-core finds no serious fault; on a desktop in English the same; the
list of units finds a commune typed without accents."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.insights import conftest as insights_fixtures

pytestmark = pytest.mark.browser

wards = insights_fixtures.wards  # the scorecards' data, as their page tests use it

SMALL_PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
PERIOD = "?period=2026-Q4"  # the quarter the fixture's figures fall in, whatever the date


def _no_horizontal_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.evaluate("window.innerWidth"), width


def test_a_communes_scorecard_fits_a_small_phone_in_vietnamese(
    live_server, page: Page, wards, axe, settings, screenshot
):
    settings.LANGUAGE_CODE = "vi"
    page.set_viewport_size(SMALL_PHONE)
    page.goto(f"{live_server.url}/scorecards/{wards.a.ward.pk}/{PERIOD}")

    expect(page.locator("#figure-satisfaction data")).to_have_text("75\u00a0%")
    expect(page.locator("#figure-satisfaction")).to_contain_text("59,8–85,8\u00a0%")
    expect(page.locator("#period-label")).to_have_text("Quý 4/2026")
    _no_horizontal_scroll(page)
    axe(page, name="scorecard, phone, vi")
    screenshot(page, "scorecard")

    page.goto(f"{live_server.url}/scorecards/{wards.b.ward.pk}/{PERIOD}")
    expect(page.locator("#figure-satisfaction")).to_contain_text("Chưa đủ dữ liệu")
    _no_horizontal_scroll(page)


def test_the_list_finds_a_commune_and_the_scorecard_reads_on_a_desktop_in_english(
    live_server, page: Page, wards, axe
):
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/")
    page.locator("#door-scorecards").click()
    page.get_by_label("Find your commune, ward or service point").fill("tay ho")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Phường Tây Hồ").click()

    expect(page.locator("h1")).to_have_text("Phường Tây Hồ")
    _no_horizontal_scroll(page)
    axe(page, name="scorecard, desktop, en")
    page.set_viewport_size(SMALL_PHONE)
    page.goto(f"{live_server.url}/scorecards/?q=long bien")
    _no_horizontal_scroll(page)
    axe(page, name="scorecard list, phone, en")
