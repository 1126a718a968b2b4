"""A city-scale data set for the benchmarks: Hanoi's real units and a year or two of records.

Used by bench/insights_dashboards.py (call `build(...)` inside a scratch database made the
way the test runner makes one). What it writes, with the default sizes of issue #10:

- Hanoi's units from the official list (126 communes and wards, 30 former districts, the
  city's Public Administration Service Center and one service point per commune), plus
  20 city departments, 3 specialised divisions in every commune (office, economy,
  culture and society) and 4 one-stop counters at every service point;
- 150,000 officials: 5 at every counter, 10 in every commune's own leadership, and the rest
  two fifths in the city departments and three fifths in the commune divisions;
- 10,000,000 ratings spread evenly over the last two years (730 days), each at a counter
  and by one of its officials, with reasons on the dissatisfied ones, written in ONE
  `INSERT … SELECT generate_series` into the monthly partitions (created first); the rating
  claim trigger is disabled for the load and `feedback_ratingkey` is filled afterwards in
  one `INSERT … SELECT`, then the trigger is enabled again; then feedback's own daily rollup;
- 20,000 submitted inspections of counters and 50,000 confirmed violation records over the
  last year;
- twelve approved monthly evaluation periods (the twelve months before the current one)
  for every official, in one `INSERT … SELECT` per month.
"""

from __future__ import annotations

import datetime
import random
import time
from dataclasses import dataclass, field

from django.db import transaction

CITY_DEPARTMENTS = [
    "Văn phòng UBND Thành phố",
    "Sở Nội vụ",
    "Sở Tư pháp",
    "Sở Tài chính",
    "Sở Công Thương",
    "Sở Nông nghiệp và Môi trường",
    "Sở Xây dựng",
    "Sở Quy hoạch - Kiến trúc",
    "Sở Khoa học và Công nghệ",
    "Sở Giáo dục và Đào tạo",
    "Sở Y tế",
    "Sở Văn hóa và Thể thao",
    "Sở Du lịch",
    "Sở Dân tộc và Tôn giáo",
    "Thanh tra Thành phố",
    "Ban Quản lý các khu công nghiệp và chế xuất",
    "Ban Quản lý dự án đầu tư xây dựng công trình giao thông",
    "Ban Quản lý dự án đầu tư xây dựng công trình dân dụng",
    "Ban Quản lý dự án đầu tư xây dựng công trình cấp nước, thoát nước và môi trường",
    "Ban Quản lý dự án đầu tư xây dựng công trình văn hóa - xã hội",
]
COMMUNE_DIVISIONS = [
    "Văn phòng HĐND và UBND",
    "Phòng Kinh tế",
    "Phòng Văn hóa - Xã hội",
]
COUNTERS_PER_POINT = 4
OFFICIALS_PER_COUNTER = 5
COMMUNE_LEADERS = 10
ONE_DAY = datetime.timedelta(days=1)
YEAR_MINUTES = 365 * 24 * 60


@dataclass
class CityData:
    city: object
    communes: list
    city_departments: list
    divisions: list
    service_points: list
    counters: list
    officials: int = 0
    ratings: int = 0
    first_rating_day: datetime.date | None = None
    year_start: datetime.date | None = None
    evaluation_months: list = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


@dataclass
class ListRecords:
    """How many rows of the records the lists page through (bench/lists.py); build() writes
    none of them unless asked."""

    nominations: int = 20_000
    good_models: int = 5_000
    corrective_actions: int = 20_000
    public_reports: int = 100_000
    programme_tasks: int = 20_000
    audit_events: int = 1_000_000


def _timed(data: CityData, label: str, started: float) -> None:
    data.timings[label] = time.perf_counter() - started
    print(f"  set-up: {label}: {data.timings[label]:.1f} s", flush=True)


def _field_defaults(model, given: set[str]) -> tuple[list[str], list[str], list]:
    """Columns, SQL placeholders and values for every NOT NULL column of `model` that the
    caller does not give: Django's Python-side defaults (auto_now fields get now()), since
    the database knows none of them."""
    from django.db import connection
    from django.db.models import AutoField, BigAutoField

    columns, sql, params = [], [], []
    for model_field in model._meta.concrete_fields:
        column = model_field.column
        if column in given or isinstance(model_field, (AutoField, BigAutoField)):
            continue
        if getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False):
            columns.append(column)
            sql.append("now()")
        elif not model_field.null:
            columns.append(column)
            sql.append("%s")
            params.append(model_field.get_db_prep_save(model_field.get_default(), connection))
    return columns, sql, params


def build(
    *,
    today: datetime.date,
    officials: int = 150_000,
    ratings: int = 10_000_000,
    rating_days: int = 730,
    inspections: int = 20_000,
    violations: int = 50_000,
    list_records: ListRecords | None = None,
    seed: int = 10,
) -> CityData:
    from django.db import connection
    from django.utils import timezone

    from civility.conduct.actions import load_catalogue_seed
    from civility.conduct.models import ViolationRecord, ViolationType
    from civility.evaluations.models import Evaluation, EvaluationPeriod
    from civility.feedback.actions import rollup_days
    from civility.feedback.partitions import ensure_rating_partitions, month_starts
    from civility.inspections.models import ChecklistTemplate, Inspection, TemplateVersion
    from civility.orgs.admin_units import import_admin_units
    from civility.orgs.models import AGENCY_KINDS, Official, OrgUnit, UnitKind, nearest_of_kinds

    rng = random.Random(seed)
    zone = timezone.get_current_timezone()

    # --- units -----------------------------------------------------------------------
    started = time.perf_counter()
    import_admin_units(provinces=["01"])
    city = OrgUnit.objects.get(kind=UnitKind.PROVINCE, code="01")
    communes = list(
        OrgUnit.objects.filter(
            kind__in=(UnitKind.WARD, UnitKind.COMMUNE, UnitKind.SPECIAL_ZONE)
        ).current()
    )
    points = list(OrgUnit.objects.filter(kind=UnitKind.SERVICE_POINT))
    city_departments = OrgUnit.objects.bulk_create(
        OrgUnit(name=name, parent=city, kind=UnitKind.DEPARTMENT) for name in CITY_DEPARTMENTS
    )
    divisions = OrgUnit.objects.bulk_create(
        OrgUnit(name=name, parent=commune, kind=UnitKind.DEPARTMENT)
        for commune in communes
        for name in COMMUNE_DIVISIONS
    )
    counters = OrgUnit.objects.bulk_create(
        OrgUnit(name=f"Quầy số {n}", parent=point, kind=UnitKind.COUNTER, serves=point.serves)
        for point in points
        for n in range(1, COUNTERS_PER_POINT + 1)
    )
    data = CityData(
        city=city,
        communes=communes,
        city_departments=city_departments,
        divisions=divisions,
        service_points=points,
        counters=counters,
    )

    # --- officials ---------------------------------------------------------------------
    homes = [c for c in counters for _ in range(OFFICIALS_PER_COUNTER)]
    homes += [c for c in communes for _ in range(COMMUNE_LEADERS)]
    rest = max(0, officials - len(homes))
    homes += rng.choices(city_departments, k=rest * 2 // 5)
    homes += rng.choices(divisions, k=officials - len(homes))
    homes = homes[:officials]
    categories = ["civil_servant"] * 6 + ["public_employee"] * 3 + ["cadre"]
    leaders = {c.pk for c in communes}
    Official.objects.bulk_create(
        (
            Official(
                unit=unit,
                full_name=f"Cán bộ {i}",
                staff_category="cadre" if unit.pk in leaders else rng.choice(categories),
                is_leader=unit.pk in leaders and i % COMMUNE_LEADERS < 3,
            )
            for i, unit in enumerate(homes)
        ),
        batch_size=10_000,
    )
    data.officials = len(homes)
    _timed(data, f"units ({len(counters)} counters) and {len(homes):,} officials", started)

    # --- ratings -----------------------------------------------------------------------
    started = time.perf_counter()
    first_day = today - datetime.timedelta(days=rating_days - 1)
    data.first_rating_day = first_day
    ensure_rating_partitions(first_day, today)
    counter_ids = {c.pk for c in counters}
    staff = list(
        Official.objects.filter(unit_id__in=counter_ids)
        .order_by("unit_id", "pk")
        .values_list("unit_id", "pk")
    )
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '256MB'")
        cursor.execute("SET work_mem = '256MB'")
        cursor.execute("ALTER TABLE feedback_servicerating DISABLE TRIGGER rating_claim")
        # One statement per month (its partition), each committed on its own: the deferred
        # foreign-key checks of a statement are queued in memory until its commit.
        chunks = []
        for month in month_starts(first_day, today):
            chunk_start = max(month, first_day)
            next_month = (month + datetime.timedelta(days=32)).replace(day=1)
            chunks.append((chunk_start, (min(next_month, today + ONE_DAY) - chunk_start).days))
        written = 0
        for n, (chunk_start, chunk_days) in enumerate(chunks):
            count = (
                ratings - written
                if n == len(chunks) - 1
                else round(ratings * chunk_days / rating_days)
            )
            cursor.execute(
                """
                INSERT INTO feedback_servicerating
                  (client_id, channel, scale, level, score, side, reasons, comment,
                   dossier_code, rated_at, rated_on, counter_id, official_id)
                SELECT gen_random_uuid(), 'kiosk', 'three', lvl,
                       CASE lvl WHEN 1 THEN 100 WHEN 2 THEN 50 ELSE 0 END,
                       CASE lvl WHEN 1 THEN 1 WHEN 2 THEN 0 ELSE -1 END,
                       CASE WHEN lvl < 3 THEN '{}'::varchar[]
                            WHEN g %% 3 = 0 THEN ARRAY['waiting_time']::varchar[]
                            WHEN g %% 3 = 1 THEN ARRAY['attitude']::varchar[]
                            ELSE ARRAY['guidance', 'waiting_time']::varchar[] END,
                       '', '',
                       (d + make_interval(secs => (27000 + (g * 7919) %% 32400)::int))
                         AT TIME ZONE 'Asia/Ho_Chi_Minh',
                       d,
                       (%s::bigint[])[1 + s], (%s::bigint[])[1 + s]
                FROM (
                  SELECT g, %s::date + (g %% %s)::int AS d, floor(random() * %s)::int AS s,
                         CASE WHEN random() < 0.85 THEN 1 WHEN random() < 0.6 THEN 2 ELSE 3
                         END AS lvl
                  FROM generate_series(1, %s::bigint) AS g
                ) AS x
                """,
                [
                    [unit_id for unit_id, _ in staff],
                    [official_id for _, official_id in staff],
                    chunk_start,
                    chunk_days,
                    len(staff),
                    count,
                ],
            )
            written += cursor.rowcount
            print(
                f"    {chunk_start:%m/%Y}: {cursor.rowcount:,} ratings, "
                f"{time.perf_counter() - started:.0f} s so far",
                flush=True,
            )
        data.ratings = written
        _timed(data, f"{data.ratings:,} ratings into monthly partitions", started)
        started = time.perf_counter()
        cursor.execute(
            """
            INSERT INTO feedback_ratingkey (client_id, dossier_code, rated_on)
            SELECT client_id, dossier_code, rated_on FROM feedback_servicerating
            ORDER BY client_id
            """
        )
        keys = cursor.rowcount
        cursor.execute("ALTER TABLE feedback_servicerating ENABLE TRIGGER rating_claim")
        _timed(data, f"{keys:,} rating keys (claim trigger enabled again)", started)
        started = time.perf_counter()
        cursor.execute("VACUUM ANALYZE feedback_servicerating")
        cursor.execute("VACUUM ANALYZE feedback_ratingkey")
        _timed(data, "VACUUM ANALYZE of ratings and keys", started)
    started = time.perf_counter()
    days = [first_day + datetime.timedelta(days=i) for i in range(rating_days)]
    for chunk in range(0, len(days), 31):
        rollup_days(days=days[chunk : chunk + 31])
    _timed(data, f"feedback's daily rollup of {rating_days} days", started)

    # --- inspections and violations (the last year) ------------------------------------
    started = time.perf_counter()
    year_days = 365
    year_start = today - datetime.timedelta(days=year_days - 1)
    data.year_start = year_start
    load_catalogue_seed(actor=None, unit=city)
    kind = ViolationType.objects.usable().first()
    template = ChecklistTemplate.objects.create(
        unit=city, slug="bench", subject="counter", name="Phiếu"
    )
    version = TemplateVersion.objects.create(template=template, number=1)
    inspected = [c.pk for c in counters] + [d.pk for d in divisions] + [c.pk for c in communes]
    Inspection.objects.bulk_create(
        (
            Inspection(
                kind="planned",
                status="submitted",
                template_version=version,
                inspecting_unit=city,
                unit_id=rng.choice(inspected),
                submitted_at=datetime.datetime.combine(
                    year_start + datetime.timedelta(days=rng.randrange(year_days)),
                    datetime.time(10),
                    tzinfo=zone,
                ),
                score=rng.randint(50, 100),
            )
            for _ in range(inspections)
        ),
        batch_size=5000,
    )
    official_rows = list(Official.objects.values_list("pk", "unit_id"))
    now = timezone.now()
    ViolationRecord.objects.bulk_create(
        (
            ViolationRecord(
                unit_id=unit_id,
                official_id=official_id,
                type=kind,
                occurred_on=year_start + datetime.timedelta(days=rng.randrange(year_days)),
                source="supervisor",
                description="Đi muộn",
                status="confirmed",
                outcome="confirmed",
                severity="less_serious",
                handling="reminder",
                rule_set="decree_172_2025",
                decided_at=now,
            )
            for official_id, unit_id in (rng.choice(official_rows) for _ in range(violations))
        ),
        batch_size=5000,
    )
    _timed(data, f"{inspections:,} inspections and {violations:,} violation records", started)

    # --- a year of monthly evaluations ---------------------------------------------------
    started = time.perf_counter()
    month = today.replace(day=1)
    months = []
    for _ in range(12):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
        months.append(month)
    months.reverse()
    data.evaluation_months = months
    given = {
        "period_id",
        "official_id",
        "unit_id",
        "agency_id",
        "is_leader",
        "rule_set",
        "step",
        "total",
        "level",
        "self_submitted_at",
        "approved_at",
        "reviewed_at",
    }
    columns, placeholders, defaults = _field_defaults(Evaluation, given)
    homes_used = OrgUnit.objects.filter(pk__in=Official.objects.values("unit_id"))
    agencies = nearest_of_kinds(homes_used, AGENCY_KINDS)
    unit_ids = list(agencies)
    agency_ids = [agencies[pk].pk if agencies[pk] else pk for pk in unit_ids]
    written = 0
    with connection.cursor() as cursor:
        for month in months:
            period = EvaluationPeriod.objects.create(
                unit=city,
                month=month,
                self_deadline=month.replace(day=25),
                review_deadline=month.replace(day=26),
                approval_deadline=month.replace(day=27),
            )
            closed = datetime.datetime.combine(month.replace(day=28), datetime.time(17), zone)
            cursor.execute(
                f"""
                INSERT INTO {Evaluation._meta.db_table}
                  (period_id, official_id, unit_id, agency_id, is_leader, rule_set, step, total,
                   level, self_submitted_at, reviewed_at, approved_at, {", ".join(columns)})
                SELECT %s, o.id, o.unit_id, m.agency_id, o.is_leader, 'hanoi-3814-2018', 'done',
                       t.total,
                       CASE WHEN t.total >= 90 THEN 'excellent' WHEN t.total >= 70 THEN 'good'
                            WHEN t.total >= 50 THEN 'completed' ELSE 'not_completed' END,
                       %s::date + make_interval(days => (18 + (o.id * 31 + %s) %% 9)::int,
                                                hours => 9),
                       %s, %s, {", ".join(placeholders)}
                FROM {Official._meta.db_table} o
                JOIN unnest(%s::int[], %s::int[]) AS m(unit_id, agency_id)
                  ON m.unit_id = o.unit_id,
                     LATERAL (SELECT (40 + (o.id * 7 + %s) %% 60)::numeric(5, 2) AS total) t
                """,
                [
                    period.pk,
                    month,
                    month.month,
                    closed,
                    closed,
                    *defaults,
                    unit_ids,
                    agency_ids,
                    month.month,
                ],
            )
            written += cursor.rowcount
        cursor.execute(f"ANALYZE {Evaluation._meta.db_table}")
        cursor.execute("ANALYZE")
    _timed(data, f"{written:,} approved evaluations over {len(months)} months", started)
    if list_records is not None:
        build_list_records(today=today, sizes=list_records, seed=seed)
    return data


@transaction.atomic
def build_list_records(*, today: datetime.date, sizes: ListRecords, seed: int = 10) -> None:
    """Nominations, good models, corrective actions, public-place reports, programme tasks
    and audit-log entries over the city's units, for the list benchmarks (bench/lists.py).
    Reads the units, officials and inspections build() wrote; every row by bulk_create,
    the audit log in one INSERT … SELECT."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.utils import timezone

    from civility.awards.models import AwardTitle, GoodModel, Nomination
    from civility.feedback.models import RECEIPT_ALPHABET, PublicReport, ReportCategory
    from civility.inspections.models import CorrectiveAction, Finding, Inspection
    from civility.orgs.models import Official, OrgUnit, UnitKind
    from civility.programmes.models import Programme, Task

    rng = random.Random(seed + 1)
    started = time.perf_counter()
    city = OrgUnit.objects.get(kind=UnitKind.PROVINCE, code="01")
    communes = list(
        OrgUnit.objects.filter(
            kind__in=(UnitKind.WARD, UnitKind.COMMUNE, UnitKind.SPECIAL_ZONE)
        ).current()
    )
    divisions = list(OrgUnit.objects.filter(kind=UnitKind.DEPARTMENT, parent__in=communes))
    local = communes + divisions
    official_rows = list(Official.objects.values_list("pk", "unit_id"))
    words = ["Mô hình", "Sáng kiến", "Dân vận khéo", "Văn phòng xanh", "Chợ văn minh"]

    def day_within(days: int) -> datetime.date:
        return today - datetime.timedelta(days=rng.randrange(days))

    title = AwardTitle.objects.create(
        unit=city,
        key="bench-lao-dong-tien-tien",
        valid_from=today.replace(month=1, day=1) - datetime.timedelta(days=3 * 366),
        name="Lao động tiên tiến",
        recipient="individual",
        form="emulation_title",
        level="grassroots",
        rule_set="decree-152-2025",
    )
    # An official is nominated for a title once a year.
    nominees = rng.sample(official_rows, k=min(sizes.nominations, len(official_rows)))
    Nomination.objects.bulk_create(
        (
            Nomination(
                title=title,
                year=today.year - rng.randrange(3),
                official_id=official_id,
                unit_id=unit_id,
                proposing_unit_id=unit_id,
                justification="Hoàn thành xuất sắc nhiệm vụ",
                verdict="eligible",
                rule_set="decree-152-2025",
                status=rng.choice(["proposed", "recommended", "awarded", "rejected"]),
            )
            for official_id, unit_id in nominees
        ),
        batch_size=5000,
    )
    GoodModel.objects.bulk_create(
        (
            GoodModel(
                kind=rng.choice(["model", "initiative"]),
                category=rng.choice(["one_stop", "green_office", "school_culture"]),
                unit=rng.choice(local),
                name=f"{rng.choice(words)} số {n}",
                started_on=day_within(5 * 365),
            )
            for n in range(sizes.good_models)
        ),
        batch_size=5000,
    )
    inspections = list(Inspection.objects.values_list("pk", "unit_id")[: sizes.corrective_actions])
    findings = Finding.objects.bulk_create(
        (
            Finding(inspection_id=pk, description="Niêm yết thủ tục chưa đầy đủ")
            for pk, _unit in (rng.choice(inspections) for _ in range(sizes.corrective_actions))
        ),
        batch_size=5000,
    )
    inspected = dict(inspections)
    now = timezone.now()
    CorrectiveAction.objects.bulk_create(
        (
            CorrectiveAction(
                finding=finding,
                unit_id=inspected[finding.inspection_id],
                description=f"Bổ sung niêm yết thủ tục hành chính ({n})",
                deadline=today + datetime.timedelta(days=rng.randrange(-120, 60)),
                status=(status := rng.choice(["open", "open", "responded", "closed"])),
                closed_at=now if status == "closed" else None,
            )
            for n, finding in enumerate(findings)
        ),
        batch_size=5000,
    )
    category, _created = ReportCategory.objects.get_or_create(
        code="bench-littering", defaults={"name": "Xả rác nơi công cộng"}
    )
    receipts: set[str] = set()
    while len(receipts) < sizes.public_reports:
        body = "".join(rng.choice(RECEIPT_ALPHABET) for _ in range(8))
        receipts.add(f"{body[:4]}-{body[4:]}")
    PublicReport.objects.bulk_create(
        (
            PublicReport(
                receipt=receipt,
                category=category,
                description="Vứt rác bừa bãi gần chợ",
                address=f"Số {n % 300 + 1} phố Hàng Bông",
                unit=rng.choice(communes),
                channel="web",
                status=rng.choice(["new", "accepted", "in_progress", "closed", "closed"]),
                submitted_at=(
                    submitted := now - datetime.timedelta(minutes=rng.randrange(525_600))
                ),
                due_at=submitted + datetime.timedelta(days=15),
            )
            for n, receipt in enumerate(sorted(receipts))
        ),
        batch_size=5000,
    )
    programmes = Programme.objects.bulk_create(
        Programme(
            unit=city,
            kind="plan",
            number=f"{n}/KH-UBND",
            title=f"Kế hoạch thực hiện văn hóa công vụ {n}",
            starts_on=today.replace(month=1, day=1),
            ends_on=today.replace(month=12, day=31),
        )
        for n in range(1, 11)
    )
    Task.objects.bulk_create(
        (
            Task(
                programme=rng.choice(programmes),
                number=str(n),
                title=f"Tổ chức tuyên truyền quy tắc ứng xử, đợt {n}",
                assignee_unit=rng.choice(local),
                deadline=(deadline := today + datetime.timedelta(days=rng.randrange(-200, 200))),
                original_deadline=deadline,
                state=(state := rng.choice(["not_started", "in_progress", "done"])),
                progress=100 if state == "done" else rng.randrange(100),
                completed_at=now if state == "done" else None,
                completed_on=deadline if state == "done" else None,
            )
            for n in range(sizes.programme_tasks)
        ),
        batch_size=5000,
    )
    official_type = ContentType.objects.get_for_model(Official)
    low, high = min(pk for pk, _ in official_rows), max(pk for pk, _ in official_rows)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO core_auditevent
              (object_pk, object_id, object_repr, action, changes_text, changes, timestamp,
               additional_data, content_type_id)
            SELECT o.id::text, o.id, o.full_name, 1, '',
                   '{"phone": ["", "0912345678"]}'::jsonb,
                   %s - make_interval(secs => (g * 31.0) %% (365 * 86400)),
                   jsonb_build_object('unit_path', u.path), %s
            FROM generate_series(1, %s::bigint) AS g
            JOIN orgs_official o ON o.id = %s + (g * 7919) %% (%s - %s + 1)
            JOIN orgs_orgunit u ON u.id = o.unit_id
            """,
            [now, official_type.pk, sizes.audit_events, low, high, low],
        )
        audit = cursor.rowcount
        for table in (
            "core_auditevent",
            "awards_nomination",
            "awards_goodmodel",
            "inspections_correctiveaction",
            "feedback_publicreport",
            "programmes_task",
        ):
            cursor.execute(f"ANALYZE {table}")
    print(
        f"  set-up: list records: {sizes.nominations:,} nominations, {sizes.good_models:,} good "
        f"models, {sizes.corrective_actions:,} corrective actions, {sizes.public_reports:,} "
        f"public reports, {sizes.programme_tasks:,} programme tasks, {audit:,} audit events: "
        f"{time.perf_counter() - started:.1f} s",
        flush=True,
    )
