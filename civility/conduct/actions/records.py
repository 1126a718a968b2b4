"""Violation records: reporting, verifying, classifying, deciding (confirm or dismiss with
the rule set in force), closing, evidence, and the audited reads of confidential records.
Every step leaves a `RecordStep`."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Protocol

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from civility.conduct.actions.common import _ensure, can_decide, can_handle, can_report
from civility.conduct.models import (
    Handling,
    Outcome,
    RecordEvidence,
    RecordStatus,
    RecordStep,
    Source,
    StepKind,
    ViolationRecord,
    ViolationType,
)
from civility.conduct.rules import DisciplineForm, Severity, rule_set_on
from civility.core.attachments import PHOTOS_AND_PDF, clean_attachment
from civility.core.audit import acting_as, log_reads
from civility.core.validators import web_link
from civility.inspections.models import Finding
from civility.orgs.models import Official, OrgUnit, Place


def _step(
    record: ViolationRecord,
    kind: str,
    *,
    actor: User | None,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
) -> RecordStep:
    return RecordStep.objects.create(
        record=record,
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        note=note,
    )


def _check_type_for(violation_type: ViolationType | None, unit: OrgUnit) -> None:
    if violation_type is None:
        return
    if violation_type.is_empty_slot():
        raise ValidationError(
            {"type": _("This catalogue item is an empty slot; enter its wording first.")}
        )
    if not violation_type.is_current():
        raise ValidationError({"type": _("This violation type is retired; choose a current one.")})
    if not ViolationType.objects.for_unit(unit).filter(pk=violation_type.pk).exists():
        raise ValidationError({"type": _("This violation type is not in the unit's catalogue.")})


@transaction.atomic
def report_violation(
    *,
    actor: User,
    occurred_on: datetime.date,
    source: str,
    description: str,
    unit: OrgUnit | None = None,
    official: Official | None = None,
    violation_type: ViolationType | None = None,
    severity: str = "",
    place: Place | None = None,
    location: str = "",
    source_reference: str = "",
    source_url: str = "",
    confidential: bool = True,
    files: Iterable[UploadedFile[bytes]] = (),
    links: tuple[str, ...] = (),
) -> ViolationRecord:
    """File a record about an official (in their unit) and/or a unit.

    Handlers of the unit's subtree may report anything; an official may report themself.
    """
    if official is not None:
        unit = official.unit
    if unit is None:
        raise ValidationError({"unit": _("Name the official or the unit concerned.")})
    self_report = (
        official is not None
        and official.user_id is not None
        and (actor is not None and official.user_id == actor.pk)
    )
    if source == Source.SELF_REPORT:
        _ensure(self_report)
    else:
        _ensure(can_report(actor, unit))
    if source == Source.ANONYMOUS:
        raise ValidationError({"source": _("Anonymous reports come from the public page.")})
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": _("The date is in the future.")})
    if not description.strip():
        raise ValidationError({"description": _("Describe what happened.")})
    if place is not None and not place.unit.path.startswith(unit.path.split("/")[0] + "/"):
        raise ValidationError({"place": _("This place is outside the province.")})
    _check_type_for(violation_type, unit)
    if not severity and violation_type is not None:
        severity = violation_type.default_severity
    stored = [clean_attachment(upload, field="files", accept=PHOTOS_AND_PDF) for upload in files]
    with acting_as(actor):
        record = ViolationRecord.objects.create(
            unit=unit,
            official=official,
            type=violation_type,
            occurred_on=occurred_on,
            place=place,
            location=location.strip(),
            source=source,
            source_reference=source_reference.strip(),
            source_url=web_link(source_url, field="source_url"),
            description=description.strip(),
            severity=severity,
            confidential=confidential or official is not None,
            reported_by=actor,
        )
        _step(record, StepKind.REPORTED, actor=actor, to_status=RecordStatus.REPORTED)
        for content in stored:
            RecordEvidence.objects.create(
                record=record, file=content, filename=content.name, added_by=actor
            )
        for link in links:
            if link.strip():
                RecordEvidence.objects.create(record=record, url=link.strip(), added_by=actor)
    return record


@transaction.atomic
def draft_record_from_finding(*, actor: User, finding: Finding) -> ViolationRecord:
    """Open a draft record about the official an inspection finding names, for the handlers
    of the official's unit to review and verify. Called by inspections.actions.record_finding,
    which has checked that `actor` conducts the inspection and that the official works in the
    inspected unit; the inspector may not handle the official's unit, so no `can_report` here.
    One record per finding: a second call returns the first."""
    existing = ViolationRecord.objects.filter(finding=finding).first()
    if existing is not None:
        return existing
    official = finding.official
    if official is None:
        raise ValidationError({"official": _("The finding names no official.")})
    inspection = finding.inspection
    today = timezone.localdate()
    started = timezone.localdate(inspection.started_at) if inspection.started_at else None
    occurred_on = min(started or inspection.planned_on or today, today)
    with acting_as(actor):
        record = ViolationRecord.objects.create(
            unit=official.unit,
            official=official,
            occurred_on=occurred_on,
            place=inspection.place,
            source=Source.SURPRISE_CHECK if inspection.kind == "surprise" else Source.INSPECTION,
            source_reference=_("Inspection of %(target)s, %(date)s")
            % {
                "target": inspection.target_name,
                "date": date_format(occurred_on, "SHORT_DATE_FORMAT"),
            },
            source_url=inspection.get_absolute_url(),
            description=finding.description,
            confidential=True,
            status=RecordStatus.DRAFT,
            reported_by=actor,
            finding=finding,
        )
        _step(record, StepKind.REPORTED, actor=actor, to_status=RecordStatus.DRAFT)
    return record


def _locked(record: ViolationRecord) -> ViolationRecord:
    return ViolationRecord.objects.select_for_update().get(pk=record.pk)


def _refuse_transition(record: ViolationRecord, target: str) -> None:
    if not record.can_move_to(target):
        raise ValidationError(
            _("A record that is %(status)s cannot become %(target)s.")
            % {
                "status": record.get_status_display().lower(),
                "target": str(RecordStatus(target).label).lower(),
            },
            code="illegal_transition",
        )


@transaction.atomic
def start_verification(*, actor: User, record: ViolationRecord, note: str = "") -> ViolationRecord:
    _ensure(can_handle(actor, record))
    record = _locked(record)
    _refuse_transition(record, RecordStatus.VERIFYING)
    from_status = record.status
    with acting_as(actor):
        record.status = RecordStatus.VERIFYING
        record.save(update_fields=["status"])
        _step(
            record,
            StepKind.VERIFICATION_STARTED,
            actor=actor,
            from_status=from_status,
            to_status=RecordStatus.VERIFYING,
            note=note.strip(),
        )
    return record


@transaction.atomic
def update_record_details(
    *,
    actor: User,
    record: ViolationRecord,
    violation_type: ViolationType | None,
    official: Official | None,
    severity: str,
) -> ViolationRecord:
    """While a record is open, the handler classifies it and names the official."""
    _ensure(can_handle(actor, record))
    record = _locked(record)
    if not record.is_open():
        raise ValidationError(_("A decided record cannot change; its details are final."))
    if official is not None and not official.unit.path.startswith(record.unit.path):
        raise ValidationError({"official": _("This official is not in the record's unit.")})
    _check_type_for(violation_type, record.unit)
    changes = []
    if violation_type is not None and violation_type.pk != record.type_id:
        record.type = violation_type
        changes.append(_("type: %(type)s") % {"type": violation_type.key})
    if official is not None and official.pk != record.official_id:
        record.official, record.unit, record.confidential = official, official.unit, True
        changes.append(_("official: %(name)s") % {"name": official.full_name})
    if severity and severity != record.severity:
        record.severity = severity
        changes.append(_("severity: %(severity)s") % {"severity": Severity(severity).label})
    if not changes:
        return record
    with acting_as(actor):
        record.save()
        _step(record, StepKind.DETAILS_CHANGED, actor=actor, note="; ".join(changes))
    return record


class RecordConfirmed(Protocol):
    def __call__(self, *, record: ViolationRecord) -> object: ...


# What other apps do, in the same transaction, when a record is confirmed (awards: flag the
# awards given for the violation's period for revocation review). They register it when they
# start (awards/apps.py): awards builds on conduct, so conduct does not import it.
_on_confirmed: list[RecordConfirmed] = []


def on_record_confirmed(handler: RecordConfirmed) -> None:
    if handler not in _on_confirmed:
        _on_confirmed.append(handler)


@transaction.atomic
def confirm_record(
    *,
    actor: User,
    record: ViolationRecord,
    handling: str,
    severity: str = "",
    handling_note: str = "",
    discipline_form: str = "",
    decision_number: str = "",
    decision_date: datetime.date | None = None,
    violation_type: ViolationType | None = None,
    related_to_duties: bool | None = None,
) -> ViolationRecord:
    """Confirm the violation and record its handling. A disciplinary measure takes its form
    and severity from the rule set in force on the decision date, stored on the record, and
    states whether the violation was related to duties (the type only suggests it)."""
    _ensure(can_decide(actor, record))
    record = _locked(record)
    _refuse_transition(record, RecordStatus.CONFIRMED)
    violation_type = violation_type or record.type
    if violation_type is None:
        raise ValidationError({"type": _("Choose the violation type before confirming.")})
    if violation_type.pk != record.type_id:
        _check_type_for(violation_type, record.unit)
    severity = severity or record.severity or violation_type.default_severity
    if handling not in Handling.values:
        raise ValidationError({"handling": _("Choose how the violation is handled.")})
    if handling in (Handling.DISCIPLINARY, Handling.TRANSFER) and record.official is None:
        raise ValidationError(
            {"handling": _("A disciplinary measure or a transfer needs a named official.")}
        )
    today = timezone.localdate()
    day = decision_date or today
    if day > today:
        raise ValidationError({"decision_date": _("The decision date is in the future.")})
    if day < record.occurred_on:
        raise ValidationError(
            {"decision_date": _("The decision date is before the violation happened.")}
        )
    rule_set = rule_set_on(day)
    if severity not in rule_set.severities:
        raise ValidationError({"severity": _("Choose a severity.")})
    if handling == Handling.DISCIPLINARY:
        if not decision_number.strip():
            raise ValidationError({"decision_number": _("Enter the decision number.")})
        if decision_date is None:
            raise ValidationError({"decision_date": _("Enter the decision date.")})
        if related_to_duties is None:
            raise ValidationError(
                {
                    "related_to_duties": _(
                        "State whether the violation was related to duties: it decides whether "
                        "the decision counts against the annual classification."
                    )
                }
            )
        official = record.official
        if official is None:
            raise ValidationError(
                {"handling": _("A disciplinary measure or a transfer needs a named official.")}
            )
        allowed = rule_set.forms_for(official.staff_category, is_leader=official.is_leader)
        if discipline_form not in allowed:
            raise ValidationError(
                {
                    "discipline_form": _(
                        "Under %(rules)s this form cannot be used for %(name)s; allowed: "
                        "%(allowed)s."
                    )
                    % {
                        "rules": rule_set.name,
                        "name": official.full_name,
                        "allowed": ", ".join(str(DisciplineForm(f).label) for f in allowed),
                    }
                }
            )
    else:
        discipline_form, decision_number = "", decision_number.strip()
    now = timezone.now()
    with acting_as(actor):
        record.type = violation_type
        record.severity = severity
        record.status = RecordStatus.CONFIRMED
        record.outcome = Outcome.CONFIRMED
        record.handling = handling
        record.handling_note = handling_note.strip()
        record.discipline_form = discipline_form
        record.decision_number = decision_number.strip()
        record.decision_date = decision_date
        record.rule_set = rule_set.key
        record.related_to_duties = related_to_duties
        record.decided_at, record.decided_by = now, actor
        record.save()
        _step(
            record,
            StepKind.CONFIRMED,
            actor=actor,
            from_status=RecordStatus.VERIFYING,
            to_status=RecordStatus.CONFIRMED,
            note=str(Handling(handling).label),
        )
    for handler in _on_confirmed:
        handler(record=record)
    return record


@transaction.atomic
def dismiss_record(*, actor: User, record: ViolationRecord, reason: str) -> ViolationRecord:
    _ensure(can_decide(actor, record))
    record = _locked(record)
    _refuse_transition(record, RecordStatus.DISMISSED)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for dismissing the record.")})
    with acting_as(actor):
        record.status = RecordStatus.DISMISSED
        record.outcome = Outcome.DISMISSED
        record.dismissal_reason = reason.strip()
        record.decided_at, record.decided_by = timezone.now(), actor
        record.save()
        _step(
            record,
            StepKind.DISMISSED,
            actor=actor,
            from_status=RecordStatus.VERIFYING,
            to_status=RecordStatus.DISMISSED,
            note=reason.strip(),
        )
    return record


@transaction.atomic
def close_record(*, actor: User, record: ViolationRecord, note: str = "") -> ViolationRecord:
    _ensure(can_decide(actor, record))
    record = _locked(record)
    _refuse_transition(record, RecordStatus.CLOSED)
    previous = record.status
    with acting_as(actor):
        record.status = RecordStatus.CLOSED
        record.closed_at = timezone.now()
        record.save(update_fields=["status", "closed_at"])
        _step(
            record,
            StepKind.CLOSED,
            actor=actor,
            from_status=previous,
            to_status=RecordStatus.CLOSED,
            note=note.strip(),
        )
    return record


@transaction.atomic
def add_evidence(
    *,
    actor: User,
    record: ViolationRecord,
    upload: UploadedFile[bytes] | None = None,
    url: str = "",
    label: str = "",
) -> RecordEvidence:
    _ensure(can_handle(actor, record))
    if upload is None and not url.strip():
        raise ValidationError({"file": _("Attach a file or give a link.")})
    content = (
        clean_attachment(upload, field="file", accept=PHOTOS_AND_PDF)
        if upload is not None
        else None
    )
    with acting_as(actor):
        evidence = RecordEvidence.objects.create(
            record=record,
            file=content or "",
            filename=content.name if content is not None else "",
            url=web_link(url, field="url"),
            label=label.strip(),
            added_by=actor,
        )
        _step(record, StepKind.EVIDENCE_ADDED, actor=actor, note=str(evidence))
    return evidence


def read_records(*, actor: User, records: Iterable[ViolationRecord]) -> None:
    """Write the reads of confidential records to the audit trail (action ACCESS, one event
    a record), whether a page showed one record or a list showed many: who saw a record is
    then one question, whichever page showed it."""
    log_reads(actor=actor, instances=[record for record in records if record.confidential])


def read_record(*, actor: User, record: ViolationRecord) -> None:
    read_records(actor=actor, records=[record])
