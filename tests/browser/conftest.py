"""Real-browser tests: Debian's Chromium driven by Playwright against Django's live server."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from the
# same thread (fixtures) would otherwise be refused as "async unsafe".
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")


def pytest_collection_modifyitems(items):
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(
        reason=f"Chromium is not installed at {CHROMIUM} (apt install chromium)"
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "vi-VN", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture(autouse=True)
def _live_server_settings(settings):
    # The live server speaks plain http.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


# --- Added with issue 11: CI refuses skips, screenshots kept as artefacts ---------------------

# CI sets this: a missing Chromium must fail the run, not skip the browser tests quietly.
REQUIRE_BROWSER_ENV = "CIVILITY_REQUIRE_BROWSER"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def pytest_sessionstart(session):
    if os.environ.get(REQUIRE_BROWSER_ENV) and not CHROMIUM.exists():
        raise pytest.UsageError(
            f"{REQUIRE_BROWSER_ENV} is set but Chromium is not installed at {CHROMIUM}: "
            "the browser tests would be skipped."
        )


@pytest.fixture
def screenshot():
    """screenshot(page, "name") saves test-results/screenshots/name-phone.png and
    name-desktop.png (full page), then puts the page back at its size."""

    def take(page, name: str, *, sizes=(("phone", PHONE), ("desktop", DESKTOP))):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        original = page.viewport_size
        paths = []
        for label, size in sizes:
            page.set_viewport_size(size)
            path = SCREENSHOTS / f"{name}-{label}.png"
            page.screenshot(path=str(path), full_page=True)
            paths.append(path)
        if original:
            page.set_viewport_size(original)
        return paths

    return take


def pytest_terminal_summary(terminalreporter):
    if CHROMIUM.exists():
        return
    skipped = [
        report
        for report in terminalreporter.stats.get("skipped", [])
        if "Chromium is not installed" in str(report.longrepr)
    ]
    if skipped:
        terminalreporter.write_line(
            f"BROWSER TESTS SKIPPED ({len(skipped)}): Chromium is not installed at {CHROMIUM}. "
            "Install it (apt-get install chromium) to run them.",
            yellow=True,
            bold=True,
        )


@pytest.fixture
def page(page):
    """Every browser test fails on a Content-Security-Policy violation (an inline style or
    script the policy refused), reported by Chromium on the console."""
    violations: list[str] = []

    def record(message) -> None:
        if "Content Security Policy" in message.text:
            violations.append(message.text)

    page.on("console", record)
    yield page
    assert not violations, violations


# --- Added with issue 18: accessibility checks with axe-core ----------------------------------

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_PATH = "/__axe-core.js"  # answered by the test's route, never by the server
AXE_FAILING_IMPACTS = ("serious", "critical")


@pytest.fixture
def axe():
    """axe(page) runs axe-core (npm devDependency) on the page as it stands and fails on any
    serious or critical violation; axe(page, strict=False) returns them instead. The script
    is served from the page's own origin through a Playwright route, so the
    Content-Security-Policy (script-src 'self') stays as in production; an inline
    add_script_tag(path=...) would be refused by it."""

    def check(page, *, name: str = "", strict: bool = True) -> list[dict]:
        """The serious and critical violations; with `strict`, none may be found."""
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(page.url))
        page.route(f"{origin}{AXE_PATH}", lambda route: route.fulfill(path=str(AXE)))
        page.add_script_tag(url=f"{origin}{AXE_PATH}")
        page.unroute(f"{origin}{AXE_PATH}")
        result = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        )
        failing = [
            {
                "rule": violation["id"],
                "impact": violation["impact"],
                "help": violation["help"],
                "nodes": [node["target"] for node in violation["nodes"][:5]],
            }
            for violation in result
            if violation["impact"] in AXE_FAILING_IMPACTS
        ]
        assert not (strict and failing), f"{name or page.url}: {failing}"
        return failing

    return check
