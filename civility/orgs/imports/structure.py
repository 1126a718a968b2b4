"""Checking a file of units against the tree under the unit it is imported into."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models.functions import Upper
from django.utils.translation import gettext as _

from civility.orgs.imports.cells import Sheet, code_key, parse_date
from civility.orgs.imports.columns import IMPORTABLE_KINDS, STRUCTURE_COLUMNS, vocabulary_of
from civility.orgs.imports.files import ImportResult, Table
from civility.orgs.models import OrgUnit, UnitKind

Key = tuple[str, str]  # (kind, upper-case code)


@dataclass
class PlannedUnit:
    row: int
    key: Key
    code: str
    fields: dict[str, Any]  # name, name_en, valid_from as given (only columns in the file)
    parent: Key | None  # None: directly under the root; absent column: keep existing parent
    keep_parent: bool
    existing: OrgUnit | None = None
    action: str = "create"  # create, update, unchanged


@dataclass
class StructurePlan:
    root: OrgUnit
    units: list[PlannedUnit]  # parents before children
    existing: dict[Key, OrgUnit]
    result: ImportResult


def plan_structure(*, root: OrgUnit, table: Table) -> StructurePlan:
    sheet = Sheet(table, STRUCTURE_COLUMNS)
    result = ImportResult(errors=sheet.errors, warnings=sheet.warnings)
    plan = StructurePlan(root=root, units=[], existing={}, result=result)
    if sheet.errors:
        return plan
    kinds = vocabulary_of(IMPORTABLE_KINDS, UnitKind)

    subtree = list(OrgUnit.objects.subtree_of(root, include_self=False))
    existing = {(u.kind, code_key(u.code)): u for u in subtree if u.code}
    plan.existing = existing
    root_key = (root.kind, code_key(root.code)) if root.code else None
    codes_in_tree: dict[str, set[Key]] = defaultdict(set)
    for key in existing:
        codes_in_tree[key[1]].add(key)

    # 1. Each row on its own.
    rows: dict[Key, PlannedUnit] = {}
    parent_codes: dict[Key, str] = {}
    for number, values in table.rows:
        errors_before = len(sheet.errors)
        code = sheet.value(number, values, "code")
        name = sheet.value(number, values, "name")
        name_en = sheet.value(number, values, "name_en")
        kind = sheet.choice(
            number,
            values,
            "kind",
            kinds,
            _("'%(value)s' is not a kind of unit that can be imported"),
        )
        parent_code = sheet.value(number, values, "parent_code")
        valid_from = sheet.value(number, values, "valid_from", parse_date)
        if kind is None or len(sheet.errors) > errors_before:
            continue
        key = (kind, code_key(code))
        if key in rows:
            sheet.error(
                number,
                "code",
                _("the code '%(code)s' for this kind is already used in row %(row)s")
                % {"code": code, "row": rows[key].row},
            )
            continue
        if key == root_key:
            sheet.error(number, "code", _("this is the unit you are importing into"))
            continue
        fields: dict[str, Any] = {"name": name}
        if sheet.has("name_en"):
            fields["name_en"] = name_en
        if sheet.has("valid_from"):
            fields["valid_from"] = valid_from
        rows[key] = PlannedUnit(
            row=number,
            key=key,
            code=code,
            fields=fields,
            parent=None,
            keep_parent=not sheet.has("parent_code"),
            existing=existing.get(key),
        )
        if parent_code:
            parent_codes[key] = parent_code

    for key in rows:
        codes_in_tree[key[1]].add(key)

    # 2. Codes used elsewhere, parents, and validity against the database.
    taken = _codes_taken_outside(root, [k for k in rows if k not in existing])
    for key, planned in rows.items():
        if key in taken:
            sheet.error(
                planned.row,
                "code",
                _(
                    "the code '%(code)s' is already used by another unit of this kind outside "
                    "this unit"
                )
                % {"code": planned.code},
            )
        text = parent_codes.get(key)
        if text is None:
            continue
        candidates = codes_in_tree.get(code_key(text), set())
        if root.code and code_key(text) == code_key(root.code):
            candidates = candidates | {("__root__", "")}
        if not candidates:
            sheet.error(
                planned.row,
                "parent_code",
                _("no unit with code '%(code)s' exists under this unit or in the file")
                % {"code": text},
            )
        elif len(candidates) > 1:
            sheet.error(
                planned.row,
                "parent_code",
                _("the code '%(code)s' belongs to several units of different kinds")
                % {"code": text},
            )
        else:
            (parent,) = candidates
            if parent == key:
                sheet.error(planned.row, "parent_code", _("a unit cannot be its own parent"))
            planned.parent = None if parent[0] == "__root__" else parent
        valid_from = planned.fields.get("valid_from")
        unit = planned.existing
        if unit and valid_from and unit.valid_to and valid_from > unit.valid_to:
            sheet.error(
                planned.row,
                "valid_from",
                _("is after the day the unit ended (%(day)s)")
                % {"day": unit.valid_to.strftime("%d/%m/%Y")},
            )
    if sheet.errors:
        return plan

    # 3. The tree the file asks for must have no cycle; order parents before children.
    # Units without a code cannot be in the file but can sit between two that are.
    node = {u.pk: (u.kind, code_key(u.code)) if u.code else ("#", str(u.pk)) for u in subtree}
    final_parent: dict[Key, Key | None] = {
        node[u.pk]: node.get(u.parent_id) if u.parent_id is not None else None
        for u in subtree  # None: the root
    }
    for key, planned in rows.items():
        if planned.keep_parent and planned.existing:
            continue
        final_parent[key] = planned.parent
    order = _parents_first(rows, final_parent, sheet)
    if sheet.errors:
        return plan

    for key in order:
        planned = rows[key]
        unit = planned.existing
        if unit is None:
            result.created += 1
            planned.action = "create"
        elif _unit_changes(planned, unit, existing, root):
            result.updated += 1
            planned.action = "update"
        else:
            result.unchanged += 1
            planned.action = "unchanged"
        plan.units.append(planned)
    return plan


def _codes_taken_outside(root: OrgUnit, keys: list[Key]) -> set[Key]:
    if not keys:
        return set()
    codes = {code for _kind, code in keys}
    taken = (
        OrgUnit.objects.exclude(path__startswith=root.path)
        .annotate(upper_code=Upper("code"))
        .filter(upper_code__in=codes)
        .values_list("kind", "code")
    )
    found = {(kind, code_key(code)) for kind, code in taken}
    return found & set(keys)


def _parents_first(
    rows: dict[Key, PlannedUnit], final_parent: dict[Key, Key | None], sheet: Sheet
) -> list[Key]:
    order: list[Key] = []
    state: dict[Key, str] = {}
    for start in rows:
        if state.get(start) == "done":
            continue
        chain: list[Key] = []
        key: Key | None = start
        while key is not None and state.get(key) != "done":
            if state.get(key) == "visiting":
                cycle = chain[chain.index(key) :]
                for member in cycle:
                    if member in rows and state.get(member) != "done":
                        sheet.error(
                            rows[member].row,
                            "parent_code",
                            _("the parent codes form a cycle (%(codes)s)")
                            % {"codes": " → ".join(k[1] for k in [*cycle, key])},
                        )
                for member in chain:
                    state[member] = "done"
                return order
            state[key] = "visiting"
            chain.append(key)
            key = final_parent.get(key)
        for member in reversed(chain):
            state[member] = "done"
            if member in rows:
                order.append(member)
    return order


def _unit_changes(
    planned: PlannedUnit, unit: OrgUnit, existing: dict[Key, OrgUnit], root: OrgUnit
) -> bool:
    for name, value in planned.fields.items():
        if getattr(unit, name) != value:
            return True
    if planned.keep_parent:
        return False
    if planned.parent is None:
        return unit.parent_id != root.pk
    target = existing.get(planned.parent)
    return target is None or unit.parent_id != target.pk
