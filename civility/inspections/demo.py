"""Demo inspections on Hanoi's demo wards (after `load_demo_data` and `load_codes`).

The city's three checklists; a 2026 plan of the Department of Culture and Sports inspecting
the counters of Hoàn Kiếm, Tây Hồ and Long Biên and two public places; two inspections
submitted with scores, findings and corrective actions (one closed, one overdue), one
surprise check in progress. Loading twice creates nothing the second time (the plan's title
is its key).
"""

from __future__ import annotations

import datetime
import uuid

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from civility.core.audit import acting_as
from civility.inspections import actions
from civility.inspections.models import (
    Answer,
    CorrectiveAction,
    FindingKind,
    Inspection,
    InspectionKind,
    InspectionPlan,
    InspectionStatus,
)
from civility.orgs.models import Official, OrgUnit, Place, RoleAssignment, UnitKind
from civility.orgs.scopes import Role

PLAN_TITLE = "Kế hoạch kiểm tra văn hóa công vụ năm 2026"
WARDS = ("00070", "00103", "00148")  # Hoàn Kiếm, Tây Hồ, Long Biên


def _answers(inspection: Inspection, overrides: dict[str, str], at: datetime.datetime) -> list:
    items = []
    for criterion in inspection.template_version.criteria():
        default = {
            "yes_no": "yes",
            "score": str(criterion.max_score or 0),
            "choice": str(criterion.options[0]["value"]) if criterion.options else "",
            "number": "4",
            "text": "Đơn vị thực hiện tương đối tốt Quy tắc ứng xử.",
        }[criterion.answer_kind]
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
def load_inspections_demo() -> dict:
    city = OrgUnit.objects.get(kind=UnitKind.PROVINCE, code="01")
    admin = get_user_model().objects.filter(username="demo_admin").first()
    templates = {
        slug: actions.load_template_seed(actor=None, unit=city, slug=slug) for slug in actions.SEEDS
    }
    if InspectionPlan.objects.filter(title=PLAN_TITLE).exists():
        return {"created": 0}
    department = OrgUnit.objects.get(parent=city, name="Sở Văn hóa và Thể thao")
    coordinator = get_user_model().objects.filter(username="demo_coordinator").first()
    if coordinator is not None:
        RoleAssignment.objects.get_or_create(
            user=coordinator, role=Role.INSPECTOR, unit=city, defaults={"granted_by": admin}
        )
    actor = admin
    plan = actions.create_plan(
        actor=actor,
        unit=city,
        year=2026,
        title=PLAN_TITLE,
        notes="Kiểm tra Bộ phận Một cửa các phường và một số nơi công cộng, 2 đợt/năm.",
    )
    counters = []
    for code in WARDS:
        ward = OrgUnit.objects.get(kind=UnitKind.WARD, code=code)
        counter = (
            OrgUnit.objects.filter(kind=UnitKind.COUNTER, serves=ward).order_by("name").first()
        )
        counters.append(counter or ward)
    team = [coordinator] if coordinator else []
    planned = actions.add_plan_inspections(
        actor=actor,
        plan=plan,
        template=templates["one-stop-counter"],
        planned_on=datetime.date(2026, 3, 10),
        units=counters,
        inspecting_unit=city,
        team=team,
        team_note="Sở Văn hóa và Thể thao; Sở Nội vụ",
    )
    places = list(Place.objects.filter(name__in=["Chợ Đồng Xuân", "Phủ Tây Hồ"]).order_by("name"))
    planned += actions.add_plan_inspections(
        actor=actor,
        plan=plan,
        template=templates["public-place"],
        planned_on=datetime.date(2026, 6, 15),
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
            deadline=timezone.localdate() + datetime.timedelta(days=10),
        )
        fix = actions.respond_to_action(
            actor=actor,
            action=finding.actions.get(),
            response="Đã thay chuông mới, giao văn phòng kiểm tra hằng tuần.",
        )
        actions.verify_action(actor=actor, action=fix, accept=True, note="Đã kiểm tra thực tế.")
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
            deadline=timezone.localdate() - datetime.timedelta(days=5),
        )
        actions.record_finding(
            actor=actor,
            inspection=second,
            criterion=second.template_version.criteria().get(ref="A1"),
            description="Chưa niêm yết Quy tắc ứng xử tại khu vực tiếp dân.",
            recommendation="Niêm yết bảng Quy tắc ứng xử ở nơi dễ thấy.",
            deadline=timezone.localdate() + datetime.timedelta(days=2),
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
    return {
        "created": len(planned) + 1,
        "plan": plan.pk,
        "answers": Answer.objects.filter(inspection__plan=plan).count(),
        "department": department.pk,
    }


def _submit(actor, inspection: Inspection) -> None:
    """Demo photos are not shipped: the photo rule is waived for demo data only."""
    result = actions.compute_score(inspection)
    inspection.refresh_from_db()
    inspection.score = result.percent
    inspection.section_scores = result.as_json()
    inspection.status = InspectionStatus.SUBMITTED
    inspection.submitted_at = timezone.now()
    inspection.submitted_by = actor
    inspection.document_number = actions._next_document_number(inspection, timezone.localdate())
    inspection.save()
