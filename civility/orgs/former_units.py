"""The wards and communes of a province before 1 July 2025, and where each went.

A province's data file (`data/former_units/<code>.json`, made by `build_former_units_data`
from a pinned package, see that command) lists every former ward or commune with its former
district and its successors: today's communes and wards, by official code. A successor may
carry the share of the former unit it received and the basis of that share (area,
population); without one, the former unit is split equally among its successors and every
figure using the split says "estimate".

The import checks every row first and writes nothing when one is wrong (the messages name
the row); a dry run checks and counts, then rolls everything back.
"""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _
from unidecode import unidecode

from civility.core.audit import acting_as
from civility.core.jobs import NO_PROGRESS, Progress
from civility.orgs.history import SHARE_PLACES, equal_shares, replace_successions, shares_add_up
from civility.orgs.models import COMMUNE_LEVEL_KINDS, OrgUnit, ShareBasis, Succession, UnitKind

DATA_DIR = Path(__file__).resolve().parent / "data" / "former_units"
MEASURED_BASES = (ShareBasis.AREA, ShareBasis.POPULATION)
# Prefixes of unit names, longest first, so that "Thị xã Sơn Tây" folds to "son tay".
_PREFIXES = ("thanh pho ", "thi tran ", "thi xa ", "phuong ", "quan ", "huyen ", "xa ")


def fold_full(name: str) -> str:
    """A name without diacritics, case or hyphens: a township and a commune of one name
    ("Thị trấn Yên Viên", "Xã Yên Viên") stay two."""
    return " ".join(unidecode(name).lower().replace("-", " ").split())


def fold(name: str) -> str:
    """A name without diacritics, case, hyphens or administrative prefix, for matching
    ("Phường Văn Miếu-Quốc Tử Giám" and "Văn Miếu - Quốc Tử Giám" are one)."""
    text = fold_full(name)
    for prefix in _PREFIXES:
        if text.startswith(prefix):
            return text[len(prefix) :]
    return text


# English names as hanoi_2025.json writes them ("Quận Tây Hồ" -> "Tay Ho District").
_ENGLISH = {
    "phuong ": "Ward",
    "xa ": "Commune",
    "thi tran ": "Township",
    "quan ": "District",
    "huyen ": "District",
    "thi xa ": "Town",
    "thanh pho ": "City",
}


def english_name(name: str) -> str:
    text = " ".join(unidecode(name).split())
    for prefix, kind in _ENGLISH.items():
        if text.lower().startswith(prefix):
            return f"{text[len(prefix) :]} {kind}"
    return text


def data_file(province_code: str) -> Path:
    return DATA_DIR / f"{province_code}.json"


def read_data(path: Path) -> dict[str, Any]:
    """The data file as shipped; ValueError with a readable reason when it is not one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(_("No data file of former units: %(path)s") % {"path": path}) from None
    except json.JSONDecodeError as error:
        raise ValueError(
            _("The data file is not valid JSON (line %(line)s).") % {"line": error.lineno}
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("units"), list):
        raise ValueError(_("The data file has no list of units."))
    return data


def source_label(data: dict[str, Any]) -> str:
    """ "vietnam-address-converter 1.0.5 (admin_mapping_old_to_new_10_25.xlsx)": what the
    links cite as their source."""
    source = data.get("source") or {}
    label = " ".join(str(source[key]) for key in ("name", "version") if source.get(key))
    if source.get("dataset"):
        label += f" ({source['dataset']})"
    return label[:255]


@dataclass
class FormerUnitsResult:
    province: str
    source: str
    dry_run: bool = False
    errors: list[str] = field(default_factory=list)
    rows: int = 0
    districts_created: int = 0
    units_created: int = 0
    units_updated: int = 0
    links: int = 0
    estimates: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "province": self.province,
            "source": self.source,
            "dry_run": self.dry_run,
            "errors": self.errors,
            "rows": self.rows,
            "districts_created": self.districts_created,
            "units_created": self.units_created,
            "units_updated": self.units_updated,
            "links": self.links,
            "estimates": self.estimates,
        }


@dataclass
class _Row:
    number: int
    district: str
    name: str
    links: list[tuple[OrgUnit, Decimal, str]]  # (successor, share, ShareBasis value)


def _check_row(
    number: int, raw: object, today_units: dict[str, OrgUnit], errors: list[str]
) -> _Row | None:
    def error(message: str, **params: object) -> None:
        errors.append(_("Row %(row)s: ") % {"row": number} + message % params)

    if not isinstance(raw, dict):
        error(_("not a unit"))
        return None
    name = " ".join(str(raw.get("name") or "").split())
    district = " ".join(str(raw.get("district") or "").split())
    if not name:
        error(_("the name is missing"))
    if not district:
        error(_("the former district is missing"))
    successors = raw.get("successors")
    if not isinstance(successors, list) or not successors:
        error(_("no successor is given"))
        return None
    units, shares, bases = [], [], []
    for item in successors:
        item = item if isinstance(item, dict) else {}
        code = str(item.get("code") or "").strip()
        unit = today_units.get(code) if code else today_units.get(fold(str(item.get("name", ""))))
        if unit is None:
            error(
                _("the successor %(successor)s is not a commune or ward of the province today"),
                successor=code or item.get("name") or "?",
            )
            continue
        if unit in units:
            error(_("the successor %(successor)s is given twice"), successor=unit.name)
        units.append(unit)
        shares.append(item.get("share"))
        bases.append(item.get("basis") or "")
    if len(units) != len(successors) or not name or not district:
        return None
    links: list[tuple[OrgUnit, Decimal, str]]
    if all(share in (None, "") for share in shares):
        links = [
            (unit, share, ShareBasis.ESTIMATE.value)
            for unit, share in zip(units, equal_shares(len(units)), strict=True)
        ]
        return _Row(number, district, name, links)
    links = []
    for unit, share, basis in zip(units, shares, bases, strict=True):
        try:
            value = Decimal(str(share)).quantize(SHARE_PLACES, ROUND_HALF_UP)
        except (InvalidOperation, ValueError):
            error(_("the share of %(successor)s is not a number"), successor=unit.name)
            continue
        if not Decimal(0) < value <= Decimal(1):
            error(
                _("the share of %(successor)s must be more than 0 and at most 1"),
                successor=unit.name,
            )
            continue
        if basis not in MEASURED_BASES:
            error(
                _("the share of %(successor)s needs its basis: area or population"),
                successor=unit.name,
            )
            continue
        links.append((unit, value, basis))
    if len(links) != len(units):
        return None
    if not shares_add_up(share for _unit, share, _basis in links):
        total = sum((share for _unit, share, _basis in links), Decimal(0))
        error(_("the shares add up to %(total)s, not 1"), total=total.normalize())
        return None
    return _Row(number, district, name, links)


def import_former_units(
    *,
    actor: User | None,
    province_code: str,
    data: dict[str, Any],
    dry_run: bool = False,
    progress: Progress | None = None,
) -> FormerUnitsResult:
    """Create or update a province's former wards and communes, their former districts, and
    their successions; all rows or none. Also gives each former district touched its
    shares in today's units, from its wards' (an estimate: each ward weighs the same),
    unless the district's shares have a measured basis."""
    from civility.orgs.actions import ensure_can_manage  # actions.py starts this import

    progress = progress or NO_PROGRESS
    source = source_label(data)
    result = FormerUnitsResult(province=province_code, source=source, dry_run=dry_run)
    province = OrgUnit.objects.filter(kind=UnitKind.PROVINCE, code=province_code).first()
    if province is None:
        result.errors.append(
            _("The province %(code)s is not in the tree yet: import its units first.")
            % {"code": province_code}
        )
        return result
    if actor is not None:
        ensure_can_manage(actor, province)
    if data.get("province") != province_code:
        result.errors.append(
            _("The data file is for the province %(other)s, not %(code)s.")
            % {"other": data.get("province"), "code": province_code}
        )
        return result
    try:
        valid_to = datetime.date.fromisoformat(str(data.get("valid_to")))
    except ValueError:
        result.errors.append(_("The data file has no valid end date (valid_to)."))
        return result

    today_units: dict[str, OrgUnit] = {}
    for unit in OrgUnit.objects.subtree_of(province).filter(kind__in=COMMUNE_LEVEL_KINDS):
        if unit.valid_to is None:
            today_units[unit.code] = unit
            today_units.setdefault(fold(unit.name), unit)

    rows: list[_Row] = []
    seen: dict[tuple[str, str], int] = {}
    for number, raw in enumerate(data["units"], start=1):
        row = _check_row(number, raw, today_units, result.errors)
        if row is None:
            continue
        key = (fold(row.district), fold_full(row.name))
        if key in seen:
            result.errors.append(
                _("Row %(row)s: %(name)s of %(district)s is already on row %(first)s")
                % {"row": number, "name": row.name, "district": row.district, "first": seen[key]}
            )
            continue
        seen[key] = number
        rows.append(row)
    result.rows = len(data["units"])
    if result.errors:
        return result

    with transaction.atomic(), acting_as(actor):
        _write(result, province, rows, valid_to=valid_to, source=source, progress=progress)
        if dry_run:
            transaction.set_rollback(True)
    return result


def _write(
    result: FormerUnitsResult,
    province: OrgUnit,
    rows: list[_Row],
    *,
    valid_to: datetime.date,
    source: str,
    progress: Progress,
) -> None:
    progress.start(len(rows), _("Writing the former units"))
    districts = {
        fold(unit.name): unit
        for unit in OrgUnit.objects.filter(parent=province, kind=UnitKind.FORMER_DISTRICT)
    }
    former = {
        (unit.parent_id, fold_full(unit.name)): unit
        for unit in OrgUnit.objects.filter(
            parent__in=districts.values(), kind__in=COMMUNE_LEVEL_KINDS
        )
    }
    wards_of: dict[int, list[_Row]] = defaultdict(list)
    for index, row in enumerate(rows, start=1):
        district = districts.get(fold(row.district))
        if district is None:
            district = OrgUnit.objects.create(
                parent=province,
                kind=UnitKind.FORMER_DISTRICT,
                name=row.district,
                name_en=english_name(row.district),
                valid_to=valid_to,
            )
            districts[fold(row.district)] = district
            result.districts_created += 1
        wanted = {"kind": kind_of(row.name), "valid_to": valid_to}
        unit = former.get((district.pk, fold_full(row.name)))
        if unit is None:
            unit = OrgUnit.objects.create(
                parent=district, name=row.name, name_en=english_name(row.name), **wanted
            )
            result.units_created += 1
        elif any(getattr(unit, key) != value for key, value in wanted.items()):
            for key, value in wanted.items():
                setattr(unit, key, value)
            unit.save(update_fields=[*wanted, "updated_at"])
            result.units_updated += 1
        replace_successions(unit, row.links, source=source)
        result.links += len(row.links)
        result.estimates += sum(1 for link in row.links if link[2] == ShareBasis.ESTIMATE)
        wards_of[district.pk].append(row)
        if index % 50 == 0:
            progress.advance(50)
    _share_districts(districts, wards_of, source=source)
    progress.update(done=len(rows))


def kind_of(name: str) -> str:
    """A "Phường" is a ward; a "Xã" or a "Thị trấn" (township, a kind that ended in 2025)
    counts as a commune."""
    return UnitKind.WARD if unidecode(name).lower().startswith("phuong ") else UnitKind.COMMUNE


def _share_districts(
    districts: dict[str, OrgUnit], wards_of: dict[int, list[_Row]], *, source: str
) -> None:
    """Each former district's share in today's units, its wards weighing the same."""
    measured = set(
        Succession.objects.exclude(basis=ShareBasis.ESTIMATE)
        .filter(predecessor__in=list(wards_of))
        .values_list("predecessor_id", flat=True)
    )
    by_pk = {unit.pk: unit for unit in districts.values()}
    for district_pk, rows in wards_of.items():
        if district_pk in measured:
            continue
        totals: dict[int, Decimal] = defaultdict(Decimal)
        units: dict[int, OrgUnit] = {}
        for row in rows:
            for unit, share, _basis in row.links:
                totals[unit.pk] += share / len(rows)
                units[unit.pk] = unit
        ordered = sorted(totals, key=lambda pk: units[pk].name)
        shares = [totals[pk].quantize(SHARE_PLACES, ROUND_HALF_UP) for pk in ordered]
        shares[-1] = Decimal(1) - sum(shares[:-1], Decimal(0))  # exactly 1 in all
        replace_successions(
            by_pk[district_pk],
            [
                (units[pk], share, ShareBasis.ESTIMATE)
                for pk, share in zip(ordered, shares, strict=True)
                if share > 0
            ],
            source=source,
        )
