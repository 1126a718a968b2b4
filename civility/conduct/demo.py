"""Demo conduct data for Hanoi: the starting catalogue and a dozen records in every state.

Runs after `import_admin_units --province 01`, `load_demo_data` and `load_codes`; idempotent
(the catalogue loader skips what exists; records are only added when Hanoi has none).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from civility.conduct import actions
from civility.conduct.models import Handling, Source, ViolationRecord, ViolationType
from civility.orgs.models import Official, OrgUnit, UnitKind

HANOI = "01"
# The demo records are filed and decided by load_demo_data's coordinator.
NO_COORDINATOR = "The demo coordinator (demo_coordinator) is missing: run load_demo_data"


@dataclass
class ConductDemoReport:
    types: int = 0
    records: int = 0
    receipts: list[tuple[str, str]] = field(default_factory=list)


# (staff code, type key, days ago, source, what happened, final state, handling)
RECORDS = [
    (
        "TH-10",
        "KTDX-1",
        75,
        Source.SURPRISE_CHECK,
        "Đoàn kiểm tra đột xuất lúc 8 giờ 20: cán bộ chưa có mặt tại quầy, công dân phải chờ.",
        "closed",
        Handling.REMINDER,
    ),
    (
        "TH-10",
        "KTDX-2",
        20,
        Source.CITIZEN,
        "Công dân đánh giá 'không hài lòng': cán bộ trả lời cộc lốc, không hướng dẫn "
        "bổ sung hồ sơ.",
        "verifying",
        "",
    ),
    (
        "TH-11",
        "QD522-7",
        40,
        Source.CITIZEN,
        "Công dân phản ánh bị yêu cầu nộp thêm bản sao giấy tờ không có trong quy trình.",
        "confirmed",
        Handling.CRITICISM,
    ),
    (
        "HK-03",
        "QD522-4",
        55,
        Source.INSPECTION,
        "Kiểm tra định kỳ: không đeo thẻ công chức, trang phục không đúng quy định.",
        "closed",
        Handling.REMINDER,
    ),
    (
        "HK-10",
        "KTDX-1",
        30,
        Source.SURPRISE_CHECK,
        "Rời vị trí làm việc 40 phút trong giờ tiếp dân, không báo cáo.",
        "dismissed",
        "",
    ),
    (
        "HK-10",
        "KTDX-1",
        12,
        Source.SURPRISE_CHECK,
        "Đến muộn 25 phút, quầy số 1 không có người tiếp nhận.",
        "confirmed",
        Handling.REMINDER,
    ),
    (
        "HK-10",
        "QD522-3",
        5,
        Source.SUPERVISOR,
        "Sử dụng điện thoại việc riêng kéo dài trong giờ tiếp dân.",
        "confirmed",
        Handling.CRITICISM,
    ),
    (
        "LB-02",
        "D24-2-A",
        35,
        Source.SUPERVISOR,
        "Chuyển hồ sơ thuộc thẩm quyền của phòng lên UBND phường mà không đề xuất hướng xử lý.",
        "verifying",
        "",
    ),
    (
        "LB-06",
        "D24-2-B",
        8,
        Source.OTHER_AGENCY,
        "Văn bản tham mưu trả lời kiến nghị chung chung, không nêu rõ trách nhiệm của đơn vị.",
        "reported",
        "",
    ),
]


def _official(code: str, city: OrgUnit) -> Official | None:
    return Official.objects.under(city).filter(staff_code=code).select_related("unit").first()


@transaction.atomic
def load_conduct_demo() -> ConductDemoReport:
    report = ConductDemoReport()
    city = OrgUnit.objects.filter(kind=UnitKind.PROVINCE, code=HANOI).first()
    if city is None:
        raise LookupError("Hanoi (code 01) is missing: run import_admin_units and load_demo_data")
    report.types = actions.load_catalogue_seed(actor=None, unit=city)
    if ViolationRecord.objects.under(city).exists():
        return report
    coordinator = get_user_model().objects.filter(username="demo_coordinator").first()
    today = timezone.localdate()
    for code, key, days_ago, source, text, state, handling in RECORDS:
        official = _official(code, city)
        if official is None:
            continue
        if coordinator is None:
            raise LookupError(NO_COORDINATOR)
        violation_type = ViolationType.objects.current().get(group__unit=city, key=key)
        record = actions.report_violation(
            actor=coordinator,
            official=official,
            violation_type=violation_type,
            occurred_on=today - datetime.timedelta(days=days_ago),
            source=source,
            description=text,
            location=official.unit.name,
        )
        report.records += 1
        if state == "reported":
            continue
        actions.start_verification(actor=coordinator, record=record)
        if state == "verifying":
            continue
        if state == "dismissed":
            actions.dismiss_record(
                actor=coordinator,
                record=record,
                reason="Cán bộ được phân công đi tiếp nhận hồ sơ tại nhà cho người cao tuổi.",
            )
        else:
            actions.confirm_record(
                actor=coordinator,
                record=record,
                handling=handling,
                related_to_duties=violation_type.related_to_duties,
            )
        if state == "closed":
            actions.close_record(actor=coordinator, record=record)

    # An anonymous report from the public page, with a question waiting for an answer.
    counter = Official.objects.under(city).filter(staff_code="TH-10").first()
    if counter is not None:
        if coordinator is None:
            raise LookupError(NO_COORDINATOR)
        anonymous, secret = actions.file_anonymous_report(
            unit=counter.unit,
            official_hint="Cán bộ nữ ở quầy số 2, buổi chiều",
            description=(
                "Tôi bị hẹn đi hẹn lại ba lần để bổ sung giấy tờ, mỗi lần một yêu cầu khác."
            ),
            occurred_on=today - datetime.timedelta(days=3),
            location="Quầy số 2",
        )
        actions.start_verification(actor=coordinator, record=anonymous.record)
        actions.ask_reporter(
            actor=coordinator,
            record=anonymous.record,
            text="Anh/chị cho biết ngày hẹn lần đầu và loại thủ tục đã nộp?",
        )
        report.records += 1
        report.receipts.append((anonymous.receipt_code, secret))
    return report
