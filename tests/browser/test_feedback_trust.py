"""The kiosk's contact fields: shown only after a dissatisfied level; with a phone number the
rating opens a follow-up case and the thanks screen shows its receipt code. And the desk: a
call raised while its stream was reconnecting shows and rings once it is back."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from civility.feedback.actions import raise_assistance_call, register_device
from civility.feedback.models import AssistanceCall, FollowUpCase, ServiceRating
from civility.orgs.models import OrgUnit, UnitKind
from tests.factories import PASSWORD, Role, make_unit, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def kiosk(page: Page, live_server, transactional_db, cast):
    point = make_unit(
        "Điểm phục vụ hành chính công Tây Hồ", parent=cast.city, kind=UnitKind.SERVICE_POINT
    )
    counter = make_unit("Quầy số 1", parent=point, kind=UnitKind.COUNTER, serves=cast.a.ward)
    _device, secret = register_device(actor=cast.admin, counter=counter, name="Máy 1")
    page.goto(f"{live_server.url}/feedback/kiosk/#key={secret}")
    expect(page.locator("#counter-name")).to_have_text("Quầy số 1")
    return page, point


def test_contact_fields_appear_only_for_a_dissatisfied_level(kiosk):
    page, _point = kiosk
    page.locator("button.kiosk-level[data-level='2']").click()
    expect(page.locator("#details")).to_be_visible()
    expect(page.locator("#contact")).to_be_hidden()
    page.locator("#send").click()
    expect(page.locator("#rate")).to_be_visible(timeout=10000)

    page.locator("button.kiosk-level[data-level='5']").click()
    expect(page.locator("#contact")).to_be_visible()


def test_a_dissatisfied_citizen_leaves_a_phone_and_sees_the_case_receipt(kiosk):
    page, point = kiosk
    page.locator("button.kiosk-level[data-level='4']").click()
    page.locator("#contact-name").fill("Trần Văn Bình")
    page.locator("#contact-phone").fill("0912 345 678")
    page.locator("#send").click()

    expect(page.locator("#case-note")).to_be_visible()
    expect(page.locator("#case-receipt")).to_be_visible(timeout=10000)
    case = FollowUpCase.objects.get()
    expect(page.locator("#case-receipt strong")).to_have_text(case.receipt)
    # The secret that alone answers the case, shown once beside the receipt.
    expect(page.locator("#case-secret strong")).to_have_text(re.compile(r"^\w{4}-\w{4}-\w{4}$"))
    assert case.unit == point and case.contact_phone == "0912 345 678"
    assert ServiceRating.objects.get().level == 4


def test_a_mistyped_phone_is_caught_on_the_kiosk_before_anything_is_sent(kiosk):
    page, _point = kiosk
    page.locator("button.kiosk-level[data-level='5']").click()
    page.locator("#contact-phone").fill("12")
    page.locator("#send").click()
    expect(page.locator("#details")).to_be_visible()
    page.wait_for_timeout(500)
    assert not ServiceRating.objects.exists()

    page.locator("#contact-phone").fill("+84 912 345 678")
    page.locator("#send").click()
    expect(page.locator("#case-receipt")).to_be_visible(timeout=10000)
    assert FollowUpCase.objects.get().contact_phone == "+84 912 345 678"


def test_a_call_raised_while_the_desk_reconnects_shows_and_rings_on_reconnect(
    kiosk, browser, live_server, settings
):
    settings.FEEDBACK_STREAM_WSGI = True
    settings.FEEDBACK_STREAM_SECONDS = 3  # each stream ends soon, as in production after 300 s
    _page, point = kiosk
    head = make_user("point_head", roles={Role.UNIT_HEAD: point})
    context = browser.new_context()
    desk = context.new_page()
    desk.goto(f"{live_server.url}/accounts/login/")
    desk.locator("input[name=username]").fill(head.username)
    desk.locator("input[name=password]").fill(PASSWORD)
    desk.locator("form[action$='/accounts/login/'] button[type=submit]").click()
    desk.goto(f"{live_server.url}/feedback/desk/")
    expect(desk.locator("#desk")).to_have_attribute("data-connected", "true")
    expect(desk.locator("#no-calls")).to_be_visible()

    # The stream ends and cannot come back for a while: the call's event is lost to it.
    desk.route("**/feedback/stream/**", lambda route: route.abort())
    desk.wait_for_timeout(4000)
    counter = OrgUnit.objects.get(parent=point)
    call, _created = raise_assistance_call(counter=counter, source="kiosk")
    desk.wait_for_timeout(500)
    assert desk.locator(f"[data-call='{call.pk}']").count() == 0

    desk.unroute("**/feedback/stream/**")
    expect(desk.locator(f"[data-call='{call.pk}']")).to_be_visible(timeout=20000)
    expect(desk.locator("#alert-banner")).to_be_visible()
    assert AssistanceCall.objects.get().acknowledged_at is None
    context.close()
