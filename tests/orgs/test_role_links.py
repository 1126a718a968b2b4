"""Navigation, tabs and buttons appear only where the role may act: every link a page shows
in its navigation opens for the person reading it (the browser crawl of the demo logins,
tests/browser/test_crawl.py, checks the same on whole pages)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from civility.orgs.access import may_open
from civility.orgs.models import UnitKind
from civility.orgs.scopes import Role
from tests.factories import make_official, make_unit, make_user

# Pages whose tab bars once offered a counter official tabs answering 404 or 403.
TABBED_PAGES = (
    "orgs:home",
    "evaluations:evaluation_home",
    "conduct:record_list",
    "awards:movement_list",
    "codes:code_list",
    "inspections:inspection_list",
    "programmes:indicator_list",
    "feedback:overview",
    "insights:dashboard",
)
HREF = re.compile(r'<a [^>]*href="(/[^"#]*)"')


@pytest.fixture
def counter_official(cast):
    point = make_unit("Điểm phục vụ Tây Hồ", parent=cast.city, kind=UnitKind.SERVICE_POINT)
    counter = make_unit("Quầy số 1", parent=point, kind=UnitKind.COUNTER, serves=cast.a.ward)
    user = make_user("counter_official", roles={Role.OFFICIAL: counter})
    make_official("Lê Thị Thu", unit=counter, user=user)
    return user


def _nav_links(html: str) -> list[str]:
    """The links of every <nav> on the page: the header's and the tab bars'."""
    links = []
    for block in re.findall(r"<nav\b.*?</nav>", html, flags=re.S):
        links += [href.replace("&amp;", "&") for href in HREF.findall(block)]
    return links


@pytest.mark.parametrize("who", ["counter_official", "official", "head", "coordinator"])
def test_every_navigation_link_shown_to_a_role_opens(client, cast, counter_official, who):
    user = {
        "counter_official": counter_official,
        "official": cast.a.official_user,
        "head": cast.a.head,
        "coordinator": cast.city_coordinator,
    }[who]
    client.force_login(user)
    shown = set()
    for name in TABBED_PAGES:
        page = client.get(reverse(name), follow=True)
        assert page.status_code == 200, (name, page.status_code)
        shown.update(_nav_links(page.content.decode()))
    assert len(shown) > 10
    failing = {}
    for link in sorted(shown):
        status = client.get(link, follow=True).status_code
        if status >= 400:
            failing[link] = status
    assert not failing, failing


def test_counter_official_is_offered_no_evaluation_figures_or_award_eligibility(
    client, counter_official
):
    client.force_login(counter_official)
    evaluations = client.get(reverse("evaluations:evaluation_home")).content.decode()
    for name in ("follow_up", "rotation_list", "figures", "classification_list"):
        assert f'href="{reverse(f"evaluations:{name}")}"' not in evaluations, name
        assert client.get(reverse(f"evaluations:{name}")).status_code == 404
    awards = client.get(reverse("awards:movement_list")).content.decode()
    for name in ("eligibility", "hold_list"):
        assert f'href="{reverse(f"awards:{name}")}"' not in awards, name
        assert client.get(reverse(f"awards:{name}")).status_code == 403
    conduct = client.get(reverse("conduct:record_list")).content.decode()
    assert f'href="{reverse("conduct:figures")}"' not in conduct


def test_a_link_asks_the_roles_its_view_declares(cast, counter_official):
    assert may_open(cast.a.head, "evaluations:follow_up")
    assert may_open(cast.a.head, reverse("evaluations:follow_up") + "?unit=1")
    assert not may_open(counter_official, "evaluations:follow_up")
    assert not may_open(counter_official, reverse("conduct:figures"))
    assert may_open(counter_official, "evaluations:rule_set_list")  # the rules that score them
    assert may_open(counter_official, "orgs:unit_list")  # no roles declared: open to all


def test_favicon_ico_leads_to_the_svg_icon(client, db):
    answer = client.get("/favicon.ico")
    assert answer.status_code == 302
    assert answer["Location"].endswith("favicon.svg")
    page = client.get(reverse("accounts:login")).content.decode()
    assert 'rel="icon" href="/static/favicon.svg"' in page
