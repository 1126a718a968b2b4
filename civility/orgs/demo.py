"""A small Vietnamese demo data set for Hanoi, so `make run` shows a living system.

Three wards (Hoàn Kiếm, Tây Hồ, Long Biên) with their divisions, the counters of their
service points, the city's Department of Culture and Sports, a post catalogue, about forty
officials across the four staff categories, public places and four demo users. People,
places and coordinates are illustrative, not real records.

Every object has a fixed natural key (unit + name, unit + staff code, username), so loading
twice creates nothing the second time.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from civility.accounts.two_factor import (
    confirmed_device,
    requires_two_factor,
    secret_of,
    start_totp_enrolment,
)
from civility.accounts.validators import generate_password
from civility.core.audit import acting_as
from civility.orgs.actions import create_official, set_policy
from civility.orgs.admin_units import import_admin_units
from civility.orgs.models import (
    AgencyRole,
    Official,
    OrgUnit,
    Place,
    PlaceKind,
    Post,
    RoleAssignment,
    StaffCategory,
    UnitKind,
    UnitPolicy,
)
from civility.orgs.profile import AUTHORITY_NAME, REVIEW_DIRECTIVE
from civility.orgs.scopes import Role, forget_scope

HANOI = "01"
CADRE = StaffCategory.CADRE
CIVIL_SERVANT = StaffCategory.CIVIL_SERVANT
PUBLIC_EMPLOYEE = StaffCategory.PUBLIC_EMPLOYEE
WORKER = StaffCategory.WORKER

ONE_STOP_POST = "Cán bộ tiếp nhận hồ sơ một cửa"
# (name, subject to periodic rotation, rotation period in months); held in the city's
# catalogue.
POSTS = [
    ("Chủ tịch Ủy ban nhân dân", False, None),
    ("Phó Chủ tịch Ủy ban nhân dân", False, None),
    ("Giám đốc Sở", False, None),
    ("Phó Giám đốc Sở", False, None),
    ("Trưởng phòng", False, None),
    ("Chuyên viên", False, None),
    (ONE_STOP_POST, True, 60),
    ("Kế toán", True, 36),
    ("Thanh tra viên", True, 60),
    ("Viên chức thư viện", False, None),
    ("Nhân viên bảo vệ", False, None),
    ("Lái xe", False, None),
]
# Posts whose holder heads, or is a deputy head of, the agency they work in.
AGENCY_ROLES = {
    "Chủ tịch Ủy ban nhân dân": AgencyRole.HEAD,
    "Phó Chủ tịch Ủy ban nhân dân": AgencyRole.DEPUTY,
    "Giám đốc Sở": AgencyRole.HEAD,
    "Phó Giám đốc Sở": AgencyRole.DEPUTY,
}

# (ward code, short label for staff codes)
WARDS = [("00070", "HK"), ("00103", "TH"), ("00148", "LB")]
WARD_DIVISIONS = [
    ("Văn phòng HĐND và UBND", "Office of the People's Council and People's Committee"),
    ("Phòng Kinh tế, Hạ tầng và Đô thị", "Division of Economy, Infrastructure and Urban Affairs"),
    ("Phòng Văn hóa - Xã hội", "Division of Culture and Social Affairs"),
]
COUNTERS = ["Quầy tiếp nhận và trả kết quả số 1", "Quầy tiếp nhận và trả kết quả số 2"]

DEPARTMENT = ("Sở Văn hóa và Thể thao", "Department of Culture and Sports")
DEPARTMENT_DIVISIONS = [
    ("Văn phòng Sở", "Department Office"),
    ("Thanh tra Sở", "Department Inspectorate"),
    ("Phòng Xây dựng nếp sống văn hóa và Gia đình", "Division of Cultural Lifestyle and Family"),
]
LIBRARY = ("Thư viện Hà Nội", "Hanoi Library")

# Per ward: (where, post, category, leader, start in post). "where" is a division index,
# or "counter 0/1" for the service point's counters.
# (division index or "counter N", post, staff category, leader, in post since)
WARD_STAFF: list[tuple[int | str, str, str, bool, datetime.date]] = [
    (0, "Chủ tịch Ủy ban nhân dân", CADRE, True, datetime.date(2025, 7, 1)),
    (0, "Phó Chủ tịch Ủy ban nhân dân", CADRE, True, datetime.date(2025, 7, 1)),
    (0, "Chuyên viên", CIVIL_SERVANT, False, datetime.date(2019, 9, 1)),
    (0, "Kế toán", CIVIL_SERVANT, False, datetime.date(2022, 1, 1)),
    (0, "Nhân viên bảo vệ", WORKER, False, datetime.date(2018, 5, 1)),
    (1, "Trưởng phòng", CIVIL_SERVANT, True, datetime.date(2025, 7, 1)),
    (1, "Chuyên viên", CIVIL_SERVANT, False, datetime.date(2021, 3, 15)),
    (2, "Trưởng phòng", CIVIL_SERVANT, True, datetime.date(2025, 7, 1)),
    (2, "Chuyên viên", CIVIL_SERVANT, False, datetime.date(2023, 6, 1)),
    ("counter 0", ONE_STOP_POST, CIVIL_SERVANT, False, datetime.date(2020, 3, 1)),
    ("counter 1", ONE_STOP_POST, CIVIL_SERVANT, False, datetime.date(2024, 2, 1)),
]
WARD_NAMES = {
    "HK": [
        "Nguyễn Văn Hùng",
        "Trần Thị Thu Hà",
        "Lê Minh Tuấn",
        "Phạm Thị Lan",
        "Đỗ Văn Bình",
        "Hoàng Thị Mai",
        "Vũ Đức Long",
        "Bùi Thị Ngọc Anh",
        "Đặng Quang Huy",
        "Ngô Thị Hương",
        "Trịnh Thu Trang",
    ],
    "TH": [
        "Phạm Quốc Khánh",
        "Nguyễn Thị Thanh Hoa",
        "Trần Văn Nam",
        "Lê Thị Phương",
        "Dương Văn Tám",
        "Vũ Thị Hồng Nhung",
        "Hoàng Minh Đức",
        "Đinh Thị Yến",
        "Bùi Văn Sơn",
        "Nguyễn Thị Kim Oanh",
        "Lý Thị Thảo",
    ],
    "LB": [
        "Lê Văn Thắng",
        "Đỗ Thị Hạnh",
        "Nguyễn Đức Anh",
        "Trần Thị Vân",
        "Phan Văn Lợi",
        "Ngô Quang Trung",
        "Đào Thị Hằng",
        "Hoàng Văn Quân",
        "Mai Thị Linh",
        "Tạ Thị Giang",
        "Chu Văn Hiếu",
    ],
}
# Department of Culture and Sports: (where, post, category, leader, start, name), "where"
# being a division index or "library".
# (division index or "library", post, staff category, leader, in post since, full name)
DEPARTMENT_STAFF: list[tuple[int | str, str, str, bool, datetime.date, str]] = [
    (0, "Giám đốc Sở", CIVIL_SERVANT, True, datetime.date(2023, 4, 1), "Nguyễn Thị Minh Châu"),
    (0, "Phó Giám đốc Sở", CIVIL_SERVANT, True, datetime.date(2022, 8, 1), "Trần Đình Phong"),
    (0, "Kế toán", CIVIL_SERVANT, False, datetime.date(2020, 11, 1), "Lê Thị Bích Ngọc"),
    (0, "Lái xe", WORKER, False, datetime.date(2016, 1, 4), "Phạm Văn Toàn"),
    (1, "Thanh tra viên", CIVIL_SERVANT, False, datetime.date(2021, 5, 1), "Vũ Mạnh Cường"),
    (2, "Trưởng phòng", CIVIL_SERVANT, True, datetime.date(2021, 1, 1), "Hoàng Thị Thu Thủy"),
    (2, "Chuyên viên", CIVIL_SERVANT, False, datetime.date(2022, 9, 1), "Đặng Văn Hải"),
    (2, "Chuyên viên", CIVIL_SERVANT, False, datetime.date(2024, 3, 1), "Nguyễn Thu Hiền"),
    (
        "library",
        "Viên chức thư viện",
        PUBLIC_EMPLOYEE,
        False,
        datetime.date(2017, 10, 1),
        "Bùi Thị Lệ Quyên",
    ),
    (
        "library",
        "Viên chức thư viện",
        PUBLIC_EMPLOYEE,
        False,
        datetime.date(2019, 2, 1),
        "Trần Minh Khôi",
    ),
]

# (ward code, kind, name, address, latitude, longitude); coordinates are approximate.
PLACES = [
    ("00070", PlaceKind.MARKET, "Chợ Đồng Xuân", "Phố Đồng Xuân", "21.038270", "105.849780"),
    (
        "00070",
        PlaceKind.RELIC_SITE,
        "Đền Ngọc Sơn",
        "Phố Đinh Tiên Hoàng",
        "21.030700",
        "105.852400",
    ),
    (
        "00070",
        PlaceKind.PARK,
        "Vườn hoa Lý Thái Tổ",
        "Phố Đinh Tiên Hoàng",
        "21.027600",
        "105.853700",
    ),
    (
        "00070",
        PlaceKind.BUS_STATION,
        "Điểm trung chuyển xe buýt Bờ Hồ",
        "Phố Đinh Tiên Hoàng",
        "21.029300",
        "105.851300",
    ),
    (
        "00070",
        PlaceKind.STREET,
        "Phố đi bộ Hồ Gươm",
        "Quanh hồ Hoàn Kiếm",
        "21.028800",
        "105.852200",
    ),
    ("00103", PlaceKind.RELIC_SITE, "Phủ Tây Hồ", "Đường Đặng Thai Mai", "21.058600", "105.818600"),
    ("00103", PlaceKind.MARKET, "Chợ hoa Quảng Bá", "Phố Âu Cơ", "21.063300", "105.826800"),
    (
        "00103",
        PlaceKind.SCHOOL_GATE,
        "Cổng Trường THPT Chu Văn An",
        "Đường Thụy Khuê",
        "21.044000",
        "105.834000",
    ),
    ("00103", PlaceKind.STREET, "Phố Xuân Diệu", "Phố Xuân Diệu", "21.064000", "105.828000"),
    ("00103", PlaceKind.PARK, "Bãi đá sông Hồng", "Ngõ 264 Âu Cơ", "21.074500", "105.835000"),
    (
        "00148",
        PlaceKind.COMMERCIAL_CENTRE,
        "AEON Mall Long Biên",
        "27 Cổ Linh",
        "21.027000",
        "105.899000",
    ),
    ("00148", PlaceKind.STREET, "Đường Cổ Linh", "Đường Cổ Linh", "21.022500", "105.896000"),
    (
        "00148",
        PlaceKind.SCHOOL_GATE,
        "Cổng Trường THPT Thạch Bàn",
        "Phố Thạch Bàn",
        "21.018400",
        "105.915300",
    ),
    ("00148", PlaceKind.MARKET, "Chợ Cự Khối", "Phố Cự Khối", "21.003000", "105.904000"),
]


# Hanoi's profile (civility.orgs.profile). The letterhead authority applies from the day the
# city's current units came into force; Decree 30/2020/NĐ-CP sets what a letterhead prints.
AUTHORITY = "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI"
AUTHORITY_GROUND = "Nghị định 30/2020/NĐ-CP, Phụ lục I (tên cơ quan, tổ chức chủ quản)"
AUTHORITY_FROM = datetime.date(2025, 7, 1)
DIRECTIVE = "Chỉ thị 24-CT/TU"
DIRECTIVE_GROUND = "Chỉ thị 24-CT/TU ngày 07/08/2023 của Ban Thường vụ Thành ủy Hà Nội"
DIRECTIVE_FROM = datetime.date(2023, 8, 7)


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    label: StrOrPromise


ADMIN = DemoUser("demo_admin", "Quản trị", "Hệ thống", _("administrator (superuser)"))
COORDINATOR = DemoUser("demo_coordinator", "Thu Thủy", "Hoàng Thị", _("city coordinator"))
HEAD = DemoUser("demo_head", "Khánh", "Phạm Quốc", _("unit head of a ward"))
OFFICIAL = DemoUser("demo_official", "Kim Oanh", "Nguyễn Thị", _("official at a one-stop counter"))
DEMO_USERS = (ADMIN, COORDINATOR, HEAD, OFFICIAL)


@dataclass
class DemoLogin:
    username: str
    label: StrOrPromise
    password: str | None  # None: the stored password was left as it was
    two_factor_key: str | None = None  # base32 key of the authenticator, for roles needing it


@dataclass
class DemoReport:
    created: Counter[type[models.Model]] = field(default_factory=Counter)  # model -> rows created
    logins: list[DemoLogin] = field(default_factory=list)

    @property
    def total_created(self) -> int:
        return sum(self.created.values())


@transaction.atomic
def load_demo_data(*, password: str | None = None) -> DemoReport:
    """Load the demo data set; with `password`, every demo user gets it (validated).

    Raises django.core.exceptions.ValidationError when `password` fails the validators.
    """
    report = DemoReport()
    city = OrgUnit.objects.filter(kind=UnitKind.PROVINCE, code=HANOI).first()
    if city is None:
        import_admin_units(provinces=[HANOI])
        city = OrgUnit.objects.get(kind=UnitKind.PROVINCE, code=HANOI)

    users = {
        demo.username: _ensure_user(demo, password=password, report=report) for demo in DEMO_USERS
    }
    admin = users[ADMIN.username]
    with acting_as(admin):
        posts = _ensure_posts(city, POSTS, report)
        staff = _ensure_department(city, posts, admin=admin, report=report)
        for code, label in WARDS:
            staff.update(_ensure_ward(city, code, label, posts, admin=admin, report=report))
        for code, kind, name, address, latitude, longitude in PLACES:
            _place, created = Place.objects.get_or_create(
                unit=_commune(code),
                name=name,
                defaults={
                    "kind": kind,
                    "address": address,
                    "latitude": Decimal(latitude),
                    "longitude": Decimal(longitude),
                },
            )
            report.created[Place] += created

        tay_ho = _commune("00103")
        tay_ho_counter = staff["TH-10"].unit
        _grant(users[COORDINATOR.username], Role.COORDINATOR, city, admin=admin, report=report)
        _grant(users[HEAD.username], Role.UNIT_HEAD, tay_ho, admin=admin, report=report)
        _grant(users[OFFICIAL.username], Role.OFFICIAL, tay_ho_counter, admin=admin, report=report)
        _link(staff["VH-06"], users[COORDINATOR.username])
        _link(staff["TH-01"], users[HEAD.username])
        _link(staff["TH-10"], users[OFFICIAL.username])
    _ensure_policy(
        city, AUTHORITY_NAME.key, AUTHORITY, AUTHORITY_FROM, AUTHORITY_GROUND, admin=admin
    )
    _ensure_policy(
        city, REVIEW_DIRECTIVE.key, DIRECTIVE, DIRECTIVE_FROM, DIRECTIVE_GROUND, admin=admin
    )
    for login in report.logins:
        login.two_factor_key = _ensure_two_factor(users[login.username])
    return report


def _ensure_two_factor(user: User) -> str | None:
    """The demo's administrator and coordinator must sign in with two factors, as in
    production: they come enrolled, with a random key made once per database and printed
    with the logins, so a newcomer adds it to an authenticator app and signs in at once."""
    forget_scope(user)  # roles were granted after the scope was first read
    if not requires_two_factor(user):
        return None
    device = confirmed_device(user)
    if device is None:
        device = start_totp_enrolment(user=user)
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    return secret_of(device)


def _ensure_user(demo: DemoUser, *, password: str | None, report: DemoReport) -> User:
    User = get_user_model()
    is_admin = demo is ADMIN
    user, created = User.objects.get_or_create(
        username=demo.username,
        defaults={
            "first_name": demo.first_name,
            "last_name": demo.last_name,
            "email": f"{demo.username}@example.invalid",
            "is_superuser": is_admin,
            "is_staff": is_admin,
        },
    )
    shown = None
    if password is not None:
        validate_password(password, user)
        user.set_password(password)
        user.save(update_fields=["password"])
        shown = password
    elif created:
        shown = generate_password()
        user.set_password(shown)
        user.save(update_fields=["password"])
    report.created[get_user_model()] += created
    report.logins.append(DemoLogin(demo.username, demo.label, shown))
    return user


def _commune(code: str) -> OrgUnit:
    return OrgUnit.objects.get(kind__in=(UnitKind.WARD, UnitKind.COMMUNE), code=code)


def _ensure_unit(
    parent: OrgUnit, kind: str, name: str, report: DemoReport, **defaults: object
) -> OrgUnit:
    unit, created = OrgUnit.objects.get_or_create(
        parent=parent, kind=kind, name=name, defaults=defaults
    )
    report.created[OrgUnit] += created
    return unit


def _ensure_posts(
    unit: OrgUnit, catalogue: Sequence[tuple[str, bool, int | None]], report: DemoReport
) -> dict[str, Post]:
    """The posts of a `catalogue` (name, subject to rotation, rotation period in months)
    held at `unit`, by name."""
    posts = {}
    for name, sensitive, months in catalogue:
        posts[name], created = Post.objects.get_or_create(
            unit=unit,
            name=name,
            defaults={"is_sensitive": sensitive, "rotation_period_months": months},
        )
        report.created[Post] += created
    return posts


def _ensure_official(
    unit: OrgUnit,
    staff_code: str,
    full_name: str,
    post: Post,
    category: str,
    leader: bool,
    start: datetime.date,
    *,
    admin: User,
    report: DemoReport,
) -> Official:
    official = Official.objects.filter(unit=unit, staff_code=staff_code).first()
    if official is None:
        official = create_official(
            actor=admin,
            unit=unit,
            staff_code=staff_code,
            full_name=full_name,
            staff_category=category,
            post=post,
            is_leader=leader,
            agency_role=AGENCY_ROLES.get(post.name, ""),
            post_start_date=start,
        )
        report.created[Official] += 1
    return official


def _ensure_department(
    city: OrgUnit, posts: dict[str, Post], *, admin: User, report: DemoReport
) -> dict[str, Official]:
    name, name_en = DEPARTMENT
    department = _ensure_unit(city, UnitKind.DEPARTMENT, name, report, name_en=name_en)
    divisions = [
        _ensure_unit(department, UnitKind.DIVISION, name, report, name_en=name_en)
        for name, name_en in DEPARTMENT_DIVISIONS
    ]
    library = _ensure_unit(
        department, UnitKind.PUBLIC_SERVICE_UNIT, LIBRARY[0], report, name_en=LIBRARY[1]
    )
    staff = {}
    for number, (where, post, category, leader, start, full_name) in enumerate(
        DEPARTMENT_STAFF, start=1
    ):
        unit = library if isinstance(where, str) else divisions[where]
        code = f"VH-{number:02d}"
        staff[code] = _ensure_official(
            unit,
            code,
            full_name,
            posts[post],
            category,
            leader,
            start,
            admin=admin,
            report=report,
        )
    return staff


def _ensure_ward(
    city: OrgUnit,
    code: str,
    label: str,
    posts: dict[str, Post],
    *,
    admin: User,
    report: DemoReport,
) -> dict[str, Official]:
    ward = _commune(code)
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
    counter_parent = point or ward  # imported without --service-points: counters sit in the ward
    counters = [
        _ensure_unit(
            counter_parent,
            UnitKind.COUNTER,
            name,
            report,
            serves=ward,
            name_en=f"One-stop counter {number}",
        )
        for number, name in enumerate(COUNTERS, start=1)
    ]
    staff = {}
    for number, ((where, post, category, leader, start), full_name) in enumerate(
        zip(WARD_STAFF, WARD_NAMES[label], strict=True), start=1
    ):
        unit = counters[int(where[-1])] if isinstance(where, str) else divisions[where]
        staff_code = f"{label}-{number:02d}"
        staff[staff_code] = _ensure_official(
            unit,
            staff_code,
            full_name,
            posts[post],
            category,
            leader,
            start,
            admin=admin,
            report=report,
        )
    return staff


def _grant(user: User, role: str, unit: OrgUnit, *, admin: User, report: DemoReport) -> None:
    _grant, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, unit=unit, defaults={"granted_by": admin}
    )
    report.created[RoleAssignment] += created


def _ensure_policy(
    unit: OrgUnit,
    key: str,
    value: object,
    valid_from: datetime.date,
    source: str,
    *,
    admin: User,
) -> None:
    """Record the unit's choice once; a coordinator's later change is left as it is."""
    if not UnitPolicy.objects.filter(unit=unit, key=key).exists():
        set_policy(
            actor=admin, unit=unit, key=key, value=value, valid_from=valid_from, source=source
        )


def _link(official: Official, user: User) -> None:
    if official.user_id != user.pk:
        official.user = user
        official.save(update_fields=["user", "updated_at"])
