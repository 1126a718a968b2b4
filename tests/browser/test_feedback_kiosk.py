"""The counter kiosk in a real browser: ratings given while offline are kept and sent once
when the network is back; the assistance desk hears a call live."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from civility.feedback.actions import register_device
from civility.feedback.models import ServiceRating
from civility.orgs.models import UnitKind
from tests.factories import PASSWORD, Role, make_official, make_unit, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def kiosk(page: Page, live_server, transactional_db, cast, settings):
    settings.FEEDBACK_STREAM_WSGI = True
    point = make_unit(
        "Điểm phục vụ hành chính công Tây Hồ", parent=cast.city, kind=UnitKind.SERVICE_POINT
    )
    counter = make_unit("Quầy số 1", parent=point, kind=UnitKind.COUNTER, serves=cast.a.ward)
    official = make_official("Lê Thị Thu", unit=counter)
    _device, secret = register_device(actor=cast.admin, counter=counter, name="Máy 1")
    page.goto(f"{live_server.url}/feedback/kiosk/#key={secret}")
    expect(page.locator("#counter-name")).to_have_text("Quầy số 1")
    return page, counter, official, point


def test_a_rating_given_offline_arrives_once_when_the_network_is_back(
    kiosk, context: BrowserContext
):
    page, counter, official, _point = kiosk
    assert "key=" not in page.url  # the secret left the address bar

    context.set_offline(True)
    page.locator("button.kiosk-level[data-level='2']").click()
    page.locator("#reasons input[value='attitude']").check()
    page.locator("#comment").fill("Cán bộ nhiệt tình")
    page.locator("#send").click()
    expect(page.locator("#thanks")).to_be_visible()
    expect(page.locator("body")).to_have_attribute("data-pending", "1")
    page.wait_for_timeout(500)
    assert ServiceRating.objects.count() == 0

    expect(page.locator("#rate")).to_be_visible()  # ready for the next citizen
    context.set_offline(False)

    expect(page.locator("body")).to_have_attribute("data-pending", "0", timeout=15000)
    page.wait_for_timeout(1000)
    rating = ServiceRating.objects.get()
    assert (rating.counter, rating.official, rating.level) == (counter, official, 2)
    assert rating.reasons == ["attitude"] and rating.comment == "Cán bộ nhiệt tình"


def test_ratings_queued_while_the_server_fails_are_sent_once_as_a_batch(kiosk):
    page, _counter, _official, _point = kiosk
    page.route("**/api/v1/feedback/kiosk/ratings**", lambda route: route.fulfill(status=503))
    for level in (1, 3, 5):
        page.locator(f"button.kiosk-level[data-level='{level}']").click()
        page.locator("#send").click()
        expect(page.locator("#rate")).to_be_visible()
    expect(page.locator("body")).to_have_attribute("data-pending", "3")

    page.unroute("**/api/v1/feedback/kiosk/ratings**")
    page.evaluate("window.dispatchEvent(new Event('online'))")

    expect(page.locator("body")).to_have_attribute("data-pending", "0", timeout=15000)
    assert sorted(ServiceRating.objects.values_list("level", flat=True)) == [1, 3, 5]


def test_the_desk_of_the_service_point_head_rings_when_the_kiosk_calls(kiosk, browser, live_server):
    page, _counter, _official, point = kiosk
    head = make_user("point_head", roles={Role.UNIT_HEAD: point})
    desk_context = browser.new_context()
    desk = desk_context.new_page()
    desk.goto(f"{live_server.url}/accounts/login/")
    desk.locator("input[name=username]").fill(head.username)
    desk.locator("input[name=password]").fill(PASSWORD)
    desk.locator("form[action$='/accounts/login/'] button[type=submit]").click()
    desk.goto(f"{live_server.url}/feedback/desk/")
    expect(desk.locator("#desk")).to_have_attribute("data-connected", "true")

    page.locator("#help").click()

    expect(desk.locator("#alert-banner")).to_be_visible(timeout=3000)
    expect(desk.locator(".call")).to_contain_text("Quầy số 1")
    desk.get_by_role("button", name="I'm coming").click()
    expect(page.locator("#help-ack")).to_be_visible(timeout=3000)
    desk_context.close()
