"""Demo inspections on Hanoi's demo wards (after `load_demo_data` and `load_codes`).

The city's three checklists; a plan of the Department of Culture and Sports for the year the
demo is loaded, inspecting the counters of Hoàn Kiếm, Tây Hồ and Long Biên and public
places; two counter inspections and one at a Tây Hồ market submitted with scores, findings
and corrective actions (one answered and then closed by the city's delegation, one overdue,
one the Tây Hồ ward head must still answer for the city coordinator to verify), a surprise
check in progress, and one public place due today. Dates count back from the day of
loading, so the story reads the same whenever `make run` is started.

Idempotent: the story is told once (its plan's title is its key); later runs only make sure
the current year has a plan with an inspection due on the day (an earlier one that nobody
started moves to today, as a coordinator would reschedule it).
"""

from __future__ import annotations

import datetime
import uuid
from typing import TypedDict

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from civility.core.audit import acting_as
from civility.inspections import actions
from civility.inspections.models import (
    ChecklistTemplate,
    CorrectiveAction,
    FindingKind,
    Inspection,
    InspectionKind,
    InspectionPlan,
    InspectionStatus,
)
from civility.orgs.models import Official, OrgUnit, Place, RoleAssignment, UnitKind
from civility.orgs.provinces import shipped_for
from civility.orgs.scopes import Role

PLAN_TITLE = "Kế hoạch kiểm tra văn hóa công vụ năm %(year)d"
DUE_TODAY = "Phủ Tây Hồ"
WARDS = ("00070", "00103", "00148")  # Hoàn Kiếm, Tây Hồ, Long Biên


class DemoReport(TypedDict):
    created: int  # inspections made by this run
    plan: int | None  # the plan's id when this run made it


def _answers(
    inspection: Inspection, overrides: dict[str, str], at: datetime.datetime
) -> list[actions.AnswerIn]:
    items = []
    for criterion in inspection.template_version.criteria():
        default = criterion.kind.example(criterion)
        value = overrides.get(criterion.ref, default)
        items.append(
            actions.AnswerIn(
                client_id=uuid.uuid5(uuid.NAMESPACE_URL, f"demo-{inspection.pk}-{criterion.ref}"),
                criterion_id=criterion.pk,
                value="" if value == "n/a" else value,
                not_applicable=value == "n/a",
                answered_at=at,
            )
        )
    return items


@transaction.atomic
def load_inspections_demo() -> DemoReport:
    city = OrgUnit.objects.get(kind=UnitKind.PROVINCE, code="01")
    users = get_user_model().objects
    admin = users.filter(username="demo_admin").first()
    coordinator = users.filter(username="demo_coordinator").first()
    if admin is None:
        raise LookupError("Run load_demo_data first (the demo administrator is missing).")
    templates = {
        slug: actions.load_template_seed(actor=None, unit=city, slug=slug)
        for slug in shipped_for(city, actions.SEEDS)
    }
    if coordinator is not None:
        RoleAssignment.objects.get_or_create(
            user=coordinator, role=Role.INSPECTOR, unit=city, defaults={"granted_by": admin}
        )
    team = [coordinator] if coordinator else []
    today = timezone.localdate()
    created = 0
    new_plan: int | None = None  # the plan's id when this run made it
    plan = InspectionPlan.objects.filter(unit=city, title=PLAN_TITLE % {"year": today.year}).first()
    if plan is None:
        plan = actions.create_plan(
            actor=admin,
            unit=city,
            year=today.year,
            title=PLAN_TITLE % {"year": today.year},
            notes="Kiểm tra Bộ phận Một cửa các phường và một số nơi công cộng, 2 đợt/năm.",
        )
        new_plan = plan.pk
        if not Inspection.objects.filter(
            plan__unit=city, status=InspectionStatus.SUBMITTED
        ).exists():
            created += _story(admin, plan, templates, team, today)
    created += _due_today(admin, plan, templates["public-place"], team, today)
    return {"created": created, "plan": new_plan}


def _in_year(day: datetime.date, year: int) -> datetime.date:
    return min(max(day, datetime.date(year, 1, 1)), datetime.date(year, 12, 31))


def _story(
    actor: User,
    plan: InspectionPlan,
    templates: dict[str, ChecklistTemplate],
    team: list[User],
    today: datetime.date,
) -> int:
    city = plan.unit
    counters = []
    for code in WARDS:
        ward = OrgUnit.objects.get(kind=UnitKind.WARD, code=code)
        counter = (
            OrgUnit.objects.filter(kind=UnitKind.COUNTER, serves=ward).order_by("name").first()
        )
        counters.append(counter or ward)
    planned = actions.add_plan_inspections(
        actor=actor,
        plan=plan,
        template=templates["one-stop-counter"],
        planned_on=_in_year(today - datetime.timedelta(days=20), plan.year),
        units=counters,
        inspecting_unit=city,
        team=team,
        team_note="Sở Văn hóa và Thể thao; Sở Nội vụ",
    )
    market = Place.objects.filter(name="Chợ hoa Quảng Bá").first()
    places = [market] if market else []
    places += Place.objects.filter(name="Chợ Đồng Xuân")
    planned += actions.add_plan_inspections(
        actor=actor,
        plan=plan,
        template=templates["public-place"],
        planned_on=_in_year(today - datetime.timedelta(days=12), plan.year),
        places=places,
        inspecting_unit=city,
        team=team,
    )
    now = timezone.now()
    with acting_as(actor):
        # Hoàn Kiếm's counter: good, one shortcoming fixed and closed.
        first = planned[0]
        actions.record_answers(
            actor=actor,
            inspection=first,
            answers=_answers(first, {"A5": "2", "A6": "broken", "B3": "2"}, now),
        )
        _submit(actor, first)
        finding = actions.record_finding(
            actor=actor,
            inspection=first,
            criterion=first.template_version.criteria().get(ref="A6"),
            description="Chuông hỗ trợ tại quầy số 1 không hoạt động.",
            recommendation="Sửa chữa, thay thế chuông hỗ trợ và kiểm tra định kỳ hằng tuần.",
            deadline=today + datetime.timedelta(days=10),
        )
        fix = actions.respond_to_action(
            actor=actor,
            action=finding.actions.get(),
            response="Đã thay chuông mới, giao văn phòng kiểm tra hằng tuần.",
        )
        if team:  # closed by the delegation, never by whoever answered (actions.can_verify)
            actions.verify_action(
                actor=team[0], action=fix, accept=True, note="Đã kiểm tra thực tế."
            )
        # Tây Hồ's counter: late opening and a violation by a named official; overdue action.
        second = planned[1]
        actions.record_answers(
            actor=actor,
            inspection=second,
            answers=_answers(second, {"A1": "no", "B2": "no", "B3": "1", "A8": "7"}, now),
        )
        _submit(actor, second)
        official = Official.objects.filter(unit=second.unit).order_by("pk").first()
        violation = actions.record_finding(
            actor=actor,
            inspection=second,
            criterion=second.template_version.criteria().get(ref="B2"),
            kind=FindingKind.VIOLATION if official else FindingKind.SHORTCOMING,
            official=official,
            description="Quầy mở cửa muộn 15 phút so với giờ quy định.",
            recommendation="Chấn chỉnh giờ giấc, kiểm điểm cá nhân vi phạm.",
        )
        # Created directly: the action refuses past deadlines, the demo wants one overdue.
        CorrectiveAction.objects.create(
            finding=violation,
            unit=second.unit,
            description=violation.recommendation,
            deadline=today - datetime.timedelta(days=5),
        )
        actions.record_finding(
            actor=actor,
            inspection=second,
            criterion=second.template_version.criteria().get(ref="A1"),
            description="Chưa niêm yết Quy tắc ứng xử tại khu vực tiếp dân.",
            recommendation="Niêm yết bảng Quy tắc ứng xử ở nơi dễ thấy.",
            deadline=today + datetime.timedelta(days=2),
        )
        if market is not None:  # Tây Hồ's flower market: the ward itself must answer
            third = planned[3]
            actions.record_answers(actor=actor, inspection=third, answers=_answers(third, {}, now))
            _submit(actor, third)
            actions.record_finding(
                actor=actor,
                inspection=third,
                description="Một số hộ kinh doanh không niêm yết giá, lấn chiếm lối đi.",
                recommendation="Nhắc nhở các hộ kinh doanh, niêm yết giá và trả lại lối đi.",
                deadline=today + datetime.timedelta(days=14),
            )
    # A surprise check at Long Biên's counter, started and half answered.
    surprise = actions.start_inspection_on_the_spot(
        actor=actor,
        inspecting_unit=city,
        template=templates["one-stop-counter"],
        unit=counters[2],
        kind=InspectionKind.SURPRISE,
    )
    half = _answers(surprise, {}, now)[:6]
    actions.record_answers(actor=actor, inspection=surprise, answers=half)
    return len(planned) + 1


def _due_today(
    actor: User,
    plan: InspectionPlan,
    template: ChecklistTemplate,
    team: list[User],
    today: datetime.date,
) -> int:
    """One place of the plan due on the day; an earlier one nobody started moves to today."""
    waiting = plan.inspections.filter(status=InspectionStatus.PLANNED, place__name=DUE_TODAY)
    if waiting.filter(planned_on=today).exists():
        return 0
    missed = waiting.filter(planned_on__lt=today).order_by("planned_on").first()
    if missed is not None:
        missed.planned_on = today
        with acting_as(actor):
            missed.save(update_fields=["planned_on"])
        return 0
    place = Place.objects.filter(name=DUE_TODAY).first()
    if place is None:
        return 0
    return len(
        actions.add_plan_inspections(
            actor=actor,
            plan=plan,
            template=template,
            planned_on=today,
            places=[place],
            inspecting_unit=plan.unit,
            team=team,
        )
    )


def _submit(actor: User, inspection: Inspection) -> None:
    """Demo photos are not shipped: the photo rule is waived for demo data only."""
    result = actions.compute_score(inspection)
    inspection.refresh_from_db()
    inspection.score = result.percent
    inspection.section_scores = result.as_json()
    inspection.status = InspectionStatus.SUBMITTED
    inspection.submitted_at = timezone.now()
    inspection.submitted_by = actor
    inspection.document_number = actions.next_document_number(inspection, timezone.localdate())
    inspection.save()
