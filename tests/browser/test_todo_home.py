"""The to-do home of each role in a real Chromium, at phone (360×740) and desktop (1280×900)
sizes, on demo-like work: stacked cards inside the screen, every link a page the person may
open, screenshots saved as test-results/screenshots/todo-<role>-<size>.png."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.test_journeys import sign_in
from tests.core.todo_work import give_work

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}

CARDS = """() => [...document.querySelectorAll('.todo-item')].map(card => {
  const box = card.getBoundingClientRect();
  return {left: box.left, right: box.right, top: box.top, bottom: box.bottom,
          href: card.getAttribute('href')};
})"""


def _check_layout(page: Page, width: int) -> list[str]:
    cards = page.evaluate(CARDS)
    assert cards, "no card on the to-do home"
    for card in cards:
        assert card["left"] >= 0 and card["right"] <= width, card
    for above, below in zip(cards, cards[1:], strict=False):
        assert below["top"] >= above["bottom"], (above, below)  # stacked, never side by side
    assert page.evaluate("document.querySelector('main').scrollWidth <= window.innerWidth")
    return [card["href"] for card in cards]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_each_roles_to_do_home_reads_well_on_a_phone_and_a_desktop(
    page: Page, live_server, transactional_db, cast, media, screenshot
):
    work = give_work(cast, cast.a, today=timezone.localdate())
    roles = {
        "official": (cast.a.official_user, "Sign the commitment"),
        "head": (cast.a.head, "public report to triage"),
        "coordinator": (cast.city_coordinator, "Verify 1 answered corrective action"),
        "inspector": (work.inspector, "Inspection of"),
        "board-member": (work.board_member, "Vote on 1 nomination"),
    }
    for role, (user, expected) in roles.items():
        page.context.clear_cookies()
        page.set_viewport_size(PHONE)
        sign_in(page, live_server.url, user)
        page.goto(f"{live_server.url}/")
        expect(page.locator("h1")).to_have_text("To do")
        expect(page.locator("main")).to_contain_text(expected)

        links = _check_layout(page, PHONE["width"])
        for href in links:
            answer = page.request.get(f"{live_server.url}{href}")
            assert answer.status == 200, (role, href, answer.status)
        screenshot(page, f"todo-{role}", sizes=(("phone", PHONE), ("desktop", DESKTOP)))
        page.set_viewport_size(DESKTOP)
        assert _check_layout(page, DESKTOP["width"]) == links
