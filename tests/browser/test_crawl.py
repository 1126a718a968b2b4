"""Every demo login, at phone size (360×740), walks what its navigation offers: no page wider
than the screen, no link shown that answers 403/404 (or any error), no Content-Security-Policy
violation, no focused element hidden under a sticky box, and no serious or critical axe-core
finding on home and the navigation's pages. Screenshots of each login's home at
360×740 and 1440×900 go to test-results/screenshots/role-<login>-<size>.png.

The whole demo is loaded (`load_demo`, the list `make run` uses), with three logins the demo
has no dedicated user for: an inspector, a system administrator (not a superuser) and a plain
official outside the one-stop counter. About three minutes: marked `system`.
"""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page

from civility.inspections.models import Inspection, InspectionStatus
from civility.orgs.models import Official, OrgUnit, RoleAssignment, UnitKind
from civility.orgs.scopes import Role
from tests.browser.crawl import PHONE, crawl
from tests.browser.test_journeys import sign_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.system]

DESKTOP = {"width": 1440, "height": 900}
DEMO_LOGINS = ("demo_admin", "demo_coordinator", "demo_head", "demo_official", "dieu_phoi_sonla")
EXTRA_LOGINS = ("crawl_inspector", "crawl_system_admin", "crawl_plain_official")


def add_extra_logins() -> None:
    """The roles the demo gives no login of their own, granted on the demo's Hanoi units."""
    User = get_user_model()
    city = OrgUnit.objects.get(kind=UnitKind.PROVINCE, code="01")
    ward = OrgUnit.objects.get(kind=UnitKind.WARD, code="00103")
    admin = User.objects.get(username="demo_admin")
    for username, role, unit in (
        ("crawl_inspector", Role.INSPECTOR, city),
        ("crawl_system_admin", Role.SYSTEM_ADMIN, city),
    ):
        user, _ = User.objects.get_or_create(username=username)
        RoleAssignment.objects.get_or_create(
            user=user, role=role, unit=unit, defaults={"granted_by": admin}
        )
    # A plain official: one of the ward's staff who does not sit at a counter.
    official = (
        Official.objects.filter(unit__path__startswith=ward.path, user__isnull=True)
        .exclude(unit__kind=UnitKind.COUNTER)
        .order_by("pk")
        .first()
    )
    user, _ = User.objects.get_or_create(username="crawl_plain_official")
    official.user = user
    official.save(update_fields=["user"])
    RoleAssignment.objects.get_or_create(
        user=user, role=Role.OFFICIAL, unit=official.unit, defaults={"granted_by": admin}
    )


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", stdout=io.StringIO(), stderr=io.StringIO())
    add_extra_logins()
    # The demo enrols its administrator and coordinators in two-factor sign-in; the tests
    # switch the requirement off (tests/conftest.py), so their authenticators go too.
    TOTPDevice.objects.filter(user__username__in=DEMO_LOGINS).delete()
    for user in get_user_model().objects.filter(username__in=DEMO_LOGINS + EXTRA_LOGINS):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])


def test_every_demo_login_can_use_each_page_its_navigation_shows_on_a_phone(
    page: Page, live_server, demo, screenshot, axe
):
    # The surprise inspection's checklist, with its sticky head, for whoever may run it.
    planned = Inspection.objects.filter(status=InspectionStatus.PLANNED).order_by("pk").first()
    run = (planned.get_absolute_url() + "run/",) if planned else ()
    problems = []
    for username in DEMO_LOGINS + EXTRA_LOGINS:
        page.context.clear_cookies()
        page.set_viewport_size(PHONE)
        sign_in(page, live_server.url, get_user_model().objects.get(username=username))
        page.goto(f"{live_server.url}/")
        screenshot(page, f"role-{username}", sizes=(("phone", PHONE), ("desktop", DESKTOP)))
        extra = run if username in ("demo_coordinator", "crawl_inspector") else ()
        result = crawl(
            page, live_server.url, extra=extra, audit=lambda page: axe(page, strict=False)
        )
        assert len(result.visited) >= 10, (username, result.visited)
        problems += [f"{username} · {problem}" for problem in result.problems]
    assert not problems, "\n".join(problems)
