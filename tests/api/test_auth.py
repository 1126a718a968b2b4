"""Who may call the API: bearer tokens with their own narrow scope, and the web session."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from civility.accounts.actions import create_api_token, revoke_api_token
from civility.accounts.models import ApiToken, hash_token
from civility.orgs.models import RoleAssignment
from civility.orgs.scopes import Role
from tests.api.conftest import bearer
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def official_url(official) -> str:
    return f"/api/v1/officials/{official.pk}"


def test_anonymous_request_gets_401_json(client, cast):
    response = client.get("/api/v1/officials")

    assert response.status_code == 401
    assert response.json()["message"]
    assert response.json()["field"] is None
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_anonymous_post_gets_401_not_a_csrf_error(cast):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/api/v1/officials", {}, content_type="application/json")

    assert response.status_code == 401


def test_valid_token_reads_its_units_officials(client, cast, make_token):
    _token, headers = make_token(cast.a.ward)

    response = client.get(official_url(cast.a.official), headers=headers)

    assert response.status_code == 200
    assert response.json()["full_name"] == "Nguyễn Văn A"


def test_unknown_token_gets_401(client, cast):
    response = client.get("/api/v1/officials", headers=bearer("cvt_not-a-real-token"))

    assert response.status_code == 401
    assert "token" in response.json()["message"]


def test_revoked_token_gets_401(client, cast, make_token):
    api_token, headers = make_token(cast.a.ward)
    revoke_api_token(actor=cast.admin, token=api_token)

    response = client.get("/api/v1/officials", headers=headers)

    assert response.status_code == 401


def test_expired_token_gets_401(client, cast, make_token):
    _token, headers = make_token(
        cast.a.ward, expires_at=timezone.now() + datetime.timedelta(days=1)
    )

    with time_machine.travel(timezone.now() + datetime.timedelta(days=2)):
        response = client.get("/api/v1/officials", headers=headers)

    assert response.status_code == 401


def test_bad_token_does_not_fall_back_to_the_session(client, cast):
    client.force_login(cast.admin)

    response = client.get("/api/v1/officials", headers=bearer("cvt_wrong"))

    assert response.status_code == 401


def test_token_scoped_to_ward_a_cannot_see_ward_b_officials(client, cast, make_token):
    # Owned by a superuser, yet the token sees only ward A.
    _token, headers = make_token(cast.a.ward, role=Role.COORDINATOR)

    detail = client.get(official_url(cast.b.official), headers=headers)
    listing = client.get("/api/v1/officials", headers=headers)

    assert detail.status_code == 404
    assert detail.json()["field"] is None
    names = [row["full_name"] for row in listing.json()["items"]]
    assert names == ["Nguyễn Văn A"]


def test_token_scoped_to_ward_a_cannot_patch_ward_b_officials(client, cast, make_token):
    _token, headers = make_token(cast.a.ward, role=Role.COORDINATOR)

    response = client.patch(
        official_url(cast.b.official),
        {"full_name": "Changed"},
        content_type="application/json",
        headers=headers,
    )

    assert response.status_code == 404
    cast.b.official.refresh_from_db()
    assert cast.b.official.full_name == "Nguyễn Văn B"


def test_viewer_token_may_read_but_not_write(client, cast, make_token):
    _token, headers = make_token(cast.a.ward, role=Role.VIEWER)

    response = client.patch(
        official_url(cast.a.official),
        {"full_name": "Changed"},
        content_type="application/json",
        headers=headers,
    )

    assert response.status_code == 403
    assert response.json()["message"]


def test_coordinator_token_writes_without_csrf(cast, make_token):
    _token, headers = make_token(cast.a.ward, role=Role.COORDINATOR)
    client = Client(enforce_csrf_checks=True)

    response = client.patch(
        official_url(cast.a.official),
        {"is_leader": True},
        content_type="application/json",
        headers=headers,
    )

    assert response.status_code == 200
    assert response.json()["is_leader"] is True


def test_token_stops_working_when_its_owner_loses_the_role(client, cast):
    owner = make_user("ward_admin", roles={Role.SYSTEM_ADMIN: cast.a.ward})
    _token, secret = create_api_token(actor=owner, name="kiosk", unit=cast.a.ward, role="viewer")
    assert client.get("/api/v1/officials", headers=bearer(secret)).status_code == 200

    RoleAssignment.objects.filter(user=owner).delete()

    assert client.get("/api/v1/officials", headers=bearer(secret)).status_code == 401


def test_token_use_is_recorded_at_most_once_a_minute(client, cast, make_token):
    api_token, headers = make_token(cast.a.ward)
    start = timezone.now()

    with time_machine.travel(start, tick=False):
        client.get("/api/v1/units", headers=headers)
    api_token.refresh_from_db()
    assert api_token.last_used_at == start

    with time_machine.travel(start + datetime.timedelta(seconds=30), tick=False):
        client.get("/api/v1/units", headers=headers)
    api_token.refresh_from_db()
    assert api_token.last_used_at == start

    with time_machine.travel(start + datetime.timedelta(seconds=90), tick=False):
        client.get("/api/v1/units", headers=headers)
    api_token.refresh_from_db()
    assert api_token.last_used_at == start + datetime.timedelta(seconds=90)


def test_only_the_hash_of_the_secret_is_stored(cast, make_token):
    api_token, headers = make_token(cast.a.ward)
    secret = headers["Authorization"].removeprefix("Bearer ")

    stored = ApiToken.objects.get(pk=api_token.pk)

    assert stored.key_hash == hash_token(secret)
    assert secret not in {stored.key_hash, stored.key_prefix, stored.name}


def test_a_token_is_created_only_for_a_role_its_owner_holds(cast):
    with pytest.raises(PermissionDenied):
        create_api_token(actor=cast.a.coordinator, name="x", unit=cast.a.ward, role="inspector")


def test_ward_administrator_cannot_create_a_token_for_the_city(cast):
    ward_admin = make_user("ward_admin", roles={Role.SYSTEM_ADMIN: cast.a.ward})

    with pytest.raises(PermissionDenied):
        create_api_token(actor=ward_admin, name="x", unit=cast.city, role="viewer")


def test_session_user_reads_the_api(client, cast):
    client.force_login(cast.a.head)

    response = client.get("/api/v1/officials")

    assert response.status_code == 200
    assert [row["full_name"] for row in response.json()["items"]] == ["Nguyễn Văn A"]


def test_session_write_needs_the_csrf_token(cast, plain_static_files):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.a.head)
    client.get("/api/v1/docs")  # sets the CSRF cookie, as the docs page would
    url = official_url(cast.a.official)

    refused = client.patch(url, {"is_leader": True}, content_type="application/json")
    accepted = client.patch(
        url,
        {"is_leader": True},
        content_type="application/json",
        headers={"X-CSRFToken": client.cookies["csrftoken"].value},
    )

    assert refused.status_code == 403
    assert "CSRF" in refused.json()["message"]
    assert accepted.status_code == 200


def test_create_api_token_command_prints_the_secret_once(client, cast, capsys):
    call_command(
        "create_api_token",
        "--user=admin",
        "--unit-code=00091",
        "--role=viewer",
        "--name=kiosk",
    )
    secret = capsys.readouterr().out.strip()

    assert secret.startswith("cvt_")
    api_token = ApiToken.objects.get(key_hash=hash_token(secret))
    assert (api_token.owner, api_token.unit, api_token.role) == (cast.admin, cast.a.ward, "viewer")
    assert client.get("/api/v1/officials", headers=bearer(secret)).status_code == 200


def test_create_api_token_command_refuses_a_role_the_user_does_not_hold(cast):
    with pytest.raises(CommandError, match="does not hold the role"):
        call_command(
            "create_api_token",
            "--user=head_a",
            "--unit-id",
            str(cast.a.ward.pk),
            "--name=x",
            "--role=system_admin",
        )


def test_revoke_api_token_command_revokes_at_once(client, cast, make_token):
    api_token, headers = make_token(cast.a.ward)

    call_command("revoke_api_token", api_token.key_prefix)

    api_token.refresh_from_db()
    assert api_token.revoked_at is not None
    assert client.get("/api/v1/officials", headers=headers).status_code == 401
