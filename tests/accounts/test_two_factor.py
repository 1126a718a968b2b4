import re
import time

import pytest
import time_machine
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD

SETTINGS = reverse("accounts:two_factor_settings")
VERIFY = reverse("accounts:verify")


def code_for(device: TOTPDevice) -> str:
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def enrol(client, user) -> TOTPDevice:
    """Sign in, set up and confirm a device through the pages."""
    client.force_login(user)
    client.post(reverse("accounts:two_factor_start"))
    device = TOTPDevice.objects.get(user=user)
    client.post(reverse("accounts:two_factor_confirm"), {"token": code_for(device)})
    device.refresh_from_db()
    assert device.confirmed
    return device


@pytest.fixture
def clock():
    # Codes are single-use within their 30-second step; tests move the clock past each step.
    with time_machine.travel(time.time(), tick=False) as traveller:
        yield traveller


def test_coordinator_sees_the_set_up_button(client, cast):
    client.force_login(cast.a.coordinator)

    response = client.get(SETTINGS)

    assert response.status_code == 200
    assert reverse("accounts:two_factor_start") in response.content.decode()


def test_officials_and_unit_heads_may_choose_two_step_sign_in(client, cast):
    for user in (cast.a.official_user, cast.a.head):
        client.force_login(user)

        assert client.get(SETTINGS).status_code == 200
        enrol(client, user)

        assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def test_starting_enrolment_shows_a_qr_code_and_the_secret(client, cast):
    client.force_login(cast.admin)

    client.post(reverse("accounts:two_factor_start"))
    response = client.get(SETTINGS)

    device = TOTPDevice.objects.get(user=cast.admin)
    assert not device.confirmed
    html = response.content.decode()
    assert "<svg" in html
    secret = re.search(r'<code id="totp-secret">([A-Z2-7]+)</code>', html).group(1)
    assert secret and secret in device.config_url


def test_a_wrong_code_does_not_confirm_the_device(client, cast, clock):
    client.force_login(cast.a.coordinator)
    client.post(reverse("accounts:two_factor_start"))
    device = TOTPDevice.objects.get(user=cast.a.coordinator)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"

    response = client.post(reverse("accounts:two_factor_confirm"), {"token": wrong})

    assert response.status_code == 200
    assert response.context["form"].errors["token"]
    device.refresh_from_db()
    assert not device.confirmed


def test_a_malformed_code_is_refused_with_a_message(client, cast):
    client.force_login(cast.a.coordinator)
    client.post(reverse("accounts:two_factor_start"))

    response = client.post(reverse("accounts:two_factor_confirm"), {"token": "12ab"})

    assert response.status_code == 200
    assert "6 digits" in response.context["form"].errors["token"][0]


def test_login_is_two_step_once_a_device_is_confirmed(client, cast, clock):
    enrol(client, cast.a.coordinator)
    client.post(reverse("accounts:logout"))
    clock.shift(31)

    response = client.post(
        reverse("accounts:login"), {"username": "coordinator_a", "password": PASSWORD}
    )
    response = client.get(response["Location"])

    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    device = TOTPDevice.objects.get(user=cast.a.coordinator)
    response = client.post(response["Location"], {"token": code_for(device)})
    assert response.status_code == 302
    assert client.get(reverse("orgs:home")).status_code == 200


def test_a_wrong_code_at_login_keeps_the_user_at_the_code_page(client, cast, clock):
    device = enrol(client, cast.a.coordinator)
    client.post(reverse("accounts:logout"))
    clock.shift(31)
    client.post(reverse("accounts:login"), {"username": "coordinator_a", "password": PASSWORD})
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"

    response = client.post(VERIFY, {"token": wrong})

    assert response.status_code == 200
    assert response.context["form"].errors["token"]
    assert client.get(reverse("orgs:home"))["Location"].startswith(VERIFY)


def test_unverified_session_is_redirected_to_the_code_page_from_every_page(client, cast):
    TOTPDevice.objects.create(user=cast.admin, name="phone", confirmed=True)
    client.force_login(cast.admin)

    for path in [
        reverse("orgs:home"),
        reverse("accounts:account"),
        reverse("accounts:password_change"),
        "/admin/",
    ]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == f"{VERIFY}?next={path.replace('/', '%2F')}", path
    assert client.get(VERIFY).status_code == 200


def test_unverified_session_may_still_log_out(client, cast):
    TOTPDevice.objects.create(user=cast.admin, name="phone", confirmed=True)
    client.force_login(cast.admin)

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_htmx_requests_are_sent_to_the_code_page_with_hx_redirect(client, cast):
    TOTPDevice.objects.create(user=cast.admin, name="phone", confirmed=True)
    client.force_login(cast.admin)

    response = client.get(reverse("orgs:home"), headers={"HX-Request": "true"})

    assert response["HX-Redirect"].startswith(VERIFY)


def test_api_calls_of_an_unverified_session_get_401_json(client, cast):
    TOTPDevice.objects.create(user=cast.admin, name="phone", confirmed=True)
    client.force_login(cast.admin)

    response = client.get("/api/v1/units")

    assert response.status_code == 401
    assert response.json()["message"]


def test_an_unconfirmed_device_does_not_ask_for_a_code(client, cast):
    TOTPDevice.objects.create(user=cast.admin, name="phone", confirmed=False)
    client.force_login(cast.admin)

    assert client.get(reverse("orgs:home")).status_code == 200


def test_removing_the_device_needs_a_current_code(client, cast, clock):
    device = enrol(client, cast.a.coordinator)
    clock.shift(31)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"

    response = client.post(reverse("accounts:two_factor_remove"), {"token": wrong})
    assert response.status_code == 200
    assert TOTPDevice.objects.filter(user=cast.a.coordinator).exists()

    clock.shift(120)  # past the throttle delay after a wrong code
    response = client.post(reverse("accounts:two_factor_remove"), {"token": code_for(device)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=cast.a.coordinator).exists()
