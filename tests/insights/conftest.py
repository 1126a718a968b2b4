"""Source records made straight in the database (their own apps test how they get there):
inspections with scores, ratings rolled up by feedback's own job, violation records."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from civility.conduct.actions import load_catalogue_seed
from civility.conduct.models import (
    Handling,
    Outcome,
    RecordStatus,
    Source,
    ViolationRecord,
    ViolationType,
)
from civility.conduct.rules import RULE_SETS, Severity
from civility.feedback.actions import rollup_days
from civility.feedback.models import (
    AssistanceCall,
    PublicReport,
    ReportCategory,
    ReportChannel,
    ReportStatus,
    ServiceRating,
    Side,
    new_receipt,
)
from civility.insights import actions
from civility.insights.models import WeightSet
from civility.insights.periods import Period
from civility.insights.sources import DEFAULT_MIN_SAMPLES
from civility.inspections.models import (
    ActionStatus,
    ChecklistTemplate,
    CorrectiveAction,
    Finding,
    Inspection,
    InspectionKind,
    InspectionStatus,
    TemplateSubject,
    TemplateVersion,
)
from civility.orgs.models import OrgUnit, UnitKind
from tests.factories import make_official, make_unit

ZONE = datetime.timezone(datetime.timedelta(hours=7))


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=ZONE)


_version: dict[int, TemplateVersion] = {}


def template_version(city: OrgUnit) -> TemplateVersion:
    template, _ = ChecklistTemplate.objects.get_or_create(
        slug="insights-test",
        defaults={"unit": city, "subject": TemplateSubject.COUNTER, "name": "Phiếu kiểm tra"},
    )
    version, _ = TemplateVersion.objects.get_or_create(template=template, number=1)
    return version


def inspect(unit: OrgUnit, score: str, day: datetime.date, *, city: OrgUnit) -> Inspection:
    return Inspection.objects.create(
        kind=InspectionKind.PLANNED,
        status=InspectionStatus.SUBMITTED,
        template_version=template_version(city),
        inspecting_unit=city,
        unit=unit,
        submitted_at=at(day),
        score=Decimal(score),
    )


def corrective(
    inspection: Inspection, *, deadline: datetime.date, closed_on: datetime.date | None
) -> CorrectiveAction:
    finding = Finding.objects.create(inspection=inspection, description="Thiếu biển tên")
    return CorrectiveAction.objects.create(
        finding=finding,
        unit=inspection.unit,
        description="Bổ sung biển tên",
        deadline=deadline,
        status=ActionStatus.CLOSED if closed_on else ActionStatus.OPEN,
        closed_at=at(closed_on) if closed_on else None,
    )


def rate(counter: OrgUnit, day: datetime.date, *, satisfied: int, dissatisfied: int = 0):
    rows = []
    for side, count, level, score in (
        (Side.SATISFIED, satisfied, 1, 100),
        (Side.DISSATISFIED, dissatisfied, 3, 0),
    ):
        for _ in range(count):
            rows.append(
                ServiceRating(
                    client_id=uuid.uuid4(),
                    counter=counter,
                    channel="kiosk",
                    scale="three",
                    level=level,
                    score=score,
                    side=side,
                    rated_at=at(day),
                    rated_on=day,
                )
            )
    ServiceRating.objects.bulk_create(rows)
    rollup_days(days=[day])


def violation(official, day: datetime.date, *, confirmed: bool = True) -> ViolationRecord:
    kind = ViolationType.objects.current().filter(key="KTDX-1").first()
    if kind is None:
        root = OrgUnit.objects.get(pk=int(official.unit.path.split("/", 1)[0]))
        load_catalogue_seed(actor=None, unit=root)
        kind = ViolationType.objects.current().get(key="KTDX-1")
    return ViolationRecord.objects.create(
        type=kind,
        severity=Severity.LESS_SERIOUS,
        handling=Handling.REMINDER,
        rule_set=RULE_SETS[-1].key,
        unit=official.unit,
        official=official,
        occurred_on=day,
        source=Source.SUPERVISOR,
        description="Đi muộn",
        status=RecordStatus.CONFIRMED if confirmed else RecordStatus.REPORTED,
        outcome=Outcome.CONFIRMED if confirmed else Outcome.NONE,
        decided_at=timezone.now() if confirmed else None,
    )


def officials(unit: OrgUnit, count: int, prefix: str = "Cán bộ") -> list:
    return [make_official(f"{prefix} {unit.pk}-{i}", unit=unit) for i in range(count)]


def counter(ward: OrgUnit, name: str = "Quầy số 1") -> OrgUnit:
    return make_unit(name, parent=ward, kind=UnitKind.COUNTER)


def without_minimum_samples(city: OrgUnit, year: int = 2026):
    """Default weights with no minimum sample: for tests of the arithmetic on tiny data."""
    from civility.insights.models import WeightSet
    from civility.insights.sources import DEFAULT_MIN_SAMPLES, DEFAULT_WEIGHTS

    return WeightSet.objects.create(
        unit=city,
        year=year,
        weights=DEFAULT_WEIGHTS,
        min_samples=dict.fromkeys(DEFAULT_MIN_SAMPLES, 0),
    )


# --- A ward with every scorecard figure, one with a small sample (scorecards, the API) ---

NOW = datetime.datetime(2026, 11, 20, 9, tzinfo=datetime.UTC)
TODAY = NOW.date()
Q4 = Period.parse("2026-Q4")
DAY = datetime.date(2026, 11, 3)


def make_reports(ward, *, on_time: int, late: int, description: str = "Rác ở chợ") -> None:
    category, _ = ReportCategory.objects.get_or_create(
        code="littering", defaults={"name": "Xả rác"}
    )
    for index in range(on_time + late):
        closed = at(DAY, 15)
        PublicReport.objects.create(
            receipt=new_receipt(),
            category=category,
            description=description,
            unit=ward,
            channel=ReportChannel.WEB,
            status=ReportStatus.CLOSED,
            submitted_at=at(DAY, 8),
            due_at=closed + datetime.timedelta(hours=1 if index < on_time else -1),
            closed_at=closed,
            contact_name="Trần Thị Bí Mật",
        )


def make_calls(counter_unit, *, in_time: int, late: int) -> None:
    for index in range(in_time + late):
        raised = at(DAY, 9) + datetime.timedelta(minutes=index)
        wait = datetime.timedelta(seconds=30 if index < in_time else 600)
        AssistanceCall.objects.create(
            counter=counter_unit, source="kiosk", raised_at=raised, acknowledged_at=raised + wait
        )


@pytest.fixture
def wards(cast):
    """Ward A: 40 ratings (30 satisfied), 12 reports closed (9 on time), 10 calls (8 in
    time), 3 inspections. Ward B: 5 ratings only, and 3 inspections. The index weighs
    satisfaction and inspections only, so both wards are ranked."""
    WeightSet.objects.create(
        unit=cast.city,
        year=2026,
        weights={"satisfaction": 1, "inspection_score": 1},
        min_samples=DEFAULT_MIN_SAMPLES,
    )
    counter_a, counter_b = counter(cast.a.ward), counter(cast.b.ward)
    rate(counter_a, DAY, satisfied=30, dissatisfied=10)
    rate(counter_b, DAY, satisfied=5)
    for score in ("80", "90", "70"):
        inspect(cast.a.ward, score, DAY, city=cast.city)
        inspect(cast.b.ward, score, DAY, city=cast.city)
    make_reports(cast.a.ward, on_time=9, late=3)
    make_calls(counter_a, in_time=8, late=2)
    with time_machine.travel(NOW):
        actions.refresh(periods=[Q4], today=TODAY)
    return cast
