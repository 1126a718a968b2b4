"""Demo emulation and commendation data for Hanoi: the title catalogue, the city's
workplace-culture movement, earlier titles, a nomination through the board to a decision, a few
proposals still waiting for the board, good models with their replication, and a review in
progress.

Runs after `import_admin_units --province 01`, `load_demo_data` and `load_codes`; idempotent
(each part is only added when it is not there yet). Annual classifications come from the
evaluations app; without them the eligibility page shows that data as missing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from civility.awards import actions
from civility.awards.eligibility.quotas import title_for
from civility.awards.models.catalogue import AwardTitle
from civility.awards.models.decisions import AwardDecision
from civility.awards.models.good_models import GoodModel
from civility.awards.models.movements import Movement
from civility.awards.models.nominations import Nomination, ReviewHold
from civility.orgs.models import Official, OrgUnit, RoleAssignment, UnitKind
from civility.orgs.scopes import Role

HANOI = "01"
MOVEMENT = "Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở"

# (category, owner: ward code or None for the city, name, name_en, started, status,
#  replicated to: ward codes with year)
MODELS = [
    (
        "one_stop",
        "00103",
        "Một cửa thân thiện",
        "Friendly one-stop service",
        2022,
        "recognised",
        [("00070", 2023), ("00148", 2024)],
    ),
    (
        "green_office",
        None,
        "Công sở xanh – sạch – đẹp",
        "Green, clean, beautiful office",
        2023,
        "effective",
        [("00103", 2024)],
    ),
    (
        "school_culture",
        "00070",
        "Văn hóa cúi chào trong trường học",
        "Culture of bowing in schools",
        2023,
        "effective",
        [("00103", 2024), ("00148", 2025)],
    ),
    (
        "civilized_market",
        "00148",
        "Chợ văn minh, an toàn",
        "Civilized, safe market",
        2021,
        "recognised",
        [("00103", 2023)],
    ),
    (
        "cultural_residential",
        "00103",
        "Tổ dân phố văn hóa kiểu mẫu",
        "Exemplary cultural residential group",
        2022,
        "effective",
        [("00070", 2024)],
    ),
    ("relic_site", "00070", "Di tích kiểu mẫu", "Exemplary relic site", 2024, "pilot", []),
]


@dataclass
class AwardsDemoReport:
    titles: int = 0
    models: int = 0
    replications: int = 0
    nominations: int = 0
    decisions: int = 0


def _commune(code: str) -> OrgUnit:
    return OrgUnit.objects.get(kind__in=(UnitKind.WARD, UnitKind.COMMUNE), code=code)


# Officials whose proposals for this year's titles wait for the board's review.
UNDER_REVIEW = ("TH-03", "TH-07", "TH-09", "HK-10")


def _staff(code: str) -> Official | None:
    return Official.objects.filter(staff_code=code).select_related("unit").first()


def _propose(title: AwardTitle | None, year: int, official: Official, admin: User) -> Nomination:
    if title is None:  # the catalogue loaded first has every title for every year since 2000
        raise LookupError("The award catalogue has no Advanced Worker title for the year.")
    return actions.propose_nomination(
        actor=admin,
        title=title,
        year=year,
        official=official,
        justification="Hoàn thành tốt nhiệm vụ tại bộ phận một cửa; không có phản ánh tiêu "
        "cực; 98% công dân hài lòng.",
        links=("https://hanoi.gov.vn/bao-cao-thi-dua",),
    )


@transaction.atomic
def load_awards_demo() -> AwardsDemoReport:
    report = AwardsDemoReport()
    city = OrgUnit.objects.filter(kind=UnitKind.PROVINCE, code=HANOI).first()
    if city is None:
        raise LookupError("Hanoi is not imported: run import_admin_units --province 01 first.")
    users = get_user_model().objects
    admin = users.filter(username="demo_admin").first()
    coordinator = users.filter(username="demo_coordinator").first()
    if admin is None or coordinator is None:
        raise LookupError("Run load_demo_data first (demo users are missing).")
    today = timezone.localdate()
    report.titles = actions.load_award_catalogue(actor=admin, unit=city)
    RoleAssignment.objects.get_or_create(
        user=coordinator, role=Role.BOARD_MEMBER, unit=city, defaults={"granted_by": admin}
    )

    movement = Movement.objects.filter(unit=city, name=MOVEMENT).first()
    if movement is None:
        movement = actions.create_movement(
            actor=admin,
            unit=city,
            name=MOVEMENT,
            name_en="Officials compete to implement workplace culture",
            reference="Kế hoạch thi đua của UBND Thành phố",
            starts_on=datetime.date(2025, 1, 1),
            ends_on=datetime.date(2030, 12, 31),
            description="Phong trào thi đua gắn với thực hiện Quy tắc ứng xử và Chỉ thị 24-CT/TU.",
            criteria="Chấp hành giờ giấc làm việc\nTrang phục, thẻ công chức\n"
            "Thái độ phục vụ nhân dân\nKhông né tránh, đùn đẩy",
        )
        for code in ("00103", "00070"):
            actions.register_for_movement(
                actor=admin,
                movement=movement,
                unit=_commune(code),
                pledge="100% cán bộ, công chức đăng ký thi đua",
            )

    for category, owner, name, name_en, started, status, spread in MODELS:
        if GoodModel.objects.filter(name=name).exists():
            continue
        unit = _commune(owner) if owner else city
        model = actions.register_good_model(
            actor=admin,
            unit=unit,
            name=name,
            name_en=name_en,
            category=category,
            started_on=datetime.date(started, 3, 1),
            movement=movement,
            description=f"{name}: mô hình điểm do {unit.name} triển khai.",
        )
        if status != "pilot":
            actions.change_model_status(
                actor=admin,
                model=model,
                status=status,
                recognised_on=datetime.date(started + 1, 11, 20),
                recognised_by="UBND Thành phố",
                recognition_level="city",
            )
        report.models += 1
        for code, year in spread:
            actions.replicate_model(
                actor=admin, model=model, unit=_commune(code), adopted_on=datetime.date(year, 5, 1)
            )
            report.replications += 1

    author = _staff("TH-03")
    if author and not GoodModel.objects.filter(kind="initiative").exists():
        initiative = actions.register_good_model(
            actor=admin,
            unit=author.unit,
            kind="initiative",
            category="digital",
            name="Số hóa hồ sơ và trả kết quả qua mã QR",
            name_en="Digitised dossiers with results by QR code",
            started_on=datetime.date(today.year - 1, 2, 1),
            authors=[author],
        )
        actions.change_model_status(
            actor=admin,
            model=initiative,
            status="recognised",
            recognised_on=datetime.date(today.year - 1, 10, 15),
            recognised_by="Hội đồng sáng kiến phường Tây Hồ",
            recognition_level="grassroots",
        )

    # Earlier titles, so that the consecutive-year rule has history to read.
    fighter = _staff("TH-02")
    year = today.year - 1
    if fighter and not AwardDecision.objects.filter(source="recorded").exists():
        for earlier in (year - 2, year - 1):
            actions.record_earlier_decision(
                actor=admin,
                unit=city,
                number=f"{earlier % 100:02d}/QĐ-UBND-TĐKT",
                decided_on=datetime.date(earlier + 1, 1, 20),
                issuer="Chủ tịch UBND Thành phố",
                year=earlier,
                awards=[actions.PastAward("grassroots-fighter", official=fighter)],
            )

    official = _staff("TH-10")
    nomination = None
    if official and not Nomination.objects.exists():
        advanced = title_for(official.unit, "advanced-worker", year)
        try:
            nomination = _propose(advanced, year, official, admin)
        except ValidationError:  # e.g. the evaluations demo classified them below "good"
            nomination = None
    if official and nomination is not None:
        actions.cast_vote(actor=coordinator, nomination=nomination, choice="for")
        actions.close_review(actor=admin, nomination=nomination, note="Hội đồng nhất trí.")
        report.nominations += 1
        actions.record_decision(
            actor=admin,
            unit=city,
            number=f"15/QĐ-UBND-{year}",
            decided_on=min(today, datetime.date(year + 1, 1, 15)),
            issuer="Chủ tịch UBND Thành phố",
            nominations=[nomination],
        )
        report.decisions += 1
        if official.user is not None:
            actions.set_honour_consent(actor=official.user, official=official, consented=True)

    # Proposals the board has still to review: the coordinator's work for the day.
    for code in UNDER_REVIEW:
        candidate = _staff(code)
        if candidate is None or Nomination.objects.filter(official=candidate, year=year).exists():
            continue
        try:
            _propose(title_for(candidate.unit, "advanced-worker", year), year, candidate, admin)
        except ValidationError:  # not eligible under the rules in force: not proposed
            continue
        report.nominations += 1

    suspect = _staff("LB-04")
    if suspect and not ReviewHold.objects.exists():
        actions.record_review_hold(
            actor=admin,
            official=suspect,
            kind="complaint",
            started_on=today - datetime.timedelta(days=20),
            reference="Đơn phản ánh số 27/ĐPA",
        )
    return report
