"""Demo-like work in one ward for every role, for the to-do home's tests (page and
browser): one row of each kind the home lists, due around `today`."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from civility.awards.actions import load_award_catalogue
from civility.awards.models import AwardTitle, Nomination, Recipient, Verdict
from civility.codes.models import Code, CodeAudience, CodeVersion, CommitmentCampaign
from civility.conduct.models import Source, ViolationRecord
from civility.evaluations.models import Evaluation, EvaluationPeriod, Step
from civility.evaluations.rules import HANOI_3814
from civility.feedback.actions import ReportInput, raise_assistance_call, submit_report
from civility.feedback.models import ReportCategory
from civility.insights.models import CultureIndex
from civility.inspections.models import (
    ActionStatus,
    ChecklistTemplate,
    CorrectiveAction,
    Finding,
    Inspection,
    InspectionKind,
    TemplateSubject,
    TemplateVersion,
)
from civility.orgs.models import OrgUnit, UnitKind
from civility.orgs.scopes import Role
from civility.programmes.models import (
    CulturalTitle,
    DecidingAuthority,
    Programme,
    ProgrammeKind,
    Task,
    TitleCycle,
    TitleRule,
)
from tests.factories import make_official, make_place, make_unit, make_user


@dataclass
class Work:
    """One ward's work, one row of each kind, and the people who must do it."""

    counter: OrgUnit
    evaluator: object
    inspector: object
    board_member: object
    campaign: CommitmentCampaign
    self_assessment: Evaluation
    to_rate: Evaluation
    to_approve: Evaluation
    inspection: Inspection
    to_answer: CorrectiveAction
    to_verify: CorrectiveAction
    task: Task
    cycle: TitleCycle
    nomination: Nomination
    record: ViolationRecord


def _checklist(city: OrgUnit) -> TemplateVersion:
    template, _new = ChecklistTemplate.objects.get_or_create(
        slug="todo-counter",
        defaults={"unit": city, "subject": TemplateSubject.COUNTER, "name": "Quầy một cửa"},
    )
    return TemplateVersion.objects.get_or_create(template=template, number=1)[0]


def _published_code(city: OrgUnit) -> CodeVersion:
    code, _new = Code.objects.get_or_create(
        slug="todo-code",
        defaults={"unit": city, "audience": CodeAudience.OFFICIALS, "title": "Quy tắc ứng xử"},
    )
    return CodeVersion.objects.get_or_create(code=code, number=1, status="published")[0]


def give_work(cast, side, *, today: datetime.date) -> Work:
    """Work in one ward for its official, head, evaluator, the city's inspector, board
    member and coordinator; the ward's coordinator inspects nothing."""
    city, label = cast.city, side.ward.code

    def days(n: int) -> datetime.date:
        return today + datetime.timedelta(days=n)

    counter = make_unit(f"Quầy số 1 ({label})", parent=side.department, kind=UnitKind.COUNTER)
    evaluator = make_user(f"evaluator_{label}", roles={Role.EVALUATOR: side.department})
    inspector = make_user(f"inspector_{label}", roles={Role.INSPECTOR: city})
    board_member = make_user(f"board_{label}", roles={Role.BOARD_MEMBER: side.ward})
    colleague = make_official(f"Trần Văn {label}", unit=side.department)
    leader = make_official(f"Lê Thị {label}", unit=side.department, is_leader=True)

    campaign = CommitmentCampaign.objects.create(
        version=_published_code(city), unit=side.ward, title="Ký cam kết 2026", deadline=days(10)
    )

    month = today.replace(day=1)
    rule_set = HANOI_3814.key  # the cast's city is Hanoi: everyone is scored on 3814
    period = EvaluationPeriod.objects.create(
        unit=side.ward,
        month=month,
        self_deadline=today,
        review_deadline=days(2),
        approval_deadline=days(5),
    )

    def evaluation(official, step, **fields):
        return Evaluation.objects.create(
            period=period,
            official=official,
            unit=official.unit,
            agency=official.unit.agency,
            rule_set=rule_set,
            step=step,
            **fields,
        )

    self_assessment = evaluation(side.official, Step.SELF)
    to_rate = evaluation(colleague, Step.REVIEW, supervisor=evaluator)
    to_approve = evaluation(leader, Step.APPROVAL, is_leader=True)

    raise_assistance_call(counter=counter, source="kiosk")
    place = make_place(f"Chợ {label}", unit=side.ward)
    submit_report(
        data=ReportInput(
            category=ReportCategory.objects.get_or_create(
                code="todo-obstruction", defaults={"name": "Lấn chiếm lối đi"}
            )[0],
            description="Lấn chiếm lối đi",
            place=place,
        )
    )

    inspection = Inspection.objects.create(
        kind=InspectionKind.PLANNED,
        template_version=_checklist(city),
        inspecting_unit=city,
        unit=counter,
        planned_on=today,
    )
    inspection.team.add(inspector)
    finding = Finding.objects.create(inspection=inspection, description="Không niêm yết")
    to_answer = CorrectiveAction.objects.create(
        finding=finding, unit=side.ward, description="Niêm yết quy tắc", deadline=days(-1)
    )
    to_verify = CorrectiveAction.objects.create(
        finding=finding,
        unit=side.ward,
        description="Sắp xếp ghế chờ",
        deadline=days(3),
        status=ActionStatus.RESPONDED,
        response="Đã sắp xếp",
        responded_by=side.head,
        responded_at=timezone.now(),
    )

    programme, _new = Programme.objects.get_or_create(
        unit=city,
        number="06-CTr/TU",
        defaults={
            "kind": ProgrammeKind.PROGRAMME,
            "title": "Văn hóa công sở",
            "starts_on": datetime.date(2026, 1, 1),
            "ends_on": datetime.date(2026, 12, 31),
        },
    )
    task = Task.objects.create(
        programme=programme,
        title=f"Báo cáo quý ({label})",
        assignee_unit=side.ward,
        deadline=days(3),
        original_deadline=days(3),
    )
    rule, _new = TitleRule.objects.get_or_create(
        unit=city,
        title=CulturalTitle.FAMILY,
        valid_from=datetime.date(2024, 1, 1),
        defaults={
            "deciding_authority": DecidingAuthority.COMMUNE_CHAIRMAN,
            # The evaluation's last day is five days from now.
            "closes_month": days(6).month,
            "closes_day": days(6).day,
        },
    )
    cycle, _new = TitleCycle.objects.get_or_create(rule=rule, year=today.year)

    load_award_catalogue(actor=None, unit=city)
    title = AwardTitle.objects.filter(recipient=Recipient.INDIVIDUAL).first()
    nomination = Nomination.objects.create(
        title=title,
        year=2025,
        official=side.official,
        unit=side.department,
        proposing_unit=side.ward,
        justification="Hoàn thành xuất sắc nhiệm vụ",
        verdict=Verdict.ELIGIBLE,
        rule_set=title.rule_set,
    )
    record = ViolationRecord.objects.create(
        unit=side.department,
        official=colleague,
        occurred_on=days(-3),
        source=Source.SUPERVISOR,
        description="Đi muộn",
    )
    last_month = (month - datetime.timedelta(days=1)).replace(day=1)
    for unit in (side.ward, city):
        CultureIndex.objects.get_or_create(unit=unit, period_kind="month", period_start=last_month)
    return Work(
        counter=counter,
        evaluator=evaluator,
        inspector=inspector,
        board_member=board_member,
        campaign=campaign,
        self_assessment=self_assessment,
        to_rate=to_rate,
        to_approve=to_approve,
        inspection=inspection,
        to_answer=to_answer,
        to_verify=to_verify,
        task=task,
        cycle=cycle,
        nomination=nomination,
        record=record,
    )
