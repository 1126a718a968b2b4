"""Figures computed from records: plan progress, average scores by unit and by criterion,
the criteria most often failed, and a unit's trend across inspections.

Every function takes inspections already scoped by the caller (`visible_to(user)`).
Criteria are grouped by their stable `ref` within a template, so inspections run on different
versions of a checklist still add up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Q

from civility.inspections import scoring
from civility.inspections.models import Answer, InspectionStatus
from civility.inspections.models.inspections import InspectionQuerySet


@dataclass
class Progress:
    planned: int
    done: int
    in_progress: int
    cancelled: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.planned) if self.planned else 0


def progress(inspections: InspectionQuerySet) -> Progress:
    counts = inspections.aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(status=InspectionStatus.SUBMITTED)),
        in_progress=Count("pk", filter=Q(status=InspectionStatus.IN_PROGRESS)),
        cancelled=Count("pk", filter=Q(status=InspectionStatus.CANCELLED)),
    )
    return Progress(
        planned=counts["total"] - counts["cancelled"],
        done=counts["done"],
        in_progress=counts["in_progress"],
        cancelled=counts["cancelled"],
    )


def average_by_unit(inspections: InspectionQuerySet) -> list[dict[str, Any]]:
    rows = (
        inspections.submitted()
        .values("unit", "unit__name", "unit__name_en", "unit__serves__name", "place__name")
        .annotate(count=Count("pk"), average=Avg("score"))
        .order_by("-average", "unit__name")
    )
    return [
        {
            "unit_id": row["unit"],
            "name": row["unit__name"],
            "name_en": row["unit__name_en"] or row["unit__name"],
            "place": row["place__name"] or row["unit__serves__name"] or "",
            "count": row["count"],
            "average": None if row["average"] is None else round(row["average"], 2),
        }
        for row in rows
    ]


@dataclass
class CriterionFigures:
    template: str
    ref: str
    text: str
    text_en: str
    answered: int = 0
    not_applicable: int = 0
    failed: int = 0
    fractions: list[Decimal] = field(default_factory=list)

    @property
    def average(self) -> Decimal | None:
        if not self.fractions:
            return None
        return scoring.percent(sum(self.fractions, Decimal(0)), Decimal(len(self.fractions)))

    @property
    def fail_rate(self) -> int:
        return round(100 * self.failed / len(self.fractions)) if self.fractions else 0


def by_criterion(inspections: InspectionQuerySet) -> list[CriterionFigures]:
    """Average score (as % of the criterion's points) and failures, for scored criteria."""
    answers = (
        Answer.objects.filter(inspection__in=inspections.submitted().values("pk"))
        .select_related("criterion__section__version__template")
        .order_by()
    )
    figures: dict[tuple[int, str], CriterionFigures] = {}
    for answer in answers.iterator(chunk_size=2000):
        criterion = answer.criterion
        if not criterion.is_scored:
            continue
        template = criterion.section.version.template
        key = (template.pk, criterion.ref)
        row = figures.get(key)
        if row is None:
            # The newest version's wording wins (versions are iterated in any order).
            row = figures[key] = CriterionFigures(
                template.display_name, criterion.ref, criterion.text, criterion.text_en
            )
        row.answered += 1
        if answer.not_applicable:
            row.not_applicable += 1
            continue
        fraction = scoring.earned_fraction(criterion, answer.value)
        if fraction is None:  # not reached: the criterion is scored
            continue
        row.fractions.append(fraction)
        if fraction < scoring.FAIL_BELOW:
            row.failed += 1
    return sorted(figures.values(), key=lambda row: (row.template, _ref_key(row.ref)))


def most_failed(inspections: InspectionQuerySet, limit: int = 10) -> list[CriterionFigures]:
    rows = [row for row in by_criterion(inspections) if row.failed]
    rows.sort(key=lambda row: (-row.failed, -row.fail_rate, row.ref))
    return rows[:limit]


def trend(inspections: InspectionQuerySet) -> list[dict[str, Any]]:
    """Submitted inspections of one unit, oldest first, with their scores."""
    rows = (
        inspections.submitted()
        .select_related("template_version__template", "place")
        .order_by("submitted_at")
    )
    return [
        {
            "inspection": inspection,
            "day": inspection.day,
            "score": inspection.score,
            "template": inspection.template_version.template.display_name,
        }
        for inspection in rows
    ]


def sparkline_points(values: list[Decimal | None], width: int = 240, height: int = 60) -> str:
    """SVG polyline points for scores 0..100 (no chart library needed for a trend line)."""
    present = [float(v) for v in values if v is not None]
    if not present:
        return ""
    step = width / max(len(present) - 1, 1)
    return " ".join(
        f"{i * step:.1f},{height - value / 100 * height:.1f}" for i, value in enumerate(present)
    )


def _ref_key(ref: str) -> tuple[str, int]:
    letters = "".join(ch for ch in ref if not ch.isdigit())
    digits = "".join(ch for ch in ref if ch.isdigit())
    return (letters, int(digits) if digits else 0)
