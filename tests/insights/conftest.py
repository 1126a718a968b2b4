"""Source records made straight in the database (their own apps test how they get there):
inspections with scores, ratings rolled up by feedback's own job, violation records."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

import pytest
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
from civility.feedback.models import ServiceRating, Side
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
