"""Checking a file of officials against the units and posts under the unit imported into."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from civility.core.jobs import Progress
from civility.orgs.imports.cells import Sheet, code_key, parse_bool, parse_date
from civility.orgs.imports.columns import OFFICIAL_COLUMNS, STAFF_CATEGORY_WORDS, vocabulary_of
from civility.orgs.imports.files import ImportResult, Table, normalize
from civility.orgs.models import Official, OrgUnit, Post, StaffCategory


@dataclass
class PlannedOfficial:
    row: int
    unit: OrgUnit
    fields: dict[str, Any]  # only the columns present in the file (unit excluded)
    new_post_name: str = ""  # a post to create in the root's catalogue first
    existing: Official | None = None
    action: str = "create"


@dataclass
class OfficialsPlan:
    root: OrgUnit
    officials: list[PlannedOfficial]
    result: ImportResult


def plan_officials(
    *,
    root: OrgUnit,
    table: Table,
    create_missing_posts: bool = False,
    progress: Progress | None = None,
) -> OfficialsPlan:
    sheet = Sheet(table, OFFICIAL_COLUMNS)
    result = ImportResult(errors=sheet.errors, warnings=sheet.warnings)
    plan = OfficialsPlan(root=root, officials=[], result=result)
    if sheet.errors:
        return plan
    categories = vocabulary_of(STAFF_CATEGORY_WORDS, StaffCategory)

    units_by_code: dict[str, list[OrgUnit]] = defaultdict(list)
    for unit in OrgUnit.objects.subtree_of(root).exclude(code=""):
        units_by_code[code_key(unit.code)].append(unit)

    planned_rows: list[PlannedOfficial] = []
    post_names: dict[int, str] = {}
    if progress is not None:
        progress.start(len(table.rows), _("Checking the rows"))
    for index, (number, values) in enumerate(table.rows, start=1):
        if progress is not None and index % 5000 == 0:
            progress.update(done=index)
        errors_before = len(sheet.errors)
        staff_code = sheet.value(number, values, "staff_code")
        full_name = sheet.value(number, values, "full_name")
        category = sheet.choice(
            number, values, "staff_category", categories, _("'%(value)s' is not a staff category")
        )
        unit_code = sheet.value(number, values, "unit_code")
        unit = root
        if unit_code:
            found = units_by_code.get(code_key(unit_code), [])
            if not found:
                sheet.error(
                    number,
                    "unit_code",
                    _("no unit with code '%(code)s' exists under this unit") % {"code": unit_code},
                )
            elif len(found) > 1:
                sheet.error(
                    number,
                    "unit_code",
                    _("the code '%(code)s' belongs to several units of different kinds")
                    % {"code": unit_code},
                )
            else:
                unit = found[0]
        post_name = sheet.value(number, values, "post")
        is_leader = sheet.value(number, values, "is_leader", parse_bool)
        start = sheet.value(number, values, "post_start_date", parse_date)
        email = sheet.value(number, values, "email")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                sheet.error(
                    number, "email", _("'%(value)s' is not an e-mail address") % {"value": email}
                )
        phone = sheet.value(number, values, "phone")
        if phone and not re.fullmatch(r"[0-9 +().\-]{3,32}", phone):
            sheet.error(number, "phone", _("'%(value)s' is not a phone number") % {"value": phone})
        if len(sheet.errors) > errors_before:
            continue
        fields: dict[str, Any] = {"full_name": full_name, "staff_category": category}
        for key, value in (
            ("staff_code", staff_code),
            ("is_leader", is_leader),
            ("post_start_date", start),
            ("email", email),
            ("phone", phone),
        ):
            if sheet.has(key):
                fields[key] = value
        planned = PlannedOfficial(row=number, unit=unit, fields=fields)
        planned_rows.append(planned)
        if sheet.has("post"):
            post_names[id(planned)] = post_name

    _resolve_posts(root, sheet, planned_rows, post_names, create_missing_posts)
    _match_officials(sheet, planned_rows)
    if sheet.errors:
        return plan
    for planned in planned_rows:
        if planned.existing is None:
            result.created += 1
            planned.action = "create"
        elif _official_changes(planned):
            result.updated += 1
            planned.action = "update"
        else:
            result.unchanged += 1
            planned.action = "unchanged"
    plan.officials = planned_rows
    return plan


def _official_changes(planned: PlannedOfficial) -> bool:
    official = planned.existing
    if official is None:
        return True
    if planned.new_post_name:
        return True
    for name, value in planned.fields.items():
        if name == "post":
            if official.post_id != (value.pk if value else None):
                return True
        elif getattr(official, name) != value:
            return True
    return False


def _resolve_posts(
    root: OrgUnit,
    sheet: Sheet,
    planned_rows: list[PlannedOfficial],
    post_names: dict[int, str],
    create_missing_posts: bool,
) -> None:
    """Find each named post in the official's unit or the nearest unit above it."""
    if not post_names:
        return
    unit_ids = {
        int(part) for planned in planned_rows for part in planned.unit.path.strip("/").split("/")
    }
    catalogue: dict[int, dict[str, Post]] = defaultdict(dict)
    for catalogued in Post.objects.filter(unit_id__in=unit_ids):
        catalogue[catalogued.unit_id].setdefault(normalize(catalogued.name), catalogued)
    for planned in planned_rows:
        name = post_names.get(id(planned))
        if name is None:
            continue
        if name == "":
            planned.fields["post"] = None
            continue
        wanted = normalize(name)
        lineage = [int(part) for part in planned.unit.path.strip("/").split("/")]
        post = next(
            (catalogue[uid][wanted] for uid in reversed(lineage) if wanted in catalogue[uid]),
            None,
        )
        if post is not None:
            planned.fields["post"] = post
        elif create_missing_posts:
            planned.new_post_name = name
            planned.fields["post"] = None
        else:
            sheet.error(
                planned.row,
                "post",
                _("no post named '%(name)s' in the catalogue of %(unit)s or of a unit above it")
                % {"name": name, "unit": planned.unit.name},
            )


def _match_officials(sheet: Sheet, planned_rows: list[PlannedOfficial]) -> None:
    """Rows with a staff code update that official; others add one (warn on same names)."""
    unit_ids = {planned.unit.pk for planned in planned_rows}
    codes = {planned.fields.get("staff_code") for planned in planned_rows} - {None, ""}
    existing: dict[tuple[int, str], Official] = {}
    if codes:
        for official in Official.objects.filter(unit_id__in=unit_ids, staff_code__in=codes):
            existing[(official.unit_id, official.staff_code)] = official
    names: dict[tuple[int, str], int] = defaultdict(int)
    for unit_id, full_name in Official.objects.filter(unit_id__in=unit_ids).values_list(
        "unit_id", "full_name"
    ):
        names[(unit_id, normalize(full_name))] += 1

    seen_codes: dict[tuple[int, str], int] = {}
    seen_names: dict[tuple[int, str], int] = {}
    for planned in planned_rows:
        code = planned.fields.get("staff_code") or ""
        name_key = (planned.unit.pk, normalize(planned.fields["full_name"]))
        if code:
            code_key = (planned.unit.pk, code)
            if code_key in seen_codes:
                sheet.error(
                    planned.row,
                    "staff_code",
                    _("the staff code '%(code)s' is already used for this unit in row %(row)s")
                    % {"code": code, "row": seen_codes[code_key]},
                )
                continue
            seen_codes[code_key] = planned.row
            planned.existing = existing.get(code_key)
        elif names[name_key] or name_key in seen_names:
            sheet.warning(
                planned.row,
                "full_name",
                _(
                    "an official named '%(name)s' is already in %(unit)s; without a staff code "
                    "this row adds another one"
                )
                % {"name": planned.fields["full_name"], "unit": planned.unit.name},
            )
        seen_names.setdefault(name_key, planned.row)
