"""The one place where awards read other apps' records.

Eligibility needs three kinds of fact about officials and units in a year:

- the annual classification (civility.evaluations: AnnualClassification);
- disciplinary decisions taken in the year, by decision date
  (civility.conduct: `ViolationRecord.objects.disciplinary_decisions(year=, officials=)`);
- reviews in progress that block a proposal: conduct records still being verified, and the
  reviews recorded here (ReviewHold: disciplinary review, investigation, inspection,
  verification of a complaint);
- corrective actions from inspections still open in a unit (civility.inspections).

Each fact is read through the owning app's own QuerySet methods, imported like any other
module (awards builds on evaluations, conduct and inspections; none of them imports awards).
A change on the other apps' side touches this module only.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from civility.awards.models.nominations import ReviewHold
from civility.awards.rules import Classification
from civility.conduct.models import ViolationRecord
from civility.evaluations.models import AnnualClassification
from civility.inspections.models import CorrectiveAction
from civility.orgs.models import OrgUnit

# The evaluations app's levels, mapped to ours ("not_classified": worked under six months).
NOT_CLASSIFIED = "not_classified"
_LEVELS = {*Classification.values, NOT_CLASSIFIED}


@dataclass(frozen=True)
class Discipline:
    official_id: int
    form: str
    form_label: str
    record_number: str
    decision_number: str
    decision_date: datetime.date | None
    occurred_on: datetime.date


@dataclass(frozen=True)
class Pending:
    label: str
    reference: str


# --- Annual classification ---------------------------------------------------------------


def _id_filter(official_ids: Iterable[int]) -> QuerySet[Any, int] | list[int]:
    """Ids to filter on: a queryset of officials' ids stays a subquery (a city's 150,000 ids
    as query parameters cost more to send and plan than the rows they fetch)."""
    return official_ids if isinstance(official_ids, QuerySet) else list(official_ids)


def classifications(official_ids: Iterable[int], year: int) -> dict[int, str]:
    """Each official's confirmed annual level for `year` (officials without a confirmed
    classification are left out).

    Reads `AnnualClassification.objects.confirmed()` and `final_level`, in bulk: the same
    rows as `civility.evaluations.models.classification_of(official, year)`."""
    rows = (
        AnnualClassification.objects.confirmed()
        .filter(official_id__in=_id_filter(official_ids), year=year)
        .exclude(final_level="")
        .order_by()
        .values_list("official_id", "final_level")
    )
    return {official_id: level for official_id, level in rows if level in _LEVELS}


# --- Discipline (civility.conduct) -------------------------------------------------------


def disciplines(
    *, year: int, official_ids: Iterable[int] | None = None, unit: OrgUnit | None = None
) -> dict[int, list[Discipline]]:
    """Disciplinary decisions taken in `year` (by decision date: the conduct app's one
    definition of "disciplined in year Y"), by official."""
    records = ViolationRecord.objects.disciplinary_decisions(
        year=year, officials=None if official_ids is None else _id_filter(official_ids)
    )
    if unit is not None:
        records = records.under(unit)
    result: dict[int, list[Discipline]] = defaultdict(list)
    for record in records:
        if record.official_id is None:  # a disciplinary decision names an official (constraint)
            continue
        result[record.official_id].append(
            Discipline(
                official_id=record.official_id,
                form=record.discipline_form,
                form_label=str(record.get_discipline_form_display()),
                record_number=record.number,
                decision_number=record.decision_number,
                decision_date=record.decision_date,
                occurred_on=record.occurred_on,
            )
        )
    return dict(result)


# --- Reviews in progress -----------------------------------------------------------------


def pending_for_officials(
    official_ids: Iterable[int], *, on: datetime.date
) -> dict[int, list[Pending]]:
    """Open conduct records (reported or being verified) and recorded reviews, by official."""
    ids = _id_filter(official_ids)
    result: dict[int, list[Pending]] = defaultdict(list)
    for record in ViolationRecord.objects.open().filter(official_id__in=ids):
        if record.official_id is None:  # the filter keeps records about officials only
            continue
        result[record.official_id].append(
            Pending(label=_("violation record being verified"), reference=record.number)
        )
    for hold in ReviewHold.objects.active(on).filter(official_id__in=ids):
        if hold.official_id is None:  # the filter keeps reviews of officials only
            continue
        result[hold.official_id].append(
            Pending(label=str(hold.get_kind_display()).lower(), reference=hold.reference)
        )
    return dict(result)


def pending_for_unit(unit: OrgUnit, *, on: datetime.date) -> list[Pending]:
    """Reviews of the unit as a whole (not of one of its people)."""
    found = [
        Pending(label=_("violation record being verified"), reference=record.number)
        for record in ViolationRecord.objects.open().filter(unit=unit, official__isnull=True)
    ]
    for hold in ReviewHold.objects.active(on).filter(unit=unit, official__isnull=True):
        found.append(Pending(label=str(hold.get_kind_display()).lower(), reference=hold.reference))
    return found


# --- Corrective actions (civility.inspections) --------------------------------------------


@dataclass(frozen=True)
class OpenAction:
    description: str
    unit_name: str
    deadline: datetime.date


def open_corrective_actions(unit: OrgUnit) -> list[OpenAction]:
    """Corrective actions not closed yet for the unit or any unit under it."""
    actions = (
        CorrectiveAction.objects.not_closed()
        .filter(unit__path__startswith=unit.path)
        .select_related("unit")
        .order_by("deadline", "pk")
    )
    return [
        OpenAction(description=a.description, unit_name=a.unit.display_name, deadline=a.deadline)
        for a in actions
    ]
