"""One attacker cannot lock an account out for everyone, nor spray passwords from one address
(issue 20, items 5 and 6): axes locks a user name at one client address, the address decided
by TRUSTED_PROXIES, and sign-in attempts are throttled per address before any hashing."""

from __future__ import annotations

from axes.models import AccessFailureLog
from django.conf import settings as django_settings
from django.test import Client

from tests.factories import PASSWORD

LOGIN = "/accounts/login/"
PROXY = "10.0.0.5"


def _sign_in(client, username, password, *, via: str | None = None):
    """A sign-in arriving from PROXY, which says it forwards for `via`."""
    headers = {"REMOTE_ADDR": PROXY}
    if via is not None:
        headers["HTTP_X_FORWARDED_FOR"] = via
    return client.post(LOGIN, {"username": username, "password": password}, **headers)


def test_five_bad_passwords_from_one_address_do_not_lock_the_user_out_from_another(cast, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    attacker = Client()
    for _attempt in range(django_settings.AXES_FAILURE_LIMIT):
        _sign_in(attacker, "admin", "wrong-password-1!", via="198.51.100.66")

    locked = _sign_in(attacker, "admin", PASSWORD, via="198.51.100.66")
    assert locked.status_code == django_settings.AXES_HTTP_RESPONSE_CODE

    owner = _sign_in(Client(), "admin", PASSWORD, via="203.0.113.10")
    assert owner.status_code == 302


def test_without_a_trusted_proxy_a_forged_forwarded_address_does_not_escape_the_lockout(
    client, cast, settings
):
    settings.TRUSTED_PROXIES = []
    for attempt in range(django_settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "head_a", "wrong-password-1!", via=f"192.0.2.{attempt}")

    response = _sign_in(client, "head_a", PASSWORD, via="192.0.2.200")

    assert response.status_code == django_settings.AXES_HTTP_RESPONSE_CODE
    assert set(AccessFailureLog.objects.values_list("ip_address", flat=True)) == {PROXY}


def test_sign_in_attempts_are_throttled_per_address_before_the_password_is_checked(cast, settings):
    settings.THROTTLE_LOGIN = (3, 600)
    sprayer = Client()
    for username in ("head_a", "head_b", "coordinator_a"):
        assert _sign_in(sprayer, username, "wrong-password-1!").status_code == 200

    # Even the right password is not checked: the attempt never reaches authentication.
    refused = _sign_in(sprayer, "official_a", PASSWORD)

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Please try again in" in refused.content.decode()
    assert AccessFailureLog.objects.count() == 3
    assert "_auth_user_id" not in sprayer.session


def test_successful_sign_ins_do_not_use_up_an_office_s_allowance(cast, settings):
    settings.THROTTLE_LOGIN = (2, 600)
    for user in ("head_a", "head_b", "coordinator_a", "coordinator_b", "official_a"):
        assert _sign_in(Client(), user, PASSWORD).status_code == 302
