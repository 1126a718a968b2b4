"""The violation catalogue: the shipped seed, creating, revising and retiring types, and
importing them from a sheet."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civility.codes.models import Code
from civility.conduct.actions.common import _ensure, can_manage_catalogue
from civility.conduct.models import TextStatus, ViolationGroup, ViolationType
from civility.conduct.rules import Severity
from civility.core.audit import acting_as
from civility.orgs.imports import ImportResult, Problem, Table, normalize
from civility.orgs.models import OrgUnit
from civility.orgs.provinces import ensure_shipped_for, shipped_for

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
# The starting catalogues Civility ships, by the official code of the province they were
# written for (Hanoi's: Decision 522/QĐ-UBND and Directive 24-CT/TU); never loaded elsewhere.
SEEDS = {"01": ("hanoi-catalogue",)}


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
def load_catalogue_seed(*, actor: User | None, unit: OrgUnit, slug: str = "") -> int:
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
def create_violation_type(
    *, actor: User, group: ViolationGroup, key: str, **fields: Any
) -> ViolationType:
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
def revise_violation_type(
    *, actor: User, violation_type: ViolationType, **changes: Any
) -> ViolationType:
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
def retire_violation_type(*, actor: User, violation_type: ViolationType) -> ViolationType:
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
def import_catalogue(
    *, actor: User, unit: OrgUnit, table: Table, dry_run: bool = False
) -> ImportResult:
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
    planned: list[tuple[int, ViolationType | None, ViolationGroup, str, dict[str, Any]]] = []
    seen: set[str] = set()
    for row_number, values in table.rows:

        def cell(field: str, values: list[Any] = values) -> str:
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
        fields: dict[str, Any] = {"title": cell("title")}
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
