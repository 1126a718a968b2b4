"""Workflows that change organisation data. Views and API endpoints call these, never the ORM."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civility.core import jobs
from civility.core.audit import acting_as, log_writes
from civility.core.jobs import NO_PROGRESS, Progress
from civility.core.models import AuditEvent, Job
from civility.orgs import imports
from civility.orgs.former_units import data_file
from civility.orgs.imports.stored import enqueue_stored_import
from civility.orgs.models import Official, OrgUnit, Post, UnitPolicy
from civility.orgs.policies import spec_for
from civility.orgs.scopes import MANAGER_ROLES, Role, scope_of

OFFICIAL_FIELDS = frozenset(
    {
        "unit",
        "staff_code",
        "full_name",
        "staff_category",
        "post",
        "is_leader",
        "agency_role",
        "post_start_date",
        "email",
        "phone",
        "left_on",
        "retirement_date",
    }
)


def ensure_can_manage(actor: User | None, unit: OrgUnit) -> None:
    if not scope_of(actor).covers(unit, roles=MANAGER_ROLES):
        raise PermissionDenied


@transaction.atomic
def create_official(
    *,
    actor: User,
    unit: OrgUnit,
    full_name: str,
    staff_category: str,
    post: Post | None = None,
    is_leader: bool = False,
    agency_role: str = "",
    post_start_date: datetime.date | None = None,
    email: str = "",
    phone: str = "",
    staff_code: str = "",
    retirement_date: datetime.date | None = None,
) -> Official:
    ensure_can_manage(actor, unit)
    official = Official(
        unit=unit,
        full_name=full_name.strip(),
        staff_category=staff_category,
        post=post,
        is_leader=is_leader,
        agency_role=agency_role,
        post_start_date=post_start_date,
        email=email,
        phone=phone,
        staff_code=staff_code,
        retirement_date=retirement_date,
    )
    official.full_clean()
    with acting_as(actor):
        official.save()
    return official


@transaction.atomic
def update_official(*, actor: User, official: Official, **changes: Any) -> Official:
    """Change an official's fields; moving them to another unit needs rights on both."""
    unknown = set(changes) - OFFICIAL_FIELDS
    if unknown:
        raise TypeError(f"update_official() got unknown fields: {sorted(unknown)}")
    ensure_can_manage(actor, official.unit)
    if "unit" in changes:
        ensure_can_manage(actor, changes["unit"])
    for name, value in changes.items():
        setattr(official, name, value)
    official.full_clean()
    with acting_as(actor):
        official.save()
    return official


@transaction.atomic
def import_structure(
    *,
    actor: User | None,
    root: OrgUnit,
    table: imports.Table,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> imports.ImportResult:
    """Create or update the units a spreadsheet lists under `root`; all rows or none.

    `table` is a `civility.orgs.imports.Table`. Returns an `ImportResult`: its errors name
    each bad row and column, and when there is any, nothing is written. Each unit is saved on
    its own (its path depends on its parent's), reporting to `progress` every hundred.
    """
    progress = progress or NO_PROGRESS
    ensure_can_manage(actor, root)
    progress.update(message=_("Checking the file"))
    plan = imports.plan_structure(root=root, table=table)
    result = plan.result
    result.dry_run = dry_run
    if result.errors or dry_run:
        return result
    units = dict(plan.existing)
    progress.start(len(plan.units), _("Writing the units"))
    with acting_as(actor):
        for number, planned in enumerate(plan.units, 1):  # parents come before their children
            unit = planned.existing or OrgUnit(kind=planned.key[0], code=planned.code)
            if planned.action != "unchanged":
                for name, value in planned.fields.items():
                    setattr(unit, name, value)
                if not (planned.keep_parent and planned.existing):
                    unit.parent = units[planned.parent] if planned.parent else root
                _end_with_parent(unit)
                unit.save()
            units[planned.key] = unit
            if number % 100 == 0:
                progress.update(done=number)
    return result


def _end_with_parent(unit: OrgUnit) -> None:
    """A unit placed under a former unit (a division of a district abolished in 2025) ended
    with it, unless the file says otherwise: it must not count as a unit of today."""
    parent = unit.parent
    if parent is None or parent.valid_to is None or unit.valid_to is not None:
        return
    if unit.valid_from is None or unit.valid_from <= parent.valid_to:
        unit.valid_to = parent.valid_to


@transaction.atomic
def import_officials(
    *,
    actor: User | None,
    root: OrgUnit,
    table: imports.Table,
    dry_run: bool = False,
    create_missing_posts: bool = False,
    progress: Progress | None = None,
) -> imports.ImportResult:
    """Create or update the officials a spreadsheet lists under `root`; all rows or none.

    Posts must already be in the catalogue of the official's unit or a unit above it, unless
    `create_missing_posts`, which adds the missing ones to `root`'s catalogue. The whole file
    is checked before anything is written; rows are then written in batches (bulk inserts,
    each batch's audit events in one statement), reporting to `progress` after each.
    """
    progress = progress or NO_PROGRESS
    ensure_can_manage(actor, root)
    plan = imports.plan_officials(
        root=root, table=table, create_missing_posts=create_missing_posts, progress=progress
    )
    result = plan.result
    result.dry_run = dry_run
    if result.errors or dry_run:
        return result
    changed = [planned for planned in plan.officials if planned.action != "unchanged"]
    progress.start(len(changed), _("Writing the officials"))
    new_posts: dict[str, Post] = {}
    with acting_as(actor):
        for planned in changed:
            if planned.new_post_name:
                wanted = imports.normalize(planned.new_post_name)
                if wanted not in new_posts:
                    new_posts[wanted] = Post.objects.create(unit=root, name=planned.new_post_name)
                planned.fields["post"] = new_posts[wanted]
    for start in range(0, len(changed), IMPORT_BATCH):
        batch = changed[start : start + IMPORT_BATCH]
        _write_officials(actor, [p for p in batch if p.action == "create"], created=True)
        _write_officials(actor, [p for p in batch if p.action == "update"], created=False)
        progress.advance(len(batch))
    return result


IMPORT_BATCH = 5000


IMPORT_TITLES = {
    "structure": (
        gettext_lazy("Import the structure of a unit"),
        gettext_lazy("Check a file of units"),
    ),
    "officials": (gettext_lazy("Import officials"), gettext_lazy("Check a file of officials")),
}


def request_import(
    *,
    actor: User,
    kind: str,
    root: OrgUnit,
    upload: UploadedFile[bytes],
    dry_run: bool = False,
    create_missing_posts: bool = False,
) -> Job:
    """Have a background job import the uploaded file (`import_structure` or
    `import_officials`, as `kind` says); a small file is imported at once, by the same job.
    Returns the core Job."""
    ensure_can_manage(actor, root)
    options = {"create_missing_posts": create_missing_posts} if kind == "officials" else {}
    return enqueue_stored_import(
        actor=actor,
        kind=f"orgs.import_{kind}",
        title=IMPORT_TITLES[kind][dry_run],
        root=root,
        upload=upload,
        dry_run=dry_run,
        **options,
    )


def _audit_value(value: object) -> str:
    """A value as auditlog writes it in `changes`."""
    if isinstance(value, Post):
        return str(value.pk)
    return str(value)


def _write_officials(
    actor: User | None, planned_rows: list[imports.PlannedOfficial], *, created: bool
) -> None:
    if not planned_rows:
        return
    officials, changes = [], []
    fields_changed: set[str] = set()
    for planned in planned_rows:
        official = planned.existing or Official(unit=planned.unit)
        diff = {}
        for name, value in planned.fields.items():
            before = getattr(official, name) if not created else None
            if created and value in ("", None, False):
                setattr(official, name, value)
                continue
            if not created and before == value:
                continue
            diff[name] = [
                "None" if before is None else _audit_value(before),
                "None" if value is None else _audit_value(value),
            ]
            setattr(official, name, value)
            fields_changed.add(name)
        if created:
            diff = {"unit": ["None", str(planned.unit.pk)], **diff}
        officials.append(official)
        changes.append(diff)
    if created:
        Official.objects.bulk_create(officials)
        action = AuditEvent.Action.CREATE
    else:
        now = timezone.now()  # bulk_update leaves auto_now fields alone
        for official in officials:
            official.updated_at = now
        Official.objects.bulk_update(
            officials, [*sorted(fields_changed), "updated_at"], batch_size=1000
        )
        action = AuditEvent.Action.UPDATE
    log_writes(actor=actor, action=action, changes=zip(officials, changes, strict=True))


# Who records the settings a province or agency chooses (civility.orgs.policies).
POLICY_ROLES = (Role.SYSTEM_ADMIN, Role.COORDINATOR)


def can_set_policies(actor: User, unit: OrgUnit) -> bool:
    return scope_of(actor).covers(unit, roles=POLICY_ROLES)


@transaction.atomic
def set_policy(
    *,
    actor: User,
    unit: OrgUnit,
    key: str,
    value: object,
    valid_from: datetime.date,
    source: str = "",
    note: str = "",
) -> UnitPolicy:
    """Record the unit's choice for a setting from `valid_from` on (replacing a record of the
    same day). Earlier records stay: verdicts made under them remain explainable."""
    if not can_set_policies(actor, unit):
        raise PermissionDenied
    try:
        spec = spec_for(key)
    except KeyError:
        raise ValidationError({"key": _("Unknown setting.")}) from None
    try:
        cleaned = spec.clean(value)
    except ValidationError as error:
        raise ValidationError({"value": error.messages}) from None
    record = UnitPolicy.objects.filter(unit=unit, key=key, valid_from=valid_from).first()
    record = record or UnitPolicy(unit=unit, key=key, valid_from=valid_from)
    record.value = cleaned
    record.source = source.strip()
    record.note = note.strip()
    record.recorded_by = actor
    record.full_clean()
    with acting_as(actor):
        record.save()
    return record


def request_former_units_import(
    *,
    actor: User | None,
    province: OrgUnit,
    dry_run: bool = False,
    path: Path | None = None,
    inline: bool = False,
) -> Job:
    """Have a background job import the province's former wards and communes and where
    they went (`civility.orgs.former_units`), from its shipped data file or `path`.
    `actor` None is the system (the management command). Returns the core Job."""
    if actor is not None:
        ensure_can_manage(actor, province)
    title = _("Check the former units") if dry_run else _("Import the former units")
    return jobs.enqueue(
        actor=actor,
        kind="orgs.import_former_units",
        title=f"{title}: {province.name}",
        unit=province,
        params={
            "province": province.code,
            "file": str(path or data_file(province.code)),
            "dry_run": dry_run,
        },
        inline=inline,
    )
