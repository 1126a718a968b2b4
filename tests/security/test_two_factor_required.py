"""Privileged accounts use two factors: a stolen password alone must not reach the pages of
superusers, system administrators or coordinators (issue 20, item 7). Others may choose."""

import time

import pytest
import time_machine
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from civility.orgs.scopes import Role
from tests.accounts.test_two_factor import code_for
from tests.factories import PASSWORD, make_user

SETTINGS = reverse("accounts:two_factor_settings")
HOME = reverse("orgs:home")


@pytest.fixture(autouse=True)
def required(settings):
    settings.TWO_FACTOR_REQUIRED = True


@pytest.fixture
def clock():
    with time_machine.travel(time.time(), tick=False) as traveller:
        yield traveller


def sign_in(client, user):
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    return response


@pytest.mark.parametrize("who", ["admin", "city_coordinator", "system_admin"])
def test_a_password_alone_does_not_reach_any_page_of_a_privileged_account(client, cast, who):
    user = (
        make_user("sysadmin", roles={Role.SYSTEM_ADMIN: cast.a.ward})
        if who == "system_admin"
        else getattr(cast, who)
    )
    sign_in(client, user)

    for url in (HOME, reverse("orgs:unit_list"), "/admin/", reverse("core:audit_list")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(SETTINGS)
    api = client.get("/api/v1/units")
    assert api.status_code == 401
    assert "two-step sign-in" in api.json()["message"]


def test_the_enrolment_page_shows_the_key_at_once_and_confirming_opens_the_way_back(
    client, cast, clock
):
    sign_in(client, cast.city_coordinator)
    page = client.get(HOME, follow=True)

    assert "Your role requires two-step sign-in." in page.content.decode()
    device = TOTPDevice.objects.get(user=cast.city_coordinator, confirmed=False)
    response = client.post(
        reverse("accounts:two_factor_confirm"), {"token": code_for(device), "next": HOME}
    )

    assert response.status_code == 302 and response.url == HOME
    assert client.get(HOME).status_code == 200


def test_an_enrolled_coordinator_cannot_turn_two_factor_off(client, cast, clock):
    sign_in(client, cast.city_coordinator)
    client.get(SETTINGS)
    device = TOTPDevice.objects.get(user=cast.city_coordinator)
    client.post(reverse("accounts:two_factor_confirm"), {"token": code_for(device)})
    clock.shift(30)

    page = client.get(SETTINGS).content.decode()
    response = client.post(reverse("accounts:two_factor_remove"), {"token": code_for(device)})

    assert "cannot be turned off" in page
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=cast.city_coordinator, confirmed=True).exists()


def test_unit_heads_and_officials_reach_their_pages_with_a_password(client, cast):
    for user in (cast.a.head, cast.a.official_user):
        client.logout()
        sign_in(client, user)

        assert client.get(HOME).status_code == 200


def test_the_admin_site_refuses_an_unverified_superuser_even_past_the_middleware(rf, cast):
    from django.contrib import admin

    request = rf.get("/admin/")
    request.user = cast.admin
    request.user.is_verified = lambda: False

    assert admin.site.has_permission(request) is False
