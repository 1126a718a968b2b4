import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from civility.orgs.demo import load_demo_data
from civility.orgs.models import (
    Official,
    OrgUnit,
    Place,
    Post,
    RoleAssignment,
    StaffCategory,
    UnitKind,
)
from civility.orgs.scopes import Role, scope_of

PASSWORD = "Demo-password-2025!"


def row_counts() -> dict[str, int]:
    models = (OrgUnit, Official, Place, Post, RoleAssignment, get_user_model())
    return {model.__name__: model.objects.count() for model in models}


def login(client, username: str, password: str) -> bool:
    # The lockout backend (django-axes) needs the request that carries the credentials.
    return client.login(request=RequestFactory().post("/"), username=username, password=password)


def test_demo_data_imports_hanoi_and_loads_officials_places_and_users(db):
    report = load_demo_data()

    city = OrgUnit.objects.get(kind=UnitKind.PROVINCE, code="01")
    assert OrgUnit.objects.subtree_of(city).filter(kind=UnitKind.WARD).count() == 51
    officials = Official.objects.under(city)
    assert 35 <= officials.count() <= 50
    assert set(officials.values_list("staff_category", flat=True)) == set(StaffCategory.values)
    assert Place.objects.filter(latitude__isnull=False).count() >= 12
    assert Post.objects.get(name="Cán bộ tiếp nhận hồ sơ một cửa").rotation_period_months == 60
    department = OrgUnit.objects.get(name="Sở Văn hóa và Thể thao")
    assert (department.kind, department.parent) == (UnitKind.DEPARTMENT, city)
    counter = OrgUnit.objects.filter(kind=UnitKind.COUNTER, serves__code="00103").first()
    assert counter.parent.kind == UnitKind.SERVICE_POINT
    assert {login.username for login in report.logins} == {
        "demo_admin",
        "demo_coordinator",
        "demo_head",
        "demo_official",
    }
    assert all(login.password for login in report.logins)


def test_a_second_run_adds_nothing_and_keeps_passwords(db):
    load_demo_data()
    before = row_counts()

    report = load_demo_data()

    assert row_counts() == before
    assert report.total_created == 0
    assert all(login.password is None for login in report.logins)


def test_demo_coordinator_logs_in_with_the_printed_password_and_coordinates_the_city(db, client):
    report = load_demo_data()
    password = next(
        login.password for login in report.logins if login.username == "demo_coordinator"
    )

    assert login(client, "demo_coordinator", password)
    coordinator = get_user_model().objects.get(username="demo_coordinator")
    city = OrgUnit.objects.get(kind=UnitKind.PROVINCE, code="01")
    assert RoleAssignment.objects.filter(
        user=coordinator, role=Role.COORDINATOR, unit=city
    ).exists()
    assert scope_of(coordinator).covers(OrgUnit.objects.get(kind=UnitKind.WARD, code="00148"))


def test_demo_official_and_head_are_linked_to_officials_in_their_ward(db):
    load_demo_data()

    official = Official.objects.select_related("unit", "post").get(user__username="demo_official")
    assert official.unit.serves.name == "Phường Tây Hồ"
    assert official.post.is_sensitive
    head = get_user_model().objects.get(username="demo_head")
    tay_ho = OrgUnit.objects.get(kind=UnitKind.WARD, code="00103")
    assert scope_of(head).roles_on(tay_ho) == {Role.UNIT_HEAD}
    assert head.official.is_leader


def test_demo_password_from_the_environment_is_set_on_every_run(db, client, monkeypatch, capsys):
    monkeypatch.setenv("DEMO_PASSWORD", PASSWORD)
    call_command("load_demo_data")
    call_command("load_demo_data")

    out = capsys.readouterr().out
    assert out.count(f"password: {PASSWORD}") == 8
    assert login(client, "demo_admin", PASSWORD)


def test_a_later_run_says_the_password_is_unchanged(db, capsys):
    call_command("load_demo_data")
    first = capsys.readouterr().out
    call_command("load_demo_data")
    second = capsys.readouterr().out

    assert "demo_coordinator" in first and "password: " in first
    assert "password unchanged (set DEMO_PASSWORD to choose one)" in second
    assert "password: " not in second


def test_a_weak_demo_password_is_refused_and_nothing_is_loaded(db, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "short")

    with pytest.raises(CommandError, match="DEMO_PASSWORD: This password is too short"):
        call_command("load_demo_data")
    assert not get_user_model().objects.exists()
    assert not Official.objects.exists()


def test_demo_administrator_and_coordinator_come_enrolled_and_sign_in_with_the_printed_key(
    db, client, settings, capsys
):
    """Their roles require two factors (issue 20): the demo enrols them once, prints the key
    with the logins and keeps it on later runs; the head and the official need none."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.TWO_FACTOR_REQUIRED = True
    settings.DEBUG = True
    report = load_demo_data(password=PASSWORD)
    keys = {login.username: login.two_factor_key for login in report.logins}

    assert keys["demo_head"] is None and keys["demo_official"] is None
    assert keys["demo_admin"] and keys["demo_coordinator"]
    assert load_demo_data().logins[1].two_factor_key == keys["demo_coordinator"]
    call_command("load_demo_data")
    assert keys["demo_coordinator"] in capsys.readouterr().out

    call_command("two_factor_code", "demo_coordinator")
    code = capsys.readouterr().out.strip()
    device = TOTPDevice.objects.get(user__username="demo_coordinator")
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    assert code == f"{totp.token():06d}"
    client.post("/accounts/login/", {"username": "demo_coordinator", "password": PASSWORD})
    assert client.post("/accounts/verify/", {"token": code}).status_code == 302
    assert client.get("/").status_code == 200


def test_the_code_command_refuses_outside_development(db, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="only works in development"):
        call_command("two_factor_code", "demo_admin")
