"""The Son La demo beside Hanoi's: its own units, coordinator, officials, settings with their
ground, award catalogue and workplace-culture movement (seed SEED-004); loaded twice, it
creates nothing the second time."""

from __future__ import annotations

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from civility.awards.models import AwardTitle, Movement
from civility.core.models import AuditEvent
from civility.orgs.demo import load_demo_data
from civility.orgs.models import Official, OrgUnit, RoleAssignment, UnitKind, UnitPolicy
from civility.orgs.policies import policy
from civility.orgs.profile import AUTHORITY_NAME, REVIEW_DIRECTIVE
from civility.orgs.scopes import Role, scope_of
from civility.orgs.sonla_demo import load_sonla_demo


@pytest.fixture
def loaded(db):
    load_demo_data(password="Demo-password-2025!")
    load_sonla_demo(password="Demo-password-2025!")
    return OrgUnit.objects.get(kind=UnitKind.PROVINCE, code="14")


def test_son_la_gets_a_coordinator_officials_settings_titles_and_its_movement(loaded):
    son_la = loaded
    hanoi = OrgUnit.objects.get(kind=UnitKind.PROVINCE, code="01")
    coordinator = get_user_model().objects.get(username="dieu_phoi_sonla")
    assert set(RoleAssignment.objects.filter(user=coordinator).values_list("role", "unit")) == {
        (Role.COORDINATOR, son_la.pk)
    }
    assert coordinator.official.unit.province == son_la
    assert not scope_of(coordinator).covers(hanoi)
    to_hieu = OrgUnit.objects.get(kind=UnitKind.WARD, code="03646")
    assert Official.objects.under(to_hieu).count() == 4
    # Its one-stop counter belongs to the province's Service Center, not to the ward.
    counter = OrgUnit.objects.get(kind=UnitKind.COUNTER, serves=to_hieu)
    assert counter.parent.kind == UnitKind.SERVICE_POINT and counter.officials.count() == 1

    recorded = UnitPolicy.objects.get(unit=son_la, key=AUTHORITY_NAME.key)
    assert recorded.value == "ỦY BAN NHÂN DÂN TỈNH SƠN LA" and recorded.source
    assert AuditEvent.objects.filter(object_pk=str(recorded.pk)).exists()
    today = datetime.date(2026, 12, 7)
    assert policy(AUTHORITY_NAME.key, unit=to_hieu, on=today).set_by == son_la
    # Hanoi's demo records its directive; it does not reach Son La.
    assert policy(REVIEW_DIRECTIVE.key, unit=hanoi, on=today).value == "Chỉ thị 24-CT/TU"
    assert policy(REVIEW_DIRECTIVE.key, unit=to_hieu, on=today).set_by is None

    titles = AwardTitle.objects.filter(unit=son_la).current()
    assert titles.filter(key="city-fighter", name="Chiến sĩ thi đua cấp tỉnh").exists()
    assert not titles.filter(key__in=["good-person-good-deed", "capital-initiative"]).exists()
    movement = Movement.objects.get(unit=son_la)
    assert movement.name == "Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở"
    assert movement.starts_on == datetime.date(2019, 5, 19)
    assert "Công sở xanh" in movement.criteria
    assert movement.good_models.filter(name="Công sở xanh").exists()


def test_a_second_run_creates_nothing_and_prints_the_login(loaded):
    counts = [
        model.objects.count()
        for model in (OrgUnit, Official, UnitPolicy, AwardTitle, Movement, get_user_model())
    ]
    out = io.StringIO()

    call_command("load_sonla_demo", stdout=out)

    assert [
        model.objects.count()
        for model in (OrgUnit, Official, UnitPolicy, AwardTitle, Movement, get_user_model())
    ] == counts
    assert "Son La demo already loaded; nothing created." in out.getvalue()
    assert "dieu_phoi_sonla" in out.getvalue()


def test_the_son_la_coordinator_logs_in_and_sees_son_la_only(client, loaded):
    from django.test import RequestFactory

    assert client.login(
        request=RequestFactory().post("/"),
        username="dieu_phoi_sonla",
        password="Demo-password-2025!",
    )

    page = client.get("/units/").content.decode()
    assert "Son La Province" in page and "Ha Noi" not in page
    assert client.get("/api/v1/officials?limit=500").json()["count"] == 6


PAGES = [
    "/",
    "/units/",
    "/officials/",
    "/places/",
    "/audit/",
    "/codes/",
    "/inspections/",
    "/inspections/checklists/",
    "/conduct/",
    "/conduct/catalogue/",
    "/feedback/",
    "/evaluations/",
    "/evaluations/follow-up/",
    "/awards/",
    "/awards/titles/",
    "/awards/eligibility/",
    "/programmes/",
    "/insights/",
]


@pytest.mark.parametrize(
    ("username", "own_code", "other_names"),
    [
        ("dieu_phoi_sonla", "14", ("Hà Nội", "Ha Noi", "Hanoi")),
        ("demo_coordinator", "01", ("Sơn La", "Son La")),
    ],
)
def test_every_page_of_a_coordinator_opens_and_names_nothing_of_the_other_province(
    client, loaded, username, own_code, other_names
):
    client.force_login(get_user_model().objects.get(username=username))
    own = OrgUnit.objects.get(kind=UnitKind.PROVINCE, code=own_code)

    for url in [*PAGES, f"/units/{own.pk}/settings/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert not [name for name in other_names if name in page], url
