"""Demo data for programmes, indicators and cultural titles (Hanoi), loaded idempotently
after `import_admin_units --province 01`, `load_demo_data` and `load_codes`.

Programme 06-CTr/TU and Plan 176/KH-UBND with twenty tasks for the Department of Culture and
Sports (fifteen done, as the department reported in mid-2023), a department plan for this
year, the relic-site revenue and visitor indicators (45.37 billion VND in the first half of
2023: 126% of the plan, 30 times the same period of 2022), the cultural-family rate with
targets allocated to the wards, and the titles of Decree 86/2023 with recognition lists.
Task titles are our own summaries; people and households are illustrative.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import connection, transaction

from civility.core.audit import acting_as
from civility.orgs.models import OrgUnit, UnitKind
from civility.programmes import actions
from civility.programmes.models import (
    Aggregation,
    CulturalTitle,
    Frequency,
    Indicator,
    Programme,
    ProgrammeKind,
    Recognition,
    Target,
    Task,
    TaskState,
    vietnam_today,
)

HANOI = "01"
DEPARTMENT = "Sở Văn hóa và Thể thao"
WARDS = ("00070", "00103", "00148")  # Hoàn Kiếm, Tây Hồ, Long Biên

PLAN_176_TASKS = [
    "Tuyên truyền hai Bộ Quy tắc ứng xử tại cơ quan, đơn vị và nơi công cộng",
    "Tổ chức hội nghị sơ kết giữa kỳ Chương trình 06-CTr/TU",
    "Phân bổ chỉ tiêu Gia đình văn hóa, Thôn văn hóa, Tổ dân phố văn hóa",
    "Hướng dẫn bình xét danh hiệu văn hóa theo Nghị định 86/2023/NĐ-CP",
    "Xây dựng bộ tiêu chí người Hà Nội thanh lịch, văn minh",
    "Kiểm tra việc thực hiện nếp sống văn minh tại các lễ hội",
    "Nâng cao chất lượng phong trào Toàn dân đoàn kết xây dựng đời sống văn hóa",
    "Xây dựng mô hình di tích kiểu mẫu",
    "Số hóa hồ sơ di tích cấp thành phố",
    "Tổ chức Liên hoan văn nghệ quần chúng",
    "Bồi dưỡng cán bộ văn hóa cơ sở",
    "Phát triển thiết chế văn hóa, thể thao ở cơ sở",
    "Tăng lượt khách tham quan và doanh thu tại các điểm di tích",
    "Tổ chức Ngày Gia đình Việt Nam 28/6",
    "Xây dựng Tuần lễ Văn hóa Thủ đô",
    "Rà soát quy ước, hương ước của thôn, tổ dân phố",
    "Khảo sát mức độ hài lòng về dịch vụ văn hóa công",
    "Tổng kết 5 năm phong trào văn hóa công sở",
    "Hoàn thiện cơ sở dữ liệu gia đình văn hóa",
    "Đề xuất chính sách đặc thù phát triển công nghiệp văn hóa",
]


def _department(city: OrgUnit) -> OrgUnit | None:
    return OrgUnit.objects.filter(parent=city, name=DEPARTMENT).first()


def _moment(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(9), tzinfo=datetime.UTC)


@transaction.atomic
def load_programmes_demo(*, actor: User | None = None) -> dict[str, int]:
    city = OrgUnit.objects.filter(kind=UnitKind.PROVINCE, code=HANOI).first()
    if city is None:
        raise LookupError("Hanoi (01) is not imported: run import_admin_units --province 01.")
    department = _department(city) or city
    divisions = list(department.children.order_by("name")) if department != city else []
    wards = list(OrgUnit.objects.filter(code__in=WARDS, kind=UnitKind.WARD).order_by("code"))
    created = {"programmes": 0, "tasks": 0, "indicators": 0, "recognitions": 0}
    with acting_as(actor):
        programme, plan = _programmes(city, created)
        _plan_tasks(plan, department, divisions, created)
        _yearly_plan(department, divisions, created)
        _indicators(city, department, wards, programme, created)
        _titles(city, wards, created)
    return created


def _programmes(city: OrgUnit, created: dict[str, int]) -> tuple[Programme, Programme]:
    programme, new = Programme.objects.get_or_create(
        unit=city,
        number="06-CTr/TU",
        defaults={
            "kind": ProgrammeKind.PROGRAMME,
            "title": "Phát triển văn hóa, nâng cao chất lượng nguồn nhân lực, xây dựng người "
            "Hà Nội thanh lịch, văn minh giai đoạn 2021-2025",
            "title_en": "Developing culture, improving human resources and building elegant, "
            "civilised Hanoians, 2021-2025",
            "starts_on": datetime.date(2021, 1, 1),
            "ends_on": datetime.date(2025, 12, 31),
        },
    )
    created["programmes"] += new
    plan, new = Programme.objects.get_or_create(
        unit=city,
        number="176/KH-UBND",
        defaults={
            "kind": ProgrammeKind.PLAN,
            "title": "Kế hoạch thực hiện Chương trình 06-CTr/TU của Thành ủy",
            "title_en": "The city government's plan carrying out Programme 06-CTr/TU",
            "implements": programme,
            "starts_on": datetime.date(2021, 8, 1),
            "ends_on": datetime.date(2025, 12, 31),
        },
    )
    created["programmes"] += new
    return programme, plan


def _plan_tasks(
    plan: Programme, department: OrgUnit, divisions: list[OrgUnit], created: dict[str, int]
) -> None:
    if plan.tasks.exists():
        return
    for number, title in enumerate(PLAN_176_TASKS, start=1):
        deadline = datetime.date(2023, 6, 30) if number % 3 else datetime.date(2023, 3, 31)
        task = Task.objects.create(
            programme=plan,
            number=str(number),
            title=title,
            assignee_unit=department,
            deadline=deadline,
            original_deadline=deadline,
        )
        created["tasks"] += 1
        if number <= 15:
            # Twelve on time, three a little late.
            finished = deadline - datetime.timedelta(days=10) if number <= 12 else deadline
            finished += datetime.timedelta(days=0 if number <= 12 else 20)
            if divisions and number in (3, 4):
                Task.objects.create(
                    programme=plan,
                    parent=task,
                    title=f"{title}: hướng dẫn chi tiết",
                    assignee_unit=divisions[-1],
                    deadline=deadline - datetime.timedelta(days=15),
                    original_deadline=deadline - datetime.timedelta(days=15),
                    state=TaskState.DONE,
                    progress=100,
                    completed_at=_moment(finished - datetime.timedelta(days=20)),
                    completed_on=finished - datetime.timedelta(days=20),
                )
                created["tasks"] += 1
            task.state, task.progress = TaskState.DONE, 100
            task.completed_at, task.completed_on = _moment(finished), finished
        elif number in (16, 17):
            task.state, task.progress = TaskState.IN_PROGRESS, 70
            task.deadline = datetime.date(vietnam_today().year, 12, 15)
        else:
            task.state, task.progress = TaskState.IN_PROGRESS, 40
        task.save()


def _yearly_plan(department: OrgUnit, divisions: list[OrgUnit], created: dict[str, int]) -> None:
    year = vietnam_today().year
    plan, new = Programme.objects.get_or_create(
        unit=department,
        number=f"01/KH-SVHTT-{year}",
        defaults={
            "kind": ProgrammeKind.PLAN,
            "title": f"Kế hoạch công tác văn hóa công sở năm {year}",
            "title_en": f"Workplace culture plan for {year}",
            "starts_on": datetime.date(year, 1, 1),
            "ends_on": datetime.date(year, 12, 31),
        },
    )
    created["programmes"] += new
    if not new or not divisions:
        return
    items = [
        ("Kiểm tra việc thực hiện Quy tắc ứng xử tại các đơn vị", divisions[0], 11, 30, 60),
        ("Tổng hợp danh sách Gia đình văn hóa", divisions[-1], 12, 10, 30),
        ("Báo cáo kết quả thực hiện Chỉ thị 24-CT/TU", divisions[0], 10, 31, 80),
        ("Tổ chức tọa đàm văn hóa công vụ", divisions[1 % len(divisions)], 12, 20, 0),
    ]
    for title, unit, month, day, progress in items:
        deadline = datetime.date(year, month, day)
        Task.objects.create(
            programme=plan,
            title=title,
            assignee_unit=unit,
            deadline=deadline,
            original_deadline=deadline,
            state=TaskState.IN_PROGRESS if progress else TaskState.NOT_STARTED,
            progress=progress,
        )
        created["tasks"] += 1


def _indicator(unit: OrgUnit, code: str, created: dict[str, int], **fields: Any) -> Indicator:
    indicator, new = Indicator.objects.get_or_create(unit=unit, code=code, defaults=fields)
    created["indicators"] += new
    return indicator


def _actual(indicator: Indicator, unit: OrgUnit, year: int, period: int, value: str | int) -> None:
    indicator.actuals.get_or_create(
        unit=unit,
        year=year,
        period=period,
        defaults={"value": Decimal(value), "source": "form"},
    )


def _target(
    indicator: Indicator,
    unit: OrgUnit,
    year: int,
    value: str | int,
    allocated_from: Target | None = None,
) -> Target:
    target, _new = Target.objects.get_or_create(
        indicator=indicator,
        unit=unit,
        year=year,
        period=0,
        defaults={"value": Decimal(value), "allocated_from": allocated_from},
    )
    return target


def _indicators(
    city: OrgUnit,
    department: OrgUnit,
    wards: list[OrgUnit],
    programme: Programme,
    created: dict[str, int],
) -> None:
    revenue = _indicator(
        city,
        "doanh-thu-di-tich",
        created,
        name="Doanh thu tại các điểm di tích",
        name_en="Revenue at relic sites",
        measure="tỷ đồng",
        aggregation=Aggregation.SUM,
        frequency=Frequency.MONTH,
        programme=programme,
    )
    visitors = _indicator(
        city,
        "luot-khach-di-tich",
        created,
        name="Lượt khách tham quan di tích",
        name_en="Visits to relic sites",
        measure="lượt",
        aggregation=Aggregation.SUM,
        frequency=Frequency.MONTH,
        programme=programme,
    )
    _target(revenue, city, 2023, "36")
    _target(revenue, department, 2023, "36")
    _target(visitors, city, 2023, "2000000")
    # First half of 2023: 45.37 billion VND (126% of 36); 2022 the same months: 1.51.
    for month, value_2023, value_2022, people in [
        (1, "6.12", "0.21", "310000"),
        (2, "9.85", "0.18", "420000"),
        (3, "8.40", "0.25", "360000"),
        (4, "7.30", "0.27", "330000"),
        (5, "6.90", "0.30", "320000"),
        (6, "6.80", "0.30", "310000"),
    ]:
        _actual(revenue, department, 2023, month, value_2023)
        _actual(revenue, department, 2022, month, value_2022)
        _actual(visitors, department, 2023, month, people)

    recognised = _indicator(
        city,
        "ho-gia-dinh-van-hoa",
        created,
        name="Số hộ được công nhận Gia đình văn hóa",
        name_en="Households recognised as cultural families",
        measure="hộ",
        aggregation=Aggregation.SUM,
    )
    households = _indicator(
        city,
        "tong-so-ho",
        created,
        name="Tổng số hộ gia đình",
        name_en="Households",
        measure="hộ",
        aggregation=Aggregation.LATEST,
    )
    rate = _indicator(
        city,
        "ty-le-gia-dinh-van-hoa",
        created,
        name="Tỷ lệ hộ đạt danh hiệu Gia đình văn hóa",
        name_en="Share of households recognised as cultural families",
        measure="%",
        aggregation=Aggregation.RATIO,
        numerator=recognised,
        denominator=households,
        programme=programme,
    )
    year = vietnam_today().year
    for target_year in (year - 1, year):
        parent = _target(rate, city, target_year, "86")
        for ward, count, share, done in zip(
            wards, (4200, 6100, 9800), ("86", "86", "86"), (3650, 5300, 8300), strict=False
        ):
            _target(households, ward, target_year, count)
            _target(rate, ward, target_year, share, allocated_from=parent)
            _actual(households, ward, target_year, 0, count)
            _actual(recognised, ward, target_year, 0, done - (120 if target_year < year else 0))


def _titles(city: OrgUnit, wards: list[OrgUnit], created: dict[str, int]) -> None:
    rules = {rule.title: rule for rule in actions.load_title_rules(actor=None, unit=city)}
    family = rules[CulturalTitle.FAMILY]
    rate = Indicator.objects.filter(unit=city, code="ty-le-gia-dinh-van-hoa").first()
    if rate and family.target_indicator_id is None:
        family.target_indicator = rate
        family.save(update_fields=["target_indicator"])
    year = vietnam_today().year
    for rule in rules.values():
        rule.cycles.get_or_create(year=year)
        cycle, _new = rule.cycles.get_or_create(year=year - 1)
        if cycle.published_on is None:
            cycle.evaluation_closed_on = datetime.date(year - 1, 11, 20)
            cycle.list_posted_on = datetime.date(year - 1, 11, 21)
            cycle.decided_on = datetime.date(year - 1, 12, 5)
            cycle.decision_no = "Quyết định công nhận năm " + str(year - 1)
            cycle.published_on = datetime.date(year - 1, 12, 15)
            cycle.save()
    if not wards:
        return
    tay_ho = next((w for w in wards if w.code == "00103"), wards[0])
    groups = []
    for number in range(1, 7):
        group, _new = OrgUnit.objects.get_or_create(
            parent=tay_ho,
            kind=UnitKind.RESIDENTIAL_GROUP,
            name=f"Tổ dân phố số {number}",
            defaults={"code": f"TH-TDP{number:02d}", "name_en": f"Residential group {number}"},
        )
        groups.append(group)
    for ward, (eligible, assessed) in zip(
        wards, ((4200, 4050), (6100, 5900), (9800, 9300)), strict=False
    ):
        for count_year in (year - 1, year):
            ward.title_counts.get_or_create(
                title=CulturalTitle.FAMILY,
                year=count_year,
                defaults={"eligible": eligible, "assessed": assessed},
            )
    group_rule = rules[CulturalTitle.RESIDENTIAL_GROUP]
    for recognised_year in (year - 2, year - 1):
        for group in groups[: 4 if recognised_year < year - 1 else 5]:
            _, new = Recognition.objects.get_or_create(
                title=CulturalTitle.RESIDENTIAL_GROUP,
                year=recognised_year,
                unit=group,
                household_code="",
                defaults={"rule": group_rule},
            )
            created["recognitions"] += new
    # Tây Hồ's household list: 5,100 families two years ago, 5,300 last year (most of them
    # the same households, so "maintained" shows).
    surnames = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
    given = ["Văn An", "Thị Bình", "Văn Cường", "Thị Dung", "Minh Đức", "Thu Hà", "Quang Huy"]
    for recognised_year, first, count in ((year - 2, 1, 5100), (year - 1, 151, 5300)):
        if Recognition.objects.filter(
            title=CulturalTitle.FAMILY, year=recognised_year, unit__parent=tay_ho
        ).exists():
            continue
        rows = [
            Recognition(
                rule=family,
                title=CulturalTitle.FAMILY,
                year=recognised_year,
                unit=groups[number % len(groups)],
                household_code=f"TH-H{number:05d}",
                household_head=f"{surnames[number % 10]} {given[number % 7]}",
                decision_no=f"{100 + recognised_year % 100}/QĐ-UBND",
                decided_on=datetime.date(recognised_year, 12, 5),
            )
            for number in range(first, first + count)
        ]
        Recognition.objects.bulk_create(rows, batch_size=1000)
        created["recognitions"] += len(rows)
        # Fresh statistics, or the planner takes the new table for empty until autovacuum.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE programmes_recognition")
