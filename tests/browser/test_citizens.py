"""The citizens' front door and the kiosk set-up in a real Chromium at 360×740: nothing wider
than the screen, large tap targets, no serious accessibility fault (axe-core), "Use my
location" filling the point, and the kiosk link's QR code and copy button."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from civility.feedback.models import CounterDevice, PublicReport
from tests.browser.test_journeys import sign_in
from tests.feedback import conftest as feedback_fixtures

pytestmark = pytest.mark.browser

point = feedback_fixtures.point
_media = feedback_fixtures._media

SMALL_PHONE = {"width": 360, "height": 740}
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def _fits(page: Page, selector: str = "html") -> None:
    width = page.evaluate(f"document.querySelector('{selector}').scrollWidth")
    assert width <= page.evaluate("window.innerWidth"), width


def _content_fits(page: Page) -> None:
    """The page's own content, inside the screen. The staff header and the app's sub-menu
    (.subnav) are the phone layout's (issue 18), measured by its crawl test."""
    overflowing = page.evaluate(
        """() => [...document.querySelectorAll('main *')]
          .filter(e => !e.closest('.subnav') && e.getBoundingClientRect().right > innerWidth)
          .map(e => e.tagName + '#' + e.id + '.' + e.className)"""
    )
    assert overflowing == []


def _axe_faults(page: Page) -> list[str]:
    """Serious and critical axe-core violations. Evaluated through the DevTools protocol, so
    the page's Content-Security-Policy (no inline script) is neither broken nor loosened."""
    page.evaluate(AXE.read_text())
    result = page.evaluate("async () => (await axe.run(document)).violations")
    return [f"{v['id']}: {v['help']}" for v in result if v["impact"] in ("serious", "critical")]


@pytest.fixture
def phone(browser: Browser, live_server, transactional_db):
    context = browser.new_context(
        viewport=SMALL_PHONE,
        locale="vi-VN",
        geolocation={"latitude": 21.0405, "longitude": 105.8603, "accuracy": 12},
        permissions=["geolocation", "clipboard-read", "clipboard-write"],
    )
    page = context.new_page()
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    yield page
    context.close()
    assert not violations, violations


def test_the_front_door_fits_a_small_phone_and_leads_to_each_door(
    phone: Page, live_server, point, cast, screenshot
):
    phone.goto(f"{live_server.url}/")

    _fits(phone)
    for door in ("#door-report", "#door-rate", "#door-official", "#door-codes", "#door-honours"):
        box = phone.locator(door).bounding_box()
        assert box["height"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= 360, door
    assert _axe_faults(phone) == []
    screenshot(phone, "citizens-front-door", sizes=(("phone", SMALL_PHONE),))

    phone.locator("#door-report").click()
    expect(phone).to_have_url(f"{live_server.url}/feedback/report/")
    phone.go_back()
    phone.locator("#door-official").click()
    expect(phone).to_have_url(f"{live_server.url}/conduct-report/")


def test_use_my_location_fills_the_point_and_the_report_is_routed_by_it(
    phone: Page, live_server, point, cast, screenshot
):
    phone.goto(f"{live_server.url}/feedback/report/")
    _fits(phone)
    assert _axe_faults(phone) == []

    phone.locator("[data-geolocate]").click()
    expect(phone.locator("[data-lat]")).to_have_value("21.040500")
    expect(phone.locator("[data-lon]")).to_have_value("105.860300")
    expect(phone.locator("[data-geo-status]")).not_to_be_empty()
    screenshot(phone, "citizens-report-location", sizes=(("phone", SMALL_PHONE),))
    phone.locator("#id_category").select_option(str(point.littering.pk))
    phone.locator("#id_description").fill("Vứt rác cạnh vườn hoa")
    phone.locator("main form button[type=submit]").click()

    expect(phone.locator("#receipt-code")).to_be_visible()
    report = PublicReport.objects.get()
    assert str(report.latitude) == "21.040500" and report.unit == cast.b.ward


def test_the_kiosk_set_up_shows_a_scannable_qr_code_and_copies_the_link(
    phone: Page, live_server, point, screenshot
):
    sign_in(phone, live_server.url, point.head)
    phone.goto(f"{live_server.url}/feedback/counters/")
    _content_fits(phone)
    phone.locator(f"a[href='/feedback/counters/{point.counter2.pk}/kiosks/']").click()
    phone.locator("#id_name").fill("Máy tính bảng cửa vào")
    phone.locator("main form button[type=submit]").click()

    qr = phone.locator("svg.kiosk-qr")
    expect(qr).to_be_visible()
    _content_fits(phone)
    assert _axe_faults(phone) == []
    link = phone.locator("#kiosk-link").input_value()
    assert "/feedback/kiosk/#key=cvk_" in link
    image = Image.open(io.BytesIO(qr.screenshot()))
    assert [code.text for code in zxingcpp.read_barcodes(image)] == [link]

    phone.locator("#copy-kiosk-link").click()
    expect(phone.locator("#copy-status")).to_have_text("Copied.")
    assert phone.evaluate("navigator.clipboard.readText()") == link
    screenshot(phone, "kiosk-set-up", sizes=(("phone", SMALL_PHONE),))

    phone.reload()
    expect(phone.locator("#link-already-shown")).to_be_visible()
    assert link.split("#key=")[1] not in phone.content()
    assert CounterDevice.objects.filter(counter=point.counter2).count() == 1


def test_without_the_clipboard_api_the_copy_button_selects_the_link(
    phone: Page, live_server, point
):
    phone.add_init_script("Object.defineProperty(navigator, 'clipboard', {value: undefined})")
    sign_in(phone, live_server.url, point.head)
    phone.goto(f"{live_server.url}/feedback/counters/{point.counter2.pk}/kiosks/")
    phone.locator("main form button[type=submit]").click()

    phone.locator("#copy-kiosk-link").click()

    expect(phone.locator("#copy-status")).to_contain_text("Ctrl+C")
    selected = phone.evaluate(
        "() => { const f = document.querySelector('#kiosk-link');"
        " return f.selectionStart === 0 && f.selectionEnd === f.value.length; }"
    )
    assert selected


def test_the_map_is_drawn_only_from_the_configured_tile_server(
    phone: Page, live_server, point, settings
):
    settings.MAP_TILE_URL = f"{live_server.url}/static/tiles/{{z}}/{{x}}/{{y}}.png"
    requested: list[str] = []
    phone.route(
        "**/static/tiles/**",
        lambda route: (requested.append(route.request.url), route.fulfill(status=204)),
    )
    phone.goto(f"{live_server.url}/feedback/report/")
    expect(phone.locator("[data-tile-url]")).to_be_hidden()

    phone.locator("[data-geolocate]").click()

    expect(phone.locator("[data-tile-url]")).to_be_visible()
    expect(phone.locator(".map-marker")).to_be_visible()
    phone.wait_for_timeout(300)
    assert requested and all("/static/tiles/17/" in url for url in requested)
    box = phone.locator("[data-tile-url]").bounding_box()
    # A tap 40 px east of the point (the locator scrolls the map into view first).
    phone.locator("[data-tile-url]").click(
        position={"x": box["width"] / 2 + 40, "y": box["height"] / 2}
    )
    assert float(phone.locator("[data-lon]").input_value()) > 105.8603


def _marker_offset(page: Page) -> tuple[float, float]:
    """The marker's centre from the map's centre, in pixels."""
    area = page.locator("[data-tile-url]").bounding_box()
    mark = page.locator(".map-marker").bounding_box()
    return (
        mark["x"] + mark["width"] / 2 - area["x"] - area["width"] / 2,
        mark["y"] + mark["height"] / 2 - area["y"] - area["height"] / 2,
    )


def test_the_leaflet_map_opens_on_the_province_and_a_tap_or_enter_sets_the_point(
    phone: Page, live_server, point, settings, screenshot
):
    # Every tile is one small PNG that the live server itself serves (Leaflet's own, from
    # static files): the policy's img-src 'self' covers it, and nothing leaves the machine.
    tile = "/static/vendor/leaflet/images/layers.png"
    settings.MAP_TILE_URL = f"{live_server.url}{tile}?z={{z}}&x={{x}}&y={{y}}"
    settings.MAP_CENTRE = "21.0285,105.8542"
    settings.MAP_TILE_ATTRIBUTION = "© <b>Sở</b> Tài nguyên"
    outside: list[str] = []
    phone.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None,
    )
    phone.goto(f"{live_server.url}/feedback/report/")

    area = phone.locator("[data-tile-url]")
    expect(area).to_be_visible()
    expect(phone.locator("#report-map-keys")).to_be_visible()
    expect(phone.locator("img.leaflet-tile-loaded").first).to_be_visible()
    assert "z=10&" in phone.locator("img.leaflet-tile").first.get_attribute("src")
    expect(phone.locator(".leaflet-control-attribution")).to_have_text("© <b>Sở</b> Tài nguyên")
    expect(phone.locator(".map-marker")).to_have_count(0)
    _fits(phone)
    assert _axe_faults(phone) == []

    # A tap east of the centre fills the fields and zooms in on the point.
    box = area.bounding_box()
    area.click(position={"x": box["width"] / 2 + 60, "y": box["height"] / 2})
    assert float(phone.locator("[data-lon]").input_value()) > 105.8542
    assert abs(float(phone.locator("[data-lat]").input_value()) - 21.0285) < 0.01
    expect(phone.locator("[data-geo-status]")).to_have_text("Point moved to where you tapped.")
    expect(phone.locator(".map-marker")).to_be_visible()
    expect(phone.locator("img.leaflet-tile[src*='z=17&']").first).to_be_attached()

    # Typed coordinates move the marker: the map centres on them.
    phone.locator("[data-lat]").fill("21.0405")
    phone.locator("[data-lon]").fill("105.8603")
    phone.wait_for_timeout(400)  # Leaflet's pan animation
    dx, dy = _marker_offset(phone)
    assert abs(dx) < 3 and abs(dy) < 3, (dx, dy)

    # The keyboard: the arrows move the map (Leaflet), Enter puts the point at its centre.
    area.focus()
    phone.keyboard.press("ArrowRight")
    phone.wait_for_timeout(400)
    phone.keyboard.press("Enter")
    assert float(phone.locator("[data-lon]").input_value()) > 105.8603
    expect(phone).to_have_url(f"{live_server.url}/feedback/report/")  # Enter sent no form
    _fits(phone)
    assert _axe_faults(phone) == []
    screenshot(phone, "citizens-report-map", sizes=(("phone", SMALL_PHONE),))
    assert outside == []


def test_without_a_tile_server_there_is_no_map_and_no_leaflet(phone: Page, live_server, point):
    phone.goto(f"{live_server.url}/feedback/report/")
    phone.locator("[data-geolocate]").click()
    expect(phone.locator("[data-lat]")).to_have_value("21.040500")

    expect(phone.locator("[data-tile-url]")).to_have_count(0)
    assert phone.evaluate("typeof window.L") == "undefined"
