"""What each demo login must find to do right after `make run` (issue: the demo gives every
role a real day of work). Each check reads through the apps' own scoped QuerySets, as the
login would see it, and returns the names of the items that are missing."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from civility.awards.models import Movement, Nomination, NominationStatus
from civility.codes.models import CommitmentCampaign
from civility.evaluations.models import Evaluation, Step
from civility.feedback.models import AssistanceCall, PublicReport, ReportStatus
from civility.insights.models import CultureIndex, JobStatus, ReportJob
from civility.insights.periods import Period
from civility.inspections.models import CorrectiveAction, Inspection, InspectionStatus
from civility.orgs.models import OrgUnit, UnitKind, UnitPolicy
from civility.orgs.scopes import scope_of


def _user(username: str):
    return get_user_model().objects.get(username=username)


def official_work(*, today: datetime.date) -> list[str]:
    user = _user("demo_official")
    official = user.official
    counter = official.unit
    missing = []
    campaigns = CommitmentCampaign.objects.visible_to(user).open(on=today).for_official(official)
    if not campaigns.exclude(commitments__official=official).exists():
        missing.append("official: a commitment to sign")
    if not Evaluation.objects.visible_to(user).filter(official=official, step=Step.SELF).exists():
        missing.append("official: a monthly self-evaluation due")
    waiting = AssistanceCall.objects.visible_to(user).filter(
        counter=counter, acknowledged_at__isnull=True, resolved_at__isnull=True
    )
    if not waiting.exists():
        missing.append("official: a waiting assistance call")
    actions = CorrectiveAction.objects.visible_to(user).filter(unit=counter).not_closed()
    if not actions.filter(status="open").exists():
        missing.append("official: a corrective action of their counter to respond to")
    return missing


def head_work(*, today: datetime.date) -> list[str]:
    user = _user("demo_head")
    ward = OrgUnit.objects.get(kind=UnitKind.WARD, code="00103")
    missing = []
    if not Evaluation.objects.visible_to(user).filter(step=Step.APPROVAL).exists():
        missing.append("head: evaluations to approve")
    if not PublicReport.objects.visible_to(user).filter(status=ReportStatus.NEW).exists():
        missing.append("head: a public report to triage")
    if not CorrectiveAction.objects.visible_to(user).not_closed().exists():
        missing.append("head: corrective actions")
    # The dashboard opens on the current quarter, with a link to the one before.
    quarter = Period.containing("quarter", today)
    ranked = CultureIndex.objects.filter(
        unit=ward, rank__isnull=False, ranked_siblings__gt=1, period_kind="quarter"
    ).filter(period_start__in=[quarter.start, quarter.previous().start])
    if not ranked.exists():
        missing.append("head: the ward's place among the other wards")
    if not scope_of(user).covers(ward):
        missing.append("head: the ward in scope")
    # The counters serving the ward belong to the Service Center: read-only, but read.
    serving = OrgUnit.objects.serving_scope_of(user).values("pk")
    if not CorrectiveAction.objects.readable_by(user).filter(unit__in=serving).exists():
        missing.append("head: the corrective actions of the counters serving the ward")
    return missing


def coordinator_work(*, today: datetime.date) -> list[str]:
    user = _user("demo_coordinator")
    city = OrgUnit.objects.get(kind=UnitKind.PROVINCE, code="01")
    missing = []
    due = Inspection.objects.visible_to(user).filter(
        plan__isnull=False, planned_on=today, status=InspectionStatus.PLANNED
    )
    if not due.exists():
        missing.append("coordinator: a plan with an inspection due today")
    if not Nomination.objects.visible_to(user).filter(status=NominationStatus.PROPOSED).exists():
        missing.append("coordinator: nominations to decide")
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    reportable = CultureIndex.objects.filter(
        unit=city, period_kind="month", period_start=last_month
    )
    generated = ReportJob.objects.filter(
        unit=city, period_kind="month", period_start=last_month, status=JobStatus.DONE
    )
    if not reportable.exists() or generated.exists():
        missing.append("coordinator: last month's report to generate")
    return missing


def sonla_coordinator_work() -> list[str]:
    """Son La beside Hanoi: its coordinator works in Son La, with its own settings and
    movement, and reaches nothing of Hanoi."""
    user = _user("dieu_phoi_sonla")
    son_la = OrgUnit.objects.get(kind=UnitKind.PROVINCE, code="14")
    hanoi = OrgUnit.objects.get(kind=UnitKind.PROVINCE, code="01")
    missing = []
    if not scope_of(user).covers(son_la) or scope_of(user).covers(hanoi):
        missing.append("Son La coordinator: Son La in scope, Hanoi out of it")
    if not UnitPolicy.objects.visible_to(user).filter(unit=son_la).exclude(source="").exists():
        missing.append("Son La coordinator: a setting of Son La with its ground")
    if not Movement.objects.visible_to(user).filter(unit=son_la).exists():
        missing.append("Son La coordinator: Son La's workplace-culture movement")
    return missing


def home_work(*, today: datetime.date) -> list[str]:
    """The to-do home (civility/core/todo.py) lists that work to each login."""
    from civility.core.todo import items_for

    def urls(username: str) -> list[str]:
        return [item.url for item in items_for(_user(username), today=today)]

    official, head, coordinator = urls("demo_official"), urls("demo_head"), urls("demo_coordinator")
    actions = reverse("inspections:action_list")
    approvals = {reverse("evaluations:evaluation_home") + "#approve-title"} | {
        evaluation.get_absolute_url()
        for evaluation in Evaluation.objects.to_approve_by(_user("demo_head"))
    }
    inspections_today = {
        inspection.get_absolute_url()
        for inspection in Inspection.objects.conducted_by(_user("demo_coordinator")).filter(
            planned_on=today, status=InspectionStatus.PLANNED
        )
    }
    city = OrgUnit.objects.get(kind=UnitKind.PROVINCE, code="01")
    last_month = Period.containing("month", today).previous()
    report = f"{reverse('insights:report_list')}?unit={city.pk}&period={last_month.slug}"
    checks = (
        ("official: a commitment to sign", official, lambda url: url.endswith("/sign/")),
        (
            "official: a self-assessment due",
            official,
            lambda url: url.startswith(reverse("evaluations:evaluation_home")),
        ),
        ("official: a citizen waiting", official, lambda url: url == reverse("feedback:desk")),
        ("official: their counter's action", official, lambda url: url.startswith(actions)),
        ("head: evaluations to approve", head, lambda url: url in approvals),
        (
            "head: a public report to triage",
            head,
            lambda url: url == reverse("feedback:report_list") + "?status=new",
        ),
        ("head: a corrective action", head, lambda url: url.startswith(actions)),
        ("coordinator: an inspection today", coordinator, lambda url: url in inspections_today),
        (
            "coordinator: nominations",
            coordinator,
            lambda url: url.startswith(reverse("awards:nomination_list")),
        ),
        ("coordinator: last month's report", coordinator, lambda url: url == report),
    )
    return [f"home of {name}" for name, listed, wanted in checks if not any(map(wanted, listed))]


def citizen_work() -> list[str]:
    counter = OrgUnit.objects.filter(kind=UnitKind.COUNTER, officials__isnull=False).first()
    if counter is None:
        return ["citizen: a counter to rate"]
    page = Client().get(reverse("feedback:counter_feedback", args=[counter.pk]))
    return [] if page.status_code == 200 else ["citizen: the counter's rating page"]


def missing(*, today: datetime.date) -> list[str]:
    return [
        *official_work(today=today),
        *head_work(today=today),
        *coordinator_work(today=today),
        *sonla_coordinator_work(),
        *home_work(today=today),
        *citizen_work(),
    ]
