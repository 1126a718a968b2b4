"""Demo evaluations for Hanoi's Tây Hồ ward: three monthly periods (two approved, the last
one in progress at every step), this year's proposed classifications, and a rotation plan.

Runs after `import_admin_units --province 01`, `load_demo_data`, `load_codes` (and, for the
facts, `load_conduct_demo`); idempotent: a period that exists is left as it is.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from civility.core.audit import acting_as
from civility.evaluations import actions
from civility.evaluations.models import Evaluation, EvaluationPeriod, RotationPlan, Step
from civility.evaluations.rules import WorkItem, add_months, score
from civility.orgs.models import Official, OrgUnit, Post, UnitKind

HANOI = "01"
TAY_HO = "00103"

WORK = [
    "Tiếp nhận và trả kết quả hồ sơ thủ tục hành chính",
    "Tổng hợp báo cáo tháng về cải cách hành chính",
    "Tuyên truyền Quy tắc ứng xử tại tổ dân phố",
    "Kiểm tra việc niêm yết thủ tục tại bộ phận một cửa",
]


@dataclass
class EvaluationsDemoReport:
    periods: int = 0
    evaluations: int = 0
    classifications: int = 0
    rotations: int = 0


def _items(seed: int) -> list[dict[str, Any]]:
    return [
        WorkItem(
            title=title,
            weight=Decimal(1 + (index + seed) % 2),
            done=(index + seed) % 7 != 0,
            delays=1 if (index + seed) % 5 == 0 and (index + seed) % 7 else 0,
            quality_failures=1 if (index * seed) % 9 == 4 else 0,
        ).as_dict()
        for index, title in enumerate(WORK)
    ]


def _finish(evaluation: Evaluation, *, seed: int, admin: User, upto: str) -> None:
    """Fill the steps directly (demo officials mostly have no account)."""
    now = timezone.now()
    rules = evaluation.scored_rules()
    evaluation.work_items = _items(seed)
    evaluation.account = "Hoàn thành các nhiệm vụ được giao trong tháng."
    evaluation.self_level = "good"
    evaluation.self_submitted_at = now
    # Officials tend to rate themselves a little above what is approved.
    general_part = rules.part("general")
    assert general_part is not None  # every monthly rule set has its general criteria
    general_max = general_part.maximum
    self_points = {"general": general_max - seed % 3, "tasks": Decimal(60 + seed % 11)}
    if rules.part("bonus"):
        self_points["bonus"] = Decimal(seed % 5)
    evaluation.self_points = {key: str(value) for key, value in self_points.items()}
    evaluation.self_work_items = evaluation.work_items
    evaluation.self_total = score(rules, points=self_points, items=evaluation.items()).total
    evaluation.step = Step.REVIEW
    if upto != "review":
        general = (
            Decimal(min(30, 22 + seed % 9))
            if general_part.maximum == 30
            else Decimal(14 + seed % 7)
        )
        points = {"general": general, "tasks": Decimal(50 + seed % 21), "bonus": Decimal(seed % 4)}
        result = score(rules, points=points, items=evaluation.items())
        evaluation.points = {key: str(value) for key, value in result.points.items()}
        evaluation.total, evaluation.level, evaluation.grade = (
            result.total,
            result.level,
            result.grade,
        )
        evaluation.reviewed_by, evaluation.reviewed_at = admin, now
        evaluation.step = Step.APPROVAL
    if upto == "done":
        evaluation.approved_by, evaluation.approved_at = admin, now
        evaluation.step = Step.DONE
    actions.take_snapshot(evaluation)
    evaluation.save()


@transaction.atomic
def load_evaluations_demo() -> EvaluationsDemoReport:
    report = EvaluationsDemoReport()
    city = OrgUnit.objects.filter(kind=UnitKind.PROVINCE, code=HANOI).first()
    ward = OrgUnit.objects.filter(code=TAY_HO, kind=UnitKind.WARD).first()
    admin = get_user_model().objects.filter(username="demo_admin").first()
    if city is None or ward is None or admin is None:
        raise LookupError("Run import_admin_units --province 01 and load_demo_data first.")
    today = timezone.localdate()
    first = today.replace(day=1)
    months = [add_months(first, -3), add_months(first, -2), add_months(first, -1)]
    # The ward's own staff, and the service point whose counters serve the ward (the demo
    # official works there: Hanoi's one-stop points belong to the city's Service Center).
    points = OrgUnit.objects.filter(kind=UnitKind.SERVICE_POINT, serves=ward).order_by("pk")[:1]
    with acting_as(admin):
        for (number, month), unit in itertools.product(enumerate(months), [ward, *points]):
            if EvaluationPeriod.objects.filter(unit=unit, month=month).exists():
                continue
            period = actions.open_period(actor=admin, unit=unit, month=month)
            report.periods += 1
            last = number == len(months) - 1
            scored = period.evaluations.scored().select_related("official")
            for index, evaluation in enumerate(scored):
                seed = evaluation.official_id + number * 3
                if not last:
                    upto = "done"
                elif evaluation.official.user_id:
                    upto = None  # a demo login fills in their own self-assessment
                else:  # the month in progress: every step, some not submitted yet
                    upto = (None, "review", "approval", "done")[index % 4]
                if upto:
                    _finish(evaluation, seed=seed, admin=admin, upto=upto)
                report.evaluations += 1
        report.classifications = len(
            actions.propose_classifications(actor=admin, unit=ward, year=months[0].year)
        )
        overdue = (
            Official.objects.under(ward)
            .filter(post__is_sensitive=True, post_start_date__isnull=False, is_leader=False)
            .order_by("post_start_date")
            .first()
        )
        if overdue and not RotationPlan.objects.filter(official=overdue).exists():
            target = Post.objects.filter(unit=city, is_sensitive=False).order_by("name").first()
            if target is not None:
                actions.plan_rotation(
                    actor=admin,
                    official=overdue,
                    to_post=target,
                    planned_on=add_months(today, 1),
                    note="Chuyển đổi vị trí công tác theo Nghị định 59/2019/NĐ-CP.",
                )
                report.rotations += 1
    return report
