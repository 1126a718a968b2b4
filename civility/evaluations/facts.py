"""The facts other apps hold about an official, read in one place.

The monthly evaluation form shows them and keeps them as a snapshot (`month_facts`); the
annual classification reads discipline decisions (`discipline_in_year`, by decision date, as
conduct defines it); follow-up reads the
units that failed their programme targets (`units_failing_targets`). Each source is read
through the selector its app provides where there is one (conduct: `confirmed_records`;
feedback: `figures.rating_figures`). A source that is missing or fails is left out of the
snapshot and named in `missing`, so an evaluation never breaks because another app changed.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from civility.codes.models import Commitment
from civility.conduct.models import ViolationRecord, confirmed_records
from civility.feedback.figures import rating_figures
from civility.feedback.models import AssistanceCall
from civility.inspections.models import ActionStatus, CorrectiveAction
from civility.orgs.models import Official, OfficialQuerySet, OrgUnit
from civility.programmes.models import Task

logger = logging.getLogger(__name__)

FACTS_VERSION = 1
# Keys of the snapshot, in the order the form shows them.
SOURCES = ("conduct", "ratings", "assistance", "corrective_actions", "commitments")


def _bounds(
    start: datetime.date, end: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    zone = timezone.get_current_timezone()
    low = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
    high = datetime.datetime.combine(
        end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    return low, high


def _conduct(official: Official, start: datetime.date, end: datetime.date) -> dict[str, Any]:
    records = list(
        confirmed_records(official=official, start=start, end=end).order_by("occurred_on")
    )
    # Only what the evaluation needs: no description or evidence (records are confidential).
    return {
        "count": len(records),
        "records": [
            {
                "id": record.pk,
                "number": record.number,
                "occurred_on": record.occurred_on.isoformat(),
                "type": f"{record.type.key} · {record.type.title}" if record.type else "",
                "severity": record.severity,
                "handling": record.handling,
                "discipline_form": record.discipline_form,
            }
            for record in records
        ],
    }


def _ratings(official: Official, start: datetime.date, end: datetime.date) -> dict[str, Any]:
    figures = rating_figures(start=start, end=end, official=official, with_calls=False)
    return {
        "count": figures.ratings,
        "satisfied": figures.satisfied,
        "dissatisfied": figures.dissatisfied,
        "satisfaction_rate": figures.satisfaction_rate,
    }


def _assistance(official: Official, start: datetime.date, end: datetime.date) -> dict[str, Any]:
    if official.user_id is None:
        return {"answered": 0}
    low, high = _bounds(start, end)
    answered = AssistanceCall.objects.filter(
        acknowledged_by_id=official.user_id, acknowledged_at__gte=low, acknowledged_at__lt=high
    ).count()
    return {"answered": answered}


def _corrective_actions(
    official: Official, start: datetime.date, end: datetime.date
) -> dict[str, Any]:
    """Corrective actions about the official (the finding names them) due in the month, and
    those they answered in the month."""
    low, high = _bounds(start, end)
    condition = Q(finding__official=official, deadline__gte=start, deadline__lte=end)
    if official.user_id is not None:
        condition |= Q(
            responded_by_id=official.user_id, responded_at__gte=low, responded_at__lt=high
        )
    actions = CorrectiveAction.objects.filter(condition).distinct()
    return {
        "owned": actions.count(),
        "closed": actions.filter(status=ActionStatus.CLOSED).count(),
        "overdue": sum(1 for action in actions if action.is_overdue(end)),
    }


def _commitments(official: Official, start: datetime.date, end: datetime.date) -> dict[str, Any]:
    low, high = _bounds(start, end)
    signed = Commitment.objects.filter(official=official)
    return {
        "signed_in_month": signed.filter(signed_at__gte=low, signed_at__lt=high).count(),
        "signed_to_date": signed.filter(signed_at__lt=high).count(),
    }


_READERS: dict[str, Callable[[Official, datetime.date, datetime.date], dict[str, Any]]] = {
    "conduct": _conduct,
    "ratings": _ratings,
    "assistance": _assistance,
    "corrective_actions": _corrective_actions,
    "commitments": _commitments,
}


def month_facts(official: Official, start: datetime.date, end: datetime.date) -> dict[str, Any]:
    """The snapshot kept with an evaluation. JSON-ready."""
    facts: dict[str, Any] = {
        "version": FACTS_VERSION,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "missing": [],
    }
    for name in SOURCES:
        try:
            facts[name] = _READERS[name](official, start, end)
        except Exception:  # another app missing or changed: the fact becomes optional
            logger.exception("evaluation facts: %s could not be read", name)
            facts["missing"].append(name)
    return facts


# --- Annual classification ---------------------------------------------------------------


def _decision(record: ViolationRecord) -> dict[str, Any]:
    decided_on = record.decision_date
    assert decided_on is not None  # record_discipline_has_decision
    return {
        "id": record.pk,
        "number": record.number,
        "form": record.discipline_form,
        "decision_date": decided_on.isoformat(),
        "occurred_on": record.occurred_on.isoformat(),
        "related_to_duties": record.related_to_duties,
        "rule_set": record.rule_set,
    }


def discipline_in_year(official: Official, year: int) -> list[dict[str, Any]]:
    """Disciplinary decisions taken against the official in `year`, by decision date: the
    conduct app's one definition (`ViolationRecord.objects.disciplinary_decisions`)."""
    decisions = ViolationRecord.objects.disciplinary_decisions(year=year, officials=[official])
    return [_decision(record) for record in decisions]


def discipline_in_year_for(
    officials: OfficialQuerySet, year: int
) -> dict[int, list[dict[str, Any]]]:
    """The same for many officials at once: {official id: decisions}."""
    found: dict[int, list[dict[str, Any]]] = {}
    for record in ViolationRecord.objects.disciplinary_decisions(year=year, officials=officials):
        if record.official_id is None:  # a disciplinary decision names an official (constraint)
            continue
        found.setdefault(record.official_id, []).append(_decision(record))
    return found


def units_failing_targets(unit: OrgUnit, year: int, today: datetime.date) -> dict[int, int]:
    """Units under `unit` whose programme tasks due in `year` are overdue or were done late:
    {unit id: number of such tasks}. Empty when the programmes app cannot be read."""
    try:
        tasks = Task.objects.assigned_under(unit).filter(deadline__year=year)
        failing = tasks.overdue(today) | tasks.done_late()
        rows = failing.values("assignee_unit").annotate(n=Count("pk")).order_by()
        return {row["assignee_unit"]: row["n"] for row in rows}
    except Exception:
        logger.exception("evaluation facts: programme targets could not be read")
        return {}
