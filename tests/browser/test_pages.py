"""The organisation pages in a real browser: sign-in, tree expansion, live search, keyboard."""

import re

import pytest
from playwright.sync_api import Page, expect

from civility.orgs.models import UnitKind
from tests.factories import PASSWORD, make_official, make_unit

pytestmark = pytest.mark.browser


@pytest.fixture
def signed_in(page: Page, live_server, transactional_db, cast) -> Page:
    """The head of ward A, signed in through the login form."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=username]").fill(cast.a.head.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form[action$='/accounts/login/'] button[type=submit]").click()
    expect(page.locator("header")).to_contain_text(cast.a.head.username)
    return page


def test_signing_in_lands_on_the_to_do_page_in_the_selected_ward(signed_in: Page, cast):
    expect(signed_in.locator("h1")).to_have_text("To do")
    expect(signed_in.locator("#unit-switcher")).to_have_value(str(cast.a.ward.pk))
    expect(signed_in.locator("main")).to_contain_text("Phường Tây Hồ")


def test_unit_tree_expands_a_node_on_demand(signed_in: Page, live_server, cast):
    make_unit("Tổ dân phố số 1", parent=cast.a.ward, kind=UnitKind.RESIDENTIAL_GROUP)
    signed_in.goto(f"{live_server.url}/units/")

    toggle = signed_in.locator(f"button[aria-controls='children-{cast.a.ward.pk}']")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()

    children = signed_in.locator(f"#children-{cast.a.ward.pk}")
    expect(children).to_be_visible()
    expect(children).to_contain_text("Tổ dân phố số 1")
    expect(children).to_contain_text("Văn phòng HĐND và UBND Phường Tây Hồ")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(signed_in.locator("body")).not_to_contain_text("Phường Long Biên")

    toggle.click()
    expect(children).to_be_hidden()


def test_live_search_without_diacritics_finds_the_official(signed_in: Page, live_server, cast):
    make_official("Trần Thị Hoa", unit=cast.a.department)
    signed_in.goto(f"{live_server.url}/officials/")
    results = signed_in.locator("#results")
    expect(results).to_contain_text("Trần Thị Hoa")

    signed_in.locator("#id_q").press_sequentially("nguyen", delay=30)

    expect(results).not_to_contain_text("Trần Thị Hoa")
    expect(results).to_contain_text("Nguyễn Văn A")
    expect(results).not_to_contain_text("Nguyễn Văn B")
    expect(signed_in).to_have_url(re.compile(r"q=nguyen"))


def test_tab_reaches_the_skip_link_first(signed_in: Page, live_server):
    signed_in.goto(f"{live_server.url}/officials/")

    signed_in.keyboard.press("Tab")

    focused = signed_in.locator(":focus")
    expect(focused).to_have_class(re.compile(r"\bskip-link\b"))
    expect(focused).to_be_visible()
    signed_in.keyboard.press("Enter")
    expect(signed_in).to_have_url(re.compile(r"#main$"))
