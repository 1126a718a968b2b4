"""Workflows for the violation catalogue, violation records and anonymous reports.

Views, the API and commands call these; they check permission, validate, write in one
transaction inside `acting_as(actor)` and leave a `RecordStep` for every step of a record.
"""

from __future__ import annotations

import datetime
import json
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from civility.codes.models import Code
from civility.conduct.models import (
    CATALOGUE_ROLES,
    DECIDER_ROLES,
    READER_ROLES,
    AnonymousReport,
    Handling,
    Outcome,
    RecordEvidence,
    RecordStatus,
    RecordStep,
    ReportMessage,
    Source,
    StepKind,
    TextStatus,
    ViolationGroup,
    ViolationRecord,
    ViolationType,
)
from civility.conduct.rules import DisciplineForm, Severity, rule_set_on
from civility.core.attachments import PHOTOS_AND_PDF, clean_attachment
from civility.core.audit import acting_as, anonymously, log_reads
from civility.core.receipts import (
    SECRET_LENGTH,
    grouped,
    hash_secret,
    keyed_hash,
    new_code,
    normalize_code,
    secret_matches,
)
from civility.core.validators import web_link
from civility.orgs.imports import ImportResult, Problem, Table, normalize
from civility.orgs.models import Official, OrgUnit, Place
from civility.orgs.provinces import ensure_shipped_for, shipped_for
from civility.orgs.scopes import scope_of

DATA_DIR = Path(__file__).resolve().parent / "data"
# The starting catalogues Civility ships, by the official code of the province they were
# written for (Hanoi's: Decision 522/QĐ-UBND and Directive 24-CT/TU); never loaded elsewhere.
SEEDS = {"01": ("hanoi-catalogue",)}


# --- Permissions -------------------------------------------------------------------------


def can_manage_catalogue(user, unit: OrgUnit) -> bool:
    return scope_of(user).covers(unit, roles=CATALOGUE_ROLES)


def can_report(user, unit: OrgUnit) -> bool:
    return scope_of(user).covers(unit, roles=READER_ROLES)


def can_handle(user, record: ViolationRecord) -> bool:
    """Verify, add evidence, ask the reporter. Nobody handles a record about themselves."""
    return scope_of(user).covers(record.unit, roles=READER_ROLES) and not record.is_about(user)


def can_decide(user, record: ViolationRecord) -> bool:
    return scope_of(user).covers(record.unit, roles=DECIDER_ROLES) and not record.is_about(user)


def may_see_reporter(user, record: ViolationRecord) -> bool:
    """The official concerned never learns who reported; handlers of the subtree do."""
    return not record.is_about(user) and scope_of(user).covers(record.unit, roles=READER_ROLES)


def _ensure(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# --- Catalogue ---------------------------------------------------------------------------


TYPE_FIELDS = frozenset(
    {
        "title",
        "title_en",
        "description",
        "description_en",
        "default_severity",
        "source_document",
        "text_status",
        "position",
        "code",
        "article_number",
        "related_to_duties",
    }
)


@transaction.atomic
def load_catalogue_seed(*, actor, unit: OrgUnit, slug: str = "") -> int:
    """Create the shipped groups and types under `unit` (a province; by default the catalogue
    shipped for it); returns how many types were created. Groups and types that exist
    already are left untouched."""
    if actor is not None:
        _ensure(can_manage_catalogue(actor, unit))
    slug = slug or next(iter(shipped_for(unit, SEEDS)), "")
    ensure_shipped_for(unit, slug, SEEDS)
    data = json.loads((DATA_DIR / f"{slug}.json").read_text(encoding="utf-8"))
    created = 0
    with acting_as(actor):
        for g_pos, group_data in enumerate(data["groups"], start=1):
            group, _new = ViolationGroup.objects.get_or_create(
                unit=unit,
                key=group_data["key"],
                defaults={
                    "position": g_pos,
                    "title": group_data["title"],
                    "title_en": group_data["title_en"],
                    "source_document": group_data["source_document"],
                    "expected_items": group_data["expected_items"],
                },
            )
            code = None
            if group_data.get("code_slug"):
                code = Code.objects.filter(slug=group_data["code_slug"]).first()
            existing = set(group.types.values_list("key", flat=True))
            for t_pos, type_data in enumerate(group_data["types"], start=1):
                if type_data["key"] in existing:
                    continue
                ViolationType.objects.create(
                    group=group,
                    key=type_data["key"],
                    position=t_pos,
                    text_status=type_data.get("wording", TextStatus.SUMMARY),
                    title=type_data["title"],
                    title_en=type_data["title_en"],
                    description=type_data.get("description", ""),
                    description_en=type_data.get("description_en", ""),
                    default_severity=type_data.get("severity", Severity.LESS_SERIOUS),
                    source_document=type_data.get("source_document")
                    or group_data["source_document"],
                    code=code if type_data.get("article") else None,
                    article_number=type_data.get("article"),
                    related_to_duties=type_data.get("related_to_duties", True),
                    created_by=actor,
                )
                created += 1
    return created


def _check_type(violation_type: ViolationType) -> None:
    if violation_type.text_status != TextStatus.EMPTY and not violation_type.title.strip():
        raise ValidationError({"title": _("Enter the title.")})
    violation_type.full_clean(exclude=["group", "replaced_by", "code"], validate_unique=False)


@transaction.atomic
def create_violation_type(*, actor, group: ViolationGroup, key: str, **fields) -> ViolationType:
    _ensure(can_manage_catalogue(actor, group.unit))
    unknown = set(fields) - TYPE_FIELDS
    if unknown:
        raise TypeError(f"create_violation_type() got unknown fields: {sorted(unknown)}")
    key = key.strip()
    if not key:
        raise ValidationError({"key": _("Enter a code.")})
    if ViolationType.objects.current().filter(group__unit=group.unit, key__iexact=key).exists():
        raise ValidationError(
            {"key": _("The code %(key)s is already in this catalogue.") % {"key": key}}
        )
    violation_type = ViolationType(group=group, key=key, created_by=actor, **fields)
    _check_type(violation_type)
    with acting_as(actor):
        violation_type.save()
    return violation_type


@transaction.atomic
def revise_violation_type(*, actor, violation_type: ViolationType, **changes) -> ViolationType:
    """Change a type's wording. A type no record uses yet is changed in place (filling an empty
    slot, fixing a typo); once used, the change becomes a new version and the old one is
    retired, so the records filed under it keep the wording they were decided on."""
    _ensure(can_manage_catalogue(actor, violation_type.group.unit))
    unknown = set(changes) - TYPE_FIELDS
    if unknown:
        raise TypeError(f"revise_violation_type() got unknown fields: {sorted(unknown)}")
    current = ViolationType.objects.select_for_update().get(pk=violation_type.pk)
    if not current.is_current():
        raise ValidationError(_("This version is retired; revise the current one."))
    changes = {name: value for name, value in changes.items() if getattr(current, name) != value}
    if not changes:
        return current
    if not current.records.exists():
        for name, value in changes.items():
            setattr(current, name, value)
        _check_type(current)
        with acting_as(actor):
            current.save()
        return current
    now = timezone.now()
    new = ViolationType(
        group=current.group,
        key=current.key,
        version=current.version + 1,
        created_by=actor,
        **{name: getattr(current, name) for name in TYPE_FIELDS},
    )
    for name, value in changes.items():
        setattr(new, name, value)
    _check_type(new)
    with acting_as(actor):
        current.retired_at, current.retired_by = now, actor
        current.save(update_fields=["retired_at", "retired_by"])
        new.save()
        current.replaced_by = new
        current.save(update_fields=["replaced_by"])
    return new


@transaction.atomic
def retire_violation_type(*, actor, violation_type: ViolationType) -> ViolationType:
    """Take a type out of use. Records filed under it stay readable with its wording."""
    _ensure(can_manage_catalogue(actor, violation_type.group.unit))
    current = ViolationType.objects.select_for_update().get(pk=violation_type.pk)
    if not current.is_current():
        return current
    current.retired_at, current.retired_by = timezone.now(), actor
    with acting_as(actor):
        current.save(update_fields=["retired_at", "retired_by"])
    return current


IMPORT_COLUMNS = {
    "group": ("group", "nhom"),
    "key": ("code", "key", "ma"),
    "title": ("title", "title vi", "ten", "tieu de"),
    "title_en": ("title en", "title english", "ten tieng anh"),
    "description": ("description", "mo ta"),
    "description_en": ("description en", "mo ta tieng anh"),
    "default_severity": ("severity", "default severity", "muc do"),
    "source_document": ("source", "source document", "van ban", "nguon"),
    "text_status": ("wording", "text status", "noi dung"),
}
_SEVERITY_WORDS = {normalize(value): value for value in Severity.values} | {
    "it nghiem trong": Severity.LESS_SERIOUS,
    "nghiem trong": Severity.SERIOUS,
    "rat nghiem trong": Severity.VERY_SERIOUS,
    "less serious": Severity.LESS_SERIOUS,
    "very serious": Severity.VERY_SERIOUS,
}
_WORDING_WORDS = {normalize(value): value for value in TextStatus.values} | {
    "trong": TextStatus.EMPTY,
    "tom tat": TextStatus.SUMMARY,
    "chinh thuc": TextStatus.OFFICIAL,
    "nguyen van": TextStatus.OFFICIAL,
}


@transaction.atomic
def import_catalogue(*, actor, unit: OrgUnit, table: Table, dry_run: bool = False) -> ImportResult:
    """Add or revise types from a sheet: one row per type (group key, code, title...).

    A row whose code exists revises that type (a new version if records use it); a new code
    is added to the named group. Any problem in any row and nothing is written.
    """
    _ensure(can_manage_catalogue(actor, unit))
    result = ImportResult(dry_run=dry_run)
    positions: dict[str, int] = {}
    for index, header in enumerate(table.headers):
        name = normalize(header).replace("_", " ")
        for field, words in IMPORT_COLUMNS.items():
            if name in words and field not in positions:
                positions[field] = index
    for required in ("group", "key", "title"):
        if required not in positions:
            result.errors.append(
                Problem(_("The column %(column)s is missing.") % {"column": required})
            )
    if result.errors:
        return result
    groups = {group.key: group for group in ViolationGroup.objects.filter(unit=unit)}
    current = {t.key.upper(): t for t in ViolationType.objects.current().filter(group__unit=unit)}
    planned: list[tuple[int, ViolationType | None, ViolationGroup, str, dict]] = []
    seen: set[str] = set()
    for row_number, values in table.rows:

        def cell(field: str, values=values) -> str:
            index = positions.get(field)
            if index is None or index >= len(values) or values[index] is None:
                return ""
            return str(values[index]).strip()

        group = groups.get(cell("group"))
        if group is None:
            result.errors.append(
                Problem(
                    _("no group %(group)s in this catalogue.") % {"group": cell("group")},
                    row=row_number,
                    column="group",
                )
            )
            continue
        key = cell("key")
        if not key:
            result.errors.append(Problem(_("enter a code."), row=row_number, column="key"))
            continue
        if key.upper() in seen:
            result.errors.append(
                Problem(_("this code appears twice in the file."), row=row_number, column="key")
            )
            continue
        seen.add(key.upper())
        fields: dict = {"title": cell("title")}
        for name in ("title_en", "description", "description_en", "source_document"):
            if name in positions:
                fields[name] = cell(name)
        if "default_severity" in positions and cell("default_severity"):
            severity = _SEVERITY_WORDS.get(normalize(cell("default_severity")))
            if severity is None:
                result.errors.append(
                    Problem(
                        _("unknown severity %(value)s.") % {"value": cell("default_severity")},
                        row=row_number,
                        column="default_severity",
                    )
                )
                continue
            fields["default_severity"] = severity
        wording = (
            _WORDING_WORDS.get(normalize(cell("text_status"))) if cell("text_status") else None
        )
        if cell("text_status") and wording is None:
            result.errors.append(
                Problem(
                    _("unknown wording %(value)s (empty, summary or official).")
                    % {"value": cell("text_status")},
                    row=row_number,
                    column="text_status",
                )
            )
            continue
        if not fields["title"]:
            result.errors.append(Problem(_("enter the title."), row=row_number, column="title"))
            continue
        existing = current.get(key.upper())
        if existing is not None and existing.group_id != group.pk:
            result.errors.append(
                Problem(
                    _("the code %(key)s belongs to another group.") % {"key": key},
                    row=row_number,
                    column="group",
                )
            )
            continue
        # A filled-in slot is official wording unless the row says otherwise.
        fields["text_status"] = wording or (
            TextStatus.OFFICIAL
            if existing is not None and existing.is_empty_slot()
            else (existing.text_status if existing is not None else TextStatus.OFFICIAL)
        )
        planned.append((row_number, existing, group, key, fields))
    if result.errors:
        return result
    for row_number, existing, group, key, fields in planned:
        try:
            if existing is None:
                create_violation_type(actor=actor, group=group, key=key, **fields)
                result.created += 1
            else:
                changed = {n: v for n, v in fields.items() if getattr(existing, n) != v}
                if not changed:
                    result.unchanged += 1
                    continue
                revise_violation_type(actor=actor, violation_type=existing, **changed)
                result.updated += 1
        except ValidationError as error:
            for message in error.messages:
                result.errors.append(Problem(message, row=row_number))
    if result.errors or dry_run:
        transaction.set_rollback(True)
    return result


# --- Records -----------------------------------------------------------------------------


def _step(record, kind, *, actor, from_status="", to_status="", note="") -> RecordStep:
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
    actor,
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
    files=(),
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
def draft_record_from_finding(*, actor, finding) -> ViolationRecord:
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
def start_verification(*, actor, record: ViolationRecord, note: str = "") -> ViolationRecord:
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
    actor,
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
    actor,
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
            note=Handling(handling).label,
        )
    for handler in _on_confirmed:
        handler(record=record)
    return record


@transaction.atomic
def dismiss_record(*, actor, record: ViolationRecord, reason: str) -> ViolationRecord:
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
def close_record(*, actor, record: ViolationRecord, note: str = "") -> ViolationRecord:
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
    *, actor, record: ViolationRecord, upload=None, url: str = "", label: str = ""
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


def read_records(*, actor, records: Iterable[ViolationRecord]) -> None:
    """Write the reads of confidential records to the audit trail (action ACCESS, one event
    a record), whether a page showed one record or a list showed many: who saw a record is
    then one question, whichever page showed it."""
    log_reads(actor=actor, instances=[record for record in records if record.confidential])


def read_record(*, actor, record: ViolationRecord) -> None:
    read_records(actor=actor, records=[record])


# --- Anonymous reports -------------------------------------------------------------------


class ReportAlreadyFiled(Exception):
    """The report form was sent before: the report exists, and its secret is not kept
    anywhere to be shown again."""


@transaction.atomic
def file_anonymous_report(
    *,
    unit: OrgUnit,
    description: str,
    occurred_on: datetime.date,
    official_hint: str = "",
    location: str = "",
    files=(),
    contact: str = "",
    submission_id: uuid.UUID | None = None,
) -> tuple[AnonymousReport, str]:
    """File a report from the public page; returns the report and its secret (shown once).

    No account, address or browser detail is stored: the audit entries are written with no
    actor, no remote address and no correlation id; attachments lose their metadata and file
    names; the form's id is kept only as a keyed hash. Sending the same form again raises
    ReportAlreadyFiled: the secret was random and only its hash is stored.
    """
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": _("The date is in the future.")})
    if not description.strip():
        raise ValidationError({"description": _("Describe what happened.")})
    submission_key = None
    if submission_id is not None:
        submission_key = keyed_hash("conduct-report", submission_id)
        _lock(f"conduct-report:{submission_key}")
        if AnonymousReport.objects.filter(submission_key=submission_key).exists():
            raise ReportAlreadyFiled
    # Anonymous reports lose the file names too (a name can be the reporter's).
    stored = [
        clean_attachment(upload, field="files", accept=PHOTOS_AND_PDF, keep_name=False)
        for upload in files
    ]
    secret = new_code(SECRET_LENGTH)
    with anonymously():
        record = ViolationRecord.objects.create(
            unit=unit,
            occurred_on=occurred_on,
            location=location.strip(),
            source=Source.ANONYMOUS,
            description=description.strip(),
            confidential=True,
        )
        _step(record, StepKind.REPORTED, actor=None, to_status=RecordStatus.REPORTED)
        for content in stored:
            RecordEvidence.objects.create(record=record, file=content)
        while True:
            code = new_code(8)
            if not AnonymousReport.objects.filter(receipt_code=code).exists():
                break
        report = AnonymousReport.objects.create(
            record=record,
            receipt_code=code,
            secret_hash=hash_secret(secret),
            official_hint=official_hint.strip(),
            contact=contact.strip(),
            submission_key=submission_key,
        )
    return report, grouped(secret)


def _lock(key: str) -> None:
    """Serialise concurrent sends of the same form until the transaction ends."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [key])


def find_anonymous_report(*, receipt_code: str, secret: str) -> AnonymousReport | None:
    """The report with this receipt code, if the secret matches; None otherwise."""
    report = (
        AnonymousReport.objects.select_related("record")
        .filter(receipt_code=normalize_code(receipt_code))
        .first()
    )
    matches = secret_matches(secret, report.secret_hash if report is not None else "")
    return report if matches else None


@transaction.atomic
def ask_reporter(*, actor, record: ViolationRecord, text: str) -> ReportMessage:
    _ensure(can_handle(actor, record))
    report = AnonymousReport.objects.filter(record=record).first()
    if report is None:
        raise ValidationError(_("Only anonymous reports have a reporter to ask."))
    if not text.strip():
        raise ValidationError({"text": _("Write the question.")})
    if record.status == RecordStatus.CLOSED:
        raise ValidationError(_("The record is closed."))
    with acting_as(actor):
        message = ReportMessage.objects.create(report=report, text=text.strip(), author=actor)
        _step(record, StepKind.QUESTION_ASKED, actor=actor, note=text.strip())
    return message


@transaction.atomic
def answer_as_reporter(*, report: AnonymousReport, text: str) -> ReportMessage:
    if not text.strip():
        raise ValidationError({"text": _("Write your answer.")})
    if report.record.status == RecordStatus.CLOSED:
        raise ValidationError(_("This report is closed."))
    if not report.messages.filter(from_reporter=False).exists():
        raise ValidationError(_("There is no question to answer yet."))
    with anonymously():
        message = ReportMessage.objects.create(report=report, text=text.strip(), from_reporter=True)
        _step(report.record, StepKind.REPORTER_ANSWERED, actor=None)
    return message


def repeat_threshold() -> int:
    return int(getattr(settings, "CONDUCT_REPEAT_THRESHOLD", 2))
