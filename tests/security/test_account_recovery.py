"""Recovering an account without a superuser: a unit's system administrator resets the
password or the second factor of the accounts of their subtree (audited), never a wider
account; "forgot your password?" by e-mail when mail is configured (issue 20, item 7)."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from civility.accounts.actions import accounts_administered_by, reset_password
from civility.accounts.models import Profile
from civility.core.models import AuditEvent
from civility.orgs.scopes import Role
from tests.factories import PASSWORD, make_user

PEOPLE = reverse("accounts:people")


@pytest.fixture
def ward_admin(cast):
    return make_user("sysadmin_a", roles={Role.SYSTEM_ADMIN: cast.a.ward})


def test_a_ward_administrator_administers_only_accounts_wholly_inside_the_ward(cast, ward_admin):
    wider = make_user("wider", roles={Role.UNIT_HEAD: cast.a.ward, Role.VIEWER: cast.b.ward})

    administered = set(accounts_administered_by(ward_admin))

    assert {cast.a.head, cast.a.coordinator, cast.a.official_user} <= administered
    assert not administered & {wider, cast.b.head, cast.city_coordinator, cast.admin, ward_admin}


def test_another_wards_administrator_cannot_reset_and_sees_404(client, cast, ward_admin):
    client.force_login(ward_admin)
    url = reverse("accounts:person_reset_password", args=[cast.b.head.pk])

    assert client.post(url).status_code == 404
    assert client.get(PEOPLE).status_code == 200
    assert cast.b.head.username not in client.get(PEOPLE).content.decode()


def test_officials_have_no_accounts_page(client, cast):
    client.force_login(cast.a.head)

    assert client.get(PEOPLE).status_code == 404


def test_a_reset_password_is_shown_once_audited_and_must_be_changed_at_next_sign_in(
    client, cast, ward_admin
):
    client.force_login(ward_admin)
    response = client.post(reverse("accounts:person_reset_password", args=[cast.a.head.pk]))
    temporary = re.search(r'id="temporary-password">([^<]+)<', response.content.decode())[1]

    assert response.headers["Cache-Control"] == "no-store"
    event = AuditEvent.objects.get_for_object(cast.a.head).get()
    assert event.actor == ward_admin and "password" in event.changes
    assert temporary not in str(event.changes)

    client.logout()
    client.post(reverse("accounts:login"), {"username": "head_a", "password": temporary})
    home = client.get(reverse("orgs:home"))
    assert home.status_code == 302 and home.url.startswith(reverse("accounts:password_change"))
    new = "Mật-khẩu-mới-2026!"
    client.post(
        reverse("accounts:password_change"),
        {"old_password": temporary, "new_password1": new, "new_password2": new},
    )
    assert client.get(reverse("orgs:home")).status_code == 200
    assert not Profile.objects.get(user=cast.a.head).must_change_password


def test_a_password_only_session_cannot_reach_the_password_page_before_its_code(
    client, cast, settings
):
    """Otherwise a stolen password would change the password without the second factor."""
    settings.TWO_FACTOR_REQUIRED = True
    TOTPDevice.objects.create(user=cast.a.head, name="phone", confirmed=True)
    Profile.objects.create(user=cast.a.head, must_change_password=True)
    client.post(reverse("accounts:login"), {"username": "head_a", "password": PASSWORD})

    response = client.get(reverse("accounts:password_change"))

    assert response.status_code == 302 and response.url.startswith(reverse("accounts:verify"))


def test_a_lost_phone_is_reset_by_the_administrator_and_audited(client, cast, ward_admin):
    TOTPDevice.objects.create(user=cast.a.coordinator, name="phone", confirmed=True)
    client.force_login(ward_admin)

    client.post(reverse("accounts:person_reset_two_factor", args=[cast.a.coordinator.pk]))

    assert not TOTPDevice.objects.filter(user=cast.a.coordinator).exists()
    assert "two_factor" in AuditEvent.objects.get_for_object(cast.a.coordinator).get().changes


def test_nobody_resets_their_own_account_here(cast, ward_admin):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        reset_password(actor=ward_admin, user=ward_admin)


def test_forgot_password_sends_a_one_time_link_without_telling_who_has_an_account(
    client, cast, settings
):
    settings.PASSWORD_RESET_BY_EMAIL = True
    cast.a.head.email = "head.a@example.invalid"
    cast.a.head.save()
    url = reverse("accounts:password_reset")

    known = client.post(url, {"email": "head.a@example.invalid"})
    unknown = client.post(url, {"email": "nobody@example.invalid"})

    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+", mail.outbox[0].body)[0]
    form = client.get(link, follow=True)
    new = "Mật-khẩu-mới-2026!"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    cast.a.head.refresh_from_db()
    assert cast.a.head.check_password(new)
    assert client.get(link, follow=True).context["validlink"] is False


def test_forgot_password_is_404_when_mail_is_not_configured(client, settings):
    settings.PASSWORD_RESET_BY_EMAIL = False

    assert client.get(reverse("accounts:password_reset")).status_code == 404
    assert "Ask a system administrator" in client.get(reverse("accounts:login")).content.decode()
