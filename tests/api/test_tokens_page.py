"""Tokens managed in the app (issue 22): each person creates tokens for the roles they hold,
sees the secret once on a page reached by redirect, lists and revokes them; a system
administrator also sees and revokes the tokens of their units. `GET /me` says who a token is."""

from __future__ import annotations

import datetime

import time_machine
from django.urls import reverse
from django.utils import timezone

from civility.accounts.models import ApiToken, hash_token
from civility.core.models import AuditEvent
from civility.orgs.scopes import Role
from tests.factories import make_user

NOW = datetime.datetime(2026, 12, 5, 9, 0, tzinfo=datetime.UTC)


def _create(client, unit, role, **extra):
    data = {"name": "Đồng bộ nhân sự", "unit": unit.pk, "role": role, **extra}
    return client.post(reverse("accounts:token_list"), data)


@time_machine.travel(NOW, tick=False)
def test_a_unit_head_creates_a_token_and_sees_its_secret_once(client, cast):
    client.force_login(cast.a.head)

    created = _create(client, cast.a.ward, Role.UNIT_HEAD, expires_on="2027-03-05")

    api_token = ApiToken.objects.get()
    assert created.status_code == 302
    assert created.url == reverse("accounts:token_created", args=[api_token.pk])
    page = client.get(created.url)
    secret = page.context["secret"]
    assert secret.startswith("cvt_") and secret in page.content.decode()
    assert api_token.key_hash == hash_token(secret)
    assert (api_token.owner, api_token.unit, api_token.role) == (
        cast.a.head,
        cast.a.ward,
        Role.UNIT_HEAD,
    )
    assert page.headers["Cache-Control"] == "no-store"

    reloaded = client.get(created.url)
    assert reloaded.context["secret"] is None
    assert secret not in reloaded.content.decode()
    assert ApiToken.objects.count() == 1


def test_the_expiry_is_ninety_days_unless_chosen(client, cast):
    client.force_login(cast.a.head)
    form = client.get(reverse("accounts:token_list")).context["form"]

    assert form["expires_on"].initial == timezone.localdate() + datetime.timedelta(days=90)


def test_a_token_takes_only_a_role_its_creator_holds_on_that_unit(client, cast):
    client.force_login(cast.a.head)

    other_ward = _create(client, cast.b.ward, Role.UNIT_HEAD, expires_on="2099-01-01")
    higher_role = _create(client, cast.a.ward, Role.SYSTEM_ADMIN, expires_on="2099-01-01")
    past = _create(client, cast.a.ward, Role.UNIT_HEAD, expires_on="2000-01-01")

    assert other_ward.status_code == higher_role.status_code == past.status_code == 200
    assert "unit" in other_ward.context["form"].errors
    assert "role" in higher_role.context["form"].errors
    assert "expires_on" in past.context["form"].errors
    assert not ApiToken.objects.exists()


def test_a_read_only_token_may_be_made_from_any_role(client, cast):
    client.force_login(cast.a.head)

    _create(client, cast.a.ward, Role.VIEWER, expires_on="2099-01-01")

    assert ApiToken.objects.get().role == Role.VIEWER


def test_the_list_shows_name_scope_created_last_used_and_expiry(client, cast, make_token):
    api_token, headers = make_token(cast.a.ward, actor=cast.a.head)
    client.get("/api/v1/units", headers=headers)
    client.force_login(cast.a.head)

    page = client.get(reverse("accounts:token_list")).content.decode()

    assert api_token.name in page and api_token.key_prefix in page
    assert "Viewer · Phường Tây Hồ" in page
    assert "never" not in page  # it was used, and it expires


def test_the_owner_revokes_their_token_and_it_stops_at_once(client, cast, make_token):
    api_token, headers = make_token(cast.a.ward, actor=cast.a.head)
    client.force_login(cast.a.head)

    response = client.post(reverse("accounts:token_revoke", args=[api_token.pk]))

    assert response.status_code == 302
    api_token.refresh_from_db()
    assert api_token.revoked_at is not None
    assert "revoked on" in client.get(reverse("accounts:token_list")).content.decode()
    client.logout()
    assert client.get("/api/v1/units", headers=headers).status_code == 401


def test_an_administrator_sees_and_revokes_the_tokens_of_their_units(client, cast, make_token):
    api_token, _headers = make_token(cast.a.ward, actor=cast.a.head)
    ward_admin = make_user("ward_admin", roles={Role.SYSTEM_ADMIN: cast.a.ward})
    client.force_login(ward_admin)

    assert api_token in client.get(reverse("accounts:token_list")).context["others"]
    client.post(reverse("accounts:token_revoke", args=[api_token.pk]))

    api_token.refresh_from_db()
    assert api_token.revoked_at is not None


def test_someone_else_cannot_see_or_revoke_a_token(client, cast, make_token):
    api_token, _headers = make_token(cast.a.ward, actor=cast.a.head)
    client.force_login(cast.b.head)

    page = client.get(reverse("accounts:token_list"))
    refused = client.post(reverse("accounts:token_revoke", args=[api_token.pk]))
    shown = client.get(reverse("accounts:token_created", args=[api_token.pk]))

    assert api_token.name not in page.content.decode() or not page.context["mine"]
    assert refused.status_code == shown.status_code == 404
    api_token.refresh_from_db()
    assert api_token.revoked_at is None


def test_creating_and_revoking_are_audited(client, cast):
    client.force_login(cast.a.head)
    _create(client, cast.a.ward, Role.UNIT_HEAD, expires_on="2099-01-01")
    api_token = ApiToken.objects.get()
    client.post(reverse("accounts:token_revoke", args=[api_token.pk]))

    events = AuditEvent.objects.filter(object_pk=str(api_token.pk), actor=cast.a.head)
    assert events.count() == 2


def test_me_says_which_token_and_what_it_reaches(client, cast, make_token):
    api_token, headers = make_token(cast.a.ward, Role.UNIT_HEAD, actor=cast.a.head)

    me = client.get("/api/v1/me", headers=headers).json()

    assert me["username"] == "head_a"
    assert me["authenticated_by"] == "token"
    assert me["token"]["name"] == api_token.name
    assert me["token"]["role"] == "unit_head"
    assert me["token"]["expires_at"] is not None
    assert me["scope"] == [
        {"role": "unit_head", "unit_id": cast.a.ward.pk, "unit_name": "Phường Tây Hồ"}
    ]
    assert me["all_units"] is False


def test_me_with_the_session_lists_the_persons_roles(client, cast):
    client.force_login(cast.a.coordinator)

    me = client.get("/api/v1/me").json()

    assert me["authenticated_by"] == "session" and me["token"] is None
    assert [grant["role"] for grant in me["scope"]] == ["coordinator"]
