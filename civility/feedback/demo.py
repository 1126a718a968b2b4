"""Demo data for the citizens' voice, on top of `load_demo_data` (Hanoi's demo wards).

Thirty days of kiosk and QR ratings at every demo counter, a few assistance calls with their
response times, public-place reports at the demo places in every state, and three months of
dossier figures per service point, follow-up cases of a few dissatisfied ratings (one
answered with evidence and closed); then the rollups. Illustrative, not real records.

Idempotent: ratings have deterministic client ids (stored once), reports and calls are only
made for a counter or place that has none, dossier figures are upserted by unit and period.
"""

from __future__ import annotations

import datetime
import io
import random
import uuid
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image

from civility.core.audit import acting_as
from civility.feedback import actions, cases
from civility.feedback.limits import MAX_RATING_AGE
from civility.feedback.models import (
    AssistanceCall,
    CounterDevice,
    DossierStat,
    FollowUpCase,
    PublicReport,
    Reason,
    ReportCategory,
    ServiceRating,
    Side,
)
from civility.orgs.models import Official, OrgUnit, Place, UnitKind
from civility.orgs.scopes import scope_of

NAMESPACE = uuid.UUID("6f1c1d3e-2b59-4c1e-9e3e-2a7f3c1b0a10")
DAYS = MAX_RATING_AGE.days
COMMENTS = [
    "Cán bộ hướng dẫn tận tình, dễ hiểu.",
    "Thời gian chờ hơi lâu vào buổi sáng.",
    "Trả kết quả đúng hẹn, cảm ơn.",
    "Phòng chờ sạch sẽ, có nước uống.",
    "Cần thêm ghế ngồi chờ.",
    "",
    "",
    "",
]
REPORTS = [
    ("littering", "Nhiều người vứt rác ra lối đi sau giờ họp chợ."),
    ("overcharging", "Hàng hoa quả không niêm yết giá, bán cho khách du lịch giá cao gấp đôi."),
    ("queue_jumping", "Chen lấn ở cửa vào, không xếp hàng khi đông khách."),
    ("disorder", "Tranh cướp lộc sau lễ, ảnh hưởng người cao tuổi."),
    ("encroachment", "Hàng quán lấn chiếm hết vỉa hè, người đi bộ phải xuống lòng đường."),
    ("noise_fighting", "Loa kéo hát karaoke đến khuya."),
]


@dataclass
class FeedbackDemoReport:
    counters: int = 0
    ratings: int = 0
    calls: int = 0
    reports: int = 0
    dossier_stats: int = 0
    cases: int = 0
    kiosk_links: list[tuple[OrgUnit, str]] = field(default_factory=list)  # (counter, secret)


def load_feedback_demo(*, today: datetime.date | None = None) -> FeedbackDemoReport:
    today = today or timezone.localdate()
    report = FeedbackDemoReport(kiosk_links=[])
    admin = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    counters = list(
        OrgUnit.objects.filter(kind=UnitKind.COUNTER, officials__isnull=False)
        .distinct()
        .order_by("path")
    )
    rng = random.Random(2025)
    for counter in counters:
        report.counters += 1
        report.ratings += _ratings(counter, today, rng)
        report.calls += _calls(counter, today, rng)
        if admin is not None and not CounterDevice.objects.filter(counter=counter).exists():
            actions.register_device(actor=admin, counter=counter, name="Máy tính bảng tại quầy")
    if admin is not None:
        report.kiosk_links.extend(_fresh_kiosk_link(admin))
    report.calls += _waiting_call()
    report.reports += _reports(today, rng)
    report.dossier_stats += _dossier_stats(counters, today, rng, admin)
    if admin is not None:
        report.cases += _cases(counters[:3], admin)
    first = today - datetime.timedelta(days=DAYS + 1)
    actions.rollup_days(days=[first + datetime.timedelta(days=n) for n in range(DAYS + 2)])
    return report


def _ratings(counter: OrgUnit, today: datetime.date, rng: random.Random) -> int:
    """Office-hour ratings for today and the DAYS - 1 days before: the oldest is still
    inside the rating action's window (MAX_RATING_AGE from now) at any hour of the day."""
    officials = list(Official.objects.filter(unit=counter).values_list("pk", flat=True))
    zone = timezone.get_current_timezone()
    now = timezone.now()
    stored = 0
    for back in range(DAYS - 1, -1, -1):
        day = today - datetime.timedelta(days=back)
        if day.weekday() == 6:  # closed on Sundays
            continue
        rng = random.Random(f"ratings-{counter.pk}-{day}")  # a day's draws are the same each run
        items = []
        for n in range(rng.randint(8, 22)):
            moment = datetime.datetime.combine(
                day, datetime.time(rng.randint(8, 16), rng.randint(0, 59)), tzinfo=zone
            )
            if moment > now:
                continue
            level = rng.choices([1, 2, 3, 4, 5], weights=[45, 35, 12, 6, 2])[0]
            reasons = rng.sample(Reason.values, rng.choice([0, 0, 1, 1, 2]))
            items.append(
                actions.RatingInput(
                    client_id=uuid.uuid5(NAMESPACE, f"{counter.pk}-{day}-{n}"),
                    level=level,
                    reasons=reasons,
                    comment=rng.choice(COMMENTS),
                    rated_at=moment,
                )
            )
        if items:
            results = actions.record_ratings(
                counter=counter,
                ratings=items,
                channel=rng.choice(["kiosk", "kiosk", "kiosk", "qr"]),
                official_id=rng.choice(officials) if officials else None,
            )
            stored += sum(result.stored for result in results)
    return stored


@transaction.atomic
def _calls(counter: OrgUnit, today: datetime.date, rng: random.Random) -> int:
    if AssistanceCall.objects.filter(counter=counter).exists():
        return 0
    zone = timezone.get_current_timezone()
    made = 0
    with acting_as(None):
        for back in rng.sample(range(1, DAYS), 4):
            day = today - datetime.timedelta(days=back)
            raised = datetime.datetime.combine(
                day, datetime.time(rng.randint(8, 16), rng.randint(0, 59)), tzinfo=zone
            )
            acknowledged = raised + datetime.timedelta(seconds=rng.randint(20, 240))
            AssistanceCall.objects.create(
                counter=counter,
                source=rng.choice(["kiosk", "public"]),
                raised_at=raised,
                acknowledged_at=acknowledged,
                resolved_at=acknowledged + datetime.timedelta(minutes=rng.randint(2, 15)),
            )
            made += 1
    return made


def _fresh_kiosk_link(admin: User) -> list[tuple[OrgUnit, str]]:
    """A new link for the demo official's kiosk on every load, the previous key revoked:
    keys are stored only as hashes, so a link can be shown once and never again."""
    official = Official.objects.filter(user__username="demo_official").first()
    if official is None:
        return []
    device = CounterDevice.objects.active().filter(counter=official.unit).first()
    if device is None:
        return []
    _device, secret = actions.reissue_device_key(actor=admin, device=device)
    return [(official.unit, secret)]


def _waiting_call() -> int:
    """A citizen waiting at the demo official's counter right now (one at most: pressing the
    bell again while a call waits returns the waiting call)."""
    official = Official.objects.filter(user__username="demo_official").first()
    if official is None:
        return 0
    _call, created = actions.raise_assistance_call(counter=official.unit, source="kiosk")
    return int(created)


def _reports(today: datetime.date, rng: random.Random) -> int:
    head = get_user_model().objects.filter(username="demo_head").first()
    made = 0
    places = list(Place.objects.select_related("unit").order_by("pk"))
    for index, place in enumerate(places):
        if PublicReport.objects.filter(place=place).exists():
            continue
        code, text = REPORTS[index % len(REPORTS)]
        category = ReportCategory.objects.filter(code=code).first()
        if category is None:
            continue
        report, _secret = actions.submit_report(
            data=actions.ReportInput(category=category, description=text, place=place)
        )
        PublicReport.objects.filter(pk=report.pk).update(
            submitted_at=timezone.now() - datetime.timedelta(days=rng.randint(1, 20))
        )
        made += 1

        if head is None or not scope_of(head).covers(place.unit):
            continue
        report.refresh_from_db()
        step = index % 4
        if step >= 1:
            actions.accept_report(actor=head, report=report, note="Đã giao tổ công tác phường.")
        if step >= 2:
            actions.add_report_note(
                actor=head, report=report, note="Đã kiểm tra hiện trường, nhắc nhở các hộ."
            )
        if step == 3:
            actions.close_report(
                actor=head, report=report, public_note="Đã xử lý, khu vực đã sạch và thông thoáng."
            )
    return made


def _dossier_stats(
    counters: list[OrgUnit], today: datetime.date, rng: random.Random, admin: User | None
) -> int:
    if admin is None:
        return 0
    points = {
        counter.parent
        for counter in counters
        if counter.parent is not None and counter.parent.kind == UnitKind.SERVICE_POINT
    }
    rows = []
    month = today.replace(day=1)
    for _back in range(3):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
        end = (month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
        for point in sorted(points, key=lambda unit: unit.pk):
            received = rng.randint(600, 1400)
            processed = received - rng.randint(0, 60)
            late = rng.randint(0, 12)
            early = rng.randint(processed // 4, processed // 2)
            rows.append(
                actions.DossierRow(
                    unit=point,
                    period_start=month,
                    period_end=end,
                    received=received,
                    processed=processed,
                    early=early,
                    on_time=processed - early - late,
                    late=late,
                    online=rng.randint(received // 3, received * 2 // 3),
                )
            )
    before = DossierStat.objects.count()
    actions.save_dossier_stats(actor=admin, rows=rows)
    return DossierStat.objects.count() - before


def _cases(counters: list[OrgUnit], admin: User) -> int:
    """Two follow-up cases per counter from its dissatisfied ratings; the first is answered
    with a photo and closed (cases are made once: a counter with cases is left alone)."""
    made = 0
    for counter in counters:
        if FollowUpCase.objects.filter(counter=counter).exists():
            continue
        unhappy = ServiceRating.objects.filter(counter=counter, side=Side.DISSATISFIED)
        rows = list(unhappy.order_by("rated_at").values("client_id", "channel")[:2])
        for index, row in enumerate(rows):
            contact = cases.Contact(name="Nguyễn Văn An", phone=f"09{counter.pk:04d}{index:04d}")
            receipts = cases.open_cases(
                counter=counter, channel=row["channel"], ratings=[(row["client_id"], contact)]
            )
            made += len(receipts)
            if index == 0 and receipts:
                receipt, _secret = receipts[row["client_id"]]
                case = FollowUpCase.objects.get(receipt=receipt)
                buffer = io.BytesIO()
                Image.new("RGB", (320, 200), "#d9ead3").save(buffer, format="PNG")
                photo = SimpleUploadedFile("bien-ban.png", buffer.getvalue(), "image/png")
                cases.reply_to_case(
                    actor=admin,
                    case=case,
                    text="Đã làm việc với cán bộ tiếp nhận và bố trí thêm người vào giờ cao điểm.",
                    files=[photo],
                    close=True,
                )
    return made
