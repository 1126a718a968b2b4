"""Visit what a signed-in person's navigation offers, at phone size, and list what is wrong.

Used by tests/browser/test_crawl.py for every demo login. Kept apart from the test so it can
also be pointed at a running server while fixing pages (`crawl(page, base)` only needs a page
that is already signed in).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import count
from urllib.parse import urldefrag, urljoin, urlsplit

from playwright.sync_api import Page

PHONE = {"width": 360, "height": 740}
# Files and machine endpoints: their status is checked, but they are not rendered as pages.
NOT_PAGES = (".docx", ".pdf", ".xlsx", ".csv", ".json", ".zip", ".png", ".jpg", ".svg")
NOT_PAGES_PARTS = ("/export", "/download", "/events", "/admin/", "/api/", "/media/", "/files/")

LINKS = """() => [...document.querySelectorAll('a[href]')]
  .filter(a => !a.hasAttribute('download') && !a.closest('[hidden]'))
  .map(a => ({href: a.href, nav: Boolean(a.closest('nav, [role=tablist], .tabs'))}))"""

# Every element that stays on screen while the page scrolls, and whether the focused element
# is covered by one of them (an element inside the sticky box is not hidden by it).
COVERED = """() => {
  const focused = document.activeElement;
  if (!focused || focused === document.body || focused === document.documentElement) return null;
  const box = focused.getBoundingClientRect();
  if (box.width === 0 && box.height === 0) return null;
  for (const element of document.querySelectorAll('body *')) {
    const position = getComputedStyle(element).position;
    if (position !== 'sticky' && position !== 'fixed') continue;
    if (element.contains(focused) || focused.contains(element)) continue;
    const cover = element.getBoundingClientRect();
    if (cover.height === 0 || cover.width === 0) continue;
    const overlaps = box.top < cover.bottom - 1 && box.bottom > cover.top + 1
      && box.left < cover.right && box.right > cover.left;
    if (overlaps) {
      return {focused: focused.outerHTML.slice(0, 120), cover: element.className || element.tagName,
              focusedTop: box.top, coverBottom: cover.bottom};
    }
  }
  return null;
}"""

TOO_WIDE = """() => {
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth <= width) return null;
  // Name the widest elements that stick out, to say what to fix.
  const culprits = [];
  for (const element of document.querySelectorAll('body *')) {
    const box = element.getBoundingClientRect();
    if (box.right > width + 1 && box.width > 0) {
      let parent = element.parentElement, inside = false;
      while (parent && parent !== document.body) {
        const overflow = getComputedStyle(parent).overflowX;
        if (['auto', 'scroll', 'hidden'].includes(overflow)) { inside = true; break; }
        parent = parent.parentElement;
      }
      const name = element.tagName.toLowerCase() + '.' + String(element.className);
      if (!inside) culprits.push(`${name} ${Math.round(box.right)}`);
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, culprits: culprits.slice(0, 6)};
}"""


@dataclass
class Crawl:
    visited: list[str] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)  # link -> status
    problems: list[str] = field(default_factory=list)


def _same_origin(base: str, href: str) -> bool:
    return urlsplit(href).netloc == urlsplit(base).netloc and urlsplit(href).scheme in (
        "http",
        "https",
    )


def _is_page(url: str) -> bool:
    path = urlsplit(url).path
    return not path.endswith(NOT_PAGES) and not any(part in path for part in NOT_PAGES_PARTS)


def links_on(page: Page, base: str) -> list[tuple[str, bool]]:
    found = []
    for link in page.evaluate(LINKS):
        url, _fragment = urldefrag(urljoin(page.url, link["href"]))
        if _same_origin(base, url):
            found.append((url, link["nav"]))
    return found


def focus_problems(page: Page, *, presses: int = 6) -> list[str]:
    """Tab through the first focusable elements of the main content, each time from the end
    of the page (so the focus scrolls the page back up, as Shift+Tab back to a checklist's
    buttons does), and report a focused element left under a sticky box."""
    problems = []
    page.evaluate(
        "() => (document.querySelector('main') || document.body).focus({preventScroll: true})"
    )
    for _ in range(presses):
        page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
        page.keyboard.press("Tab")
        covered = page.evaluate(COVERED)
        if covered:
            problems.append(f"focused element under a sticky box: {covered}")
            break
    return problems


def check_page(page: Page, url: str) -> list[str]:
    """Open `url` at the page's current size; return what is wrong with it."""
    csp: list[str] = []

    def record(message) -> None:
        if "Content Security Policy" in message.text:
            csp.append(message.text)

    page.on("console", record)
    try:
        response = page.goto(url, wait_until="load")
        problems = []
        if response is None or response.status >= 400:
            problems.append(f"answers {response.status if response else 'nothing'}")
            return problems
        too_wide = page.evaluate(TOO_WIDE)
        if too_wide:
            problems.append(f"wider than the screen: {too_wide}")
        problems += focus_problems(page)
        if csp:
            problems.append(f"Content-Security-Policy violation: {csp[:2]}")
        return problems
    finally:
        page.remove_listener("console", record)


def crawl(
    page: Page,
    base: str,
    *,
    limit: int = 45,
    check_limit: int = 200,
    extra: tuple[str, ...] = (),
    audit: Callable[[Page], list] | None = None,
) -> Crawl:
    """Home, then the main navigation's pages, then the tabs of those pages, then the other
    links of home and of those pages (the bound cuts the least important first): at most
    `limit` pages rendered. Every same-origin link shown on them is asked for as well.
    `audit(page)` (axe-core) runs on home, the navigation's pages and `extra`, and returns
    what it finds wrong."""
    result = Crawl()
    home = base.rstrip("/") + "/"
    order = count()
    # (priority, arrival, url, expand): only home and the main navigation's pages are expanded.
    queue: list[tuple[int, int, str, bool]] = [(0, next(order), home, True)]
    queue += [(1, next(order), urljoin(home, path), False) for path in extra]
    seen: set[str] = {url for _p, _o, url, _e in queue}
    shown: list[tuple[str, str]] = []  # (link, page it is on)
    while queue and len(result.visited) < limit:
        priority, _arrival, url, expand = heapq.heappop(queue)
        result.visited.append(url)
        for problem in check_page(page, url):
            result.problems.append(f"{url}: {problem}")
        if audit is not None and priority <= 1:
            result.problems += [f"{url}: accessibility: {problem}" for problem in audit(page)]
        found = links_on(page, base)
        shown += [(link, url) for link, _nav in found]
        if not expand:
            continue
        is_home = url == home
        for link, nav in found:
            if link in seen or not _is_page(link):
                continue
            seen.add(link)
            if is_home:
                priority, expand_link = (1, True) if nav else (3, False)
            else:
                priority, expand_link = (2, False) if nav else (4, False)
            heapq.heappush(queue, (priority, next(order), link, expand_link))
    for link, on_page in shown:
        if link in result.checked or len(result.checked) >= check_limit:
            continue
        if link in result.visited:
            result.checked[link] = 200
            continue
        response = page.request.get(link, max_redirects=5)
        result.checked[link] = response.status
        if response.status >= 400:
            result.problems.append(f"{on_page}: links to {link}, which answers {response.status}")
    return result
