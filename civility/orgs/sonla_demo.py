"""A small demo of a second province beside Hanoi: Son La (code 14).

Son La's current units come from the same official source as Hanoi's (the import of
administrative units). On top of them: the province's Department of Culture, Sports and
Tourism with the coordinator's post, a handful of officials in Phường Tô Hiệu (a current ward
of the former Son La city) and its one-stop counter, the province's own post catalogue and
award catalogue, one setting of its profile with its ground, and the workplace-culture
movement it runs (seed SEED-004: "Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công
sở", launched nationally on 19 May 2019 for 2019–2025). People are illustrative, not real
records. Nothing depends on today's date; every object has a natural key, so loading twice
creates nothing the second time.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from civility.awards import actions as awards
from civility.awards.models import GoodModel, Movement
from civility.core.audit import acting_as
from civility.orgs.admin_units import import_admin_units
from civility.orgs.demo import (
    ADMIN,
    AUTHORITY_FROM,
    AUTHORITY_GROUND,
    CADRE,
    CIVIL_SERVANT,
    PUBLIC_EMPLOYEE,
    DemoReport,
    DemoUser,
    _ensure_official,
    _ensure_policy,
    _ensure_posts,
    _ensure_two_factor,
    _ensure_unit,
    _ensure_user,
    _grant,
    _link,
)
from civility.orgs.models import OrgUnit, Post, UnitKind
from civility.orgs.profile import AUTHORITY_NAME
from civility.orgs.scopes import Role

SON_LA = "14"
TO_HIEU = "03646"  # Phường Tô Hiệu, in force since 1 July 2025

COORDINATOR = DemoUser("dieu_phoi_sonla", "Thu Hằng", "Lò Thị", _("Son La province coordinator"))

ONE_STOP_POST = "Công chức tiếp nhận hồ sơ một cửa"
# (name, sensitive, rotation period in months); held in the province's catalogue.
POSTS = [
    ("Chủ tịch Ủy ban nhân dân", False, None),
    ("Phó Chủ tịch Ủy ban nhân dân", False, None),
    ("Chuyên viên", False, None),
    (ONE_STOP_POST, True, 60),
    ("Viên chức văn hóa", False, None),
]
DEPARTMENT = ("Sở Văn hóa, Thể thao và Du lịch", "Department of Culture, Sports and Tourism")
DEPARTMENT_DIVISION = ("Phòng Quản lý văn hóa và Gia đình", "Division of Culture and Family")
WARD_DIVISIONS = [
    ("Văn phòng HĐND và UBND", "Office of the People's Council and People's Committee"),
    ("Phòng Văn hóa - Xã hội", "Division of Culture and Social Affairs"),
]
COUNTER = ("Quầy tiếp nhận và trả kết quả số 1", "One-stop counter 1")
# (staff code, where: division index or "counter", post, category, leader, start, name)
# (code, division index or "counter", post, staff category, leader, in post since, name)
WARD_STAFF: list[tuple[str, int | str, str, str, bool, tuple[int, int, int], str]] = [
    ("TH14-01", 0, "Chủ tịch Ủy ban nhân dân", CADRE, True, (2025, 7, 1), "Cầm Văn Thắng"),
    ("TH14-02", 0, "Phó Chủ tịch Ủy ban nhân dân", CADRE, True, (2025, 7, 1), "Lường Thị Mai"),
    ("TH14-03", 0, "Chuyên viên", CIVIL_SERVANT, False, (2021, 3, 1), "Quàng Văn Bình"),
    ("TH14-04", 1, "Viên chức văn hóa", PUBLIC_EMPLOYEE, False, (2019, 9, 1), "Tòng Thị Xuân"),
    ("TH14-05", "counter", ONE_STOP_POST, CIVIL_SERVANT, False, (2022, 2, 1), "Hà Thị Ngọc"),
]
COORDINATOR_OFFICIAL = ("VH14-01", "Chuyên viên", CIVIL_SERVANT, (2020, 10, 1), "Lò Thị Thu Hằng")

# The province's letterhead authority, from the day its current units came into force.
AUTHORITY = "ỦY BAN NHÂN DÂN TỈNH SƠN LA"

MOVEMENT = "Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở"
MOVEMENT_CRITERIA = (
    "Có mặt tại cơ quan trước giờ làm việc, sẵn sàng đón tiếp công dân\n"
    "Trang phục gọn gàng, lịch sự; thái độ giao tiếp thân thiện, cởi mở\n"
    "Thực hiện “4 xin, 4 luôn” với người dân\n"
    "Công sở không khói thuốc; không uống rượu, bia buổi trưa và trong giờ làm việc\n"
    "Sắp xếp nơi làm việc khoa học; mô hình “Công sở xanh”"
)
GREEN_OFFICE = "Công sở xanh"


def sonla_province() -> OrgUnit | None:
    return OrgUnit.objects.filter(kind=UnitKind.PROVINCE, code=SON_LA).first()


@transaction.atomic
def load_sonla_demo(*, password: str | None = None) -> DemoReport:
    """Load the Son La demo beside Hanoi's (the demo administrator must exist: run
    load_demo_data first); with `password`, the Son La login gets it (validated)."""
    admin = get_user_model().objects.filter(username=ADMIN.username).first()
    if admin is None:
        raise LookupError("Run load_demo_data first (the demo administrator is missing).")
    report = DemoReport()
    province = sonla_province()
    if province is None:
        import_admin_units(provinces=[SON_LA])
        province = sonla_province()
    if province is None:
        raise LookupError("The administrative units of Son La did not import.")
    coordinator = _ensure_user(COORDINATOR, password=password, report=report)
    with acting_as(admin):
        posts = _ensure_posts(province, POSTS, report)
        department = _ensure_unit(
            province, UnitKind.DEPARTMENT, DEPARTMENT[0], report, name_en=DEPARTMENT[1]
        )
        division = _ensure_unit(
            department,
            UnitKind.DIVISION,
            DEPARTMENT_DIVISION[0],
            report,
            name_en=DEPARTMENT_DIVISION[1],
        )
        code, post, category, start, full_name = COORDINATOR_OFFICIAL
        coordinator_official = _ensure_official(
            division,
            code,
            full_name,
            posts[post],
            category,
            False,
            datetime.date(*start),
            admin=admin,
            report=report,
        )
        _ensure_ward(posts, admin=admin, report=report)
        _grant(coordinator, Role.COORDINATOR, province, admin=admin, report=report)
        _link(coordinator_official, coordinator)
    _ensure_policy(
        province, AUTHORITY_NAME.key, AUTHORITY, AUTHORITY_FROM, AUTHORITY_GROUND, admin=admin
    )
    awards.load_award_catalogue(actor=admin, unit=province)
    _ensure_movement(province, department, admin=admin)
    for login in report.logins:
        login.two_factor_key = _ensure_two_factor(coordinator)
    return report


def _ensure_ward(posts: dict[str, Post], *, admin: User, report: DemoReport) -> None:
    ward = OrgUnit.objects.get(kind=UnitKind.WARD, code=TO_HIEU)
    divisions = [
        _ensure_unit(
            ward,
            UnitKind.DIVISION,
            f"{name} {ward.name}",
            report,
            name_en=f"{name_en}, {ward.name_en}",
        )
        for name, name_en in WARD_DIVISIONS
    ]
    point = OrgUnit.objects.filter(kind=UnitKind.SERVICE_POINT, serves=ward).first()
    counter = _ensure_unit(
        point or ward, UnitKind.COUNTER, COUNTER[0], report, serves=ward, name_en=COUNTER[1]
    )
    for code, where, post, category, leader, start, full_name in WARD_STAFF:
        _ensure_official(
            counter if isinstance(where, str) else divisions[where],
            code,
            full_name,
            posts[post],
            category,
            leader,
            datetime.date(*start),
            admin=admin,
            report=report,
        )


def _ensure_movement(province: OrgUnit, department: OrgUnit, *, admin: User) -> None:
    movement = Movement.objects.filter(unit=province, name=MOVEMENT).first()
    if movement is None:
        movement = awards.create_movement(
            actor=admin,
            unit=province,
            name=MOVEMENT,
            name_en="Officials, civil servants and public employees compete to implement "
            "workplace culture",
            reference="Phát động của Thủ tướng Chính phủ ngày 19/5/2019",
            starts_on=datetime.date(2019, 5, 19),
            ends_on=datetime.date(2025, 12, 31),
            description="Xây dựng môi trường làm việc văn minh, chuyên nghiệp; thực hiện văn "
            "hóa công sở là một tiêu chí thi đua của cơ quan, đơn vị.",
            criteria=MOVEMENT_CRITERIA,
        )
    if not GoodModel.objects.filter(unit=department, name=GREEN_OFFICE).exists():
        awards.register_good_model(
            actor=admin,
            unit=department,
            name=GREEN_OFFICE,
            name_en="Green office",
            category="green_office",
            started_on=datetime.date(2020, 3, 1),
            movement=movement,
            description="Trồng cây xanh, cây cảnh trong khuôn viên cơ quan; tạo không gian làm "
            "việc thân thiện.",
        )
