"""Import of the official administrative units in force since 1 July 2025.

The source is the `vietnam-provinces` package (34 provinces and centrally-run cities, 3,321
wards, communes and special zones, with their national statistical codes). For each province
the import creates or updates:

- the province unit (kind PROVINCE, 2-digit code "01");
- one unit per commune-level division (WARD / COMMUNE / SPECIAL_ZONE, 5-digit code "00070");
- optionally its Public Administration Service Center with one service point per commune
  (the 2025 reform moved the one-stop service points of every province under such a center);
- where a data file is listed in FORMER_DISTRICT_FILES (only Hanoi today), the former
  districts as historical units, valid until 30 June 2025.

Units are matched on their kind and code, so a second run creates nothing and only writes
names that changed. The writes are bulk statements (all 34 provinces take a few seconds),
which means django-auditlog records no event per unit; the command prints a summary instead.
`name` follows the package; `name_en` is derived on creation and filled in when empty, but a
translation someone typed by hand is kept.
"""

from __future__ import annotations

import datetime
import json
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from unidecode import unidecode
from vietnam_provinces import Province, ProvinceCode, VietNamDivisionType, Ward

from civility.core.i18n import format_number
from civility.orgs.history import equal_shares, replace_successions
from civility.orgs.models import COMMUNE_LEVEL_KINDS, OrgUnit, ShareBasis, Succession, UnitKind

REFORM_DATE = datetime.date(2025, 7, 1)
DATA_DIR = Path(__file__).resolve().parent / "data"
# Former district-level units are only shipped for the provinces listed here.
FORMER_DISTRICT_FILES = {"01": "hanoi_2025.json"}
# Where a link made by name alone comes from; its shares are an equal split (estimate).
NAME_LINK_SOURCE = "Same name, or successor_codes of the former districts data file"

COMMUNE_KIND = {
    VietNamDivisionType.PHUONG: UnitKind.WARD,
    VietNamDivisionType.XA: UnitKind.COMMUNE,
    VietNamDivisionType.DAC_KHU: UnitKind.SPECIAL_ZONE,
}
ENGLISH_SUFFIX = {
    UnitKind.WARD: "Ward",
    UnitKind.COMMUNE: "Commune",
    UnitKind.SPECIAL_ZONE: "Special Zone",
}
_NAME_PREFIXES = ("Thành phố ", "Tỉnh ", "Phường ", "Xã ", "Đặc khu ", "Quận ", "Huyện ", "Thị xã ")


@dataclass
class Tally:
    created: int = 0
    updated: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated


@dataclass
class ProvinceReport:
    code: str
    name: str
    province: OrgUnit
    communes: int = 0
    commune_tally: Tally = field(default_factory=Tally)
    former_districts: int = 0
    district_tally: Tally = field(default_factory=Tally)
    successor_links_added: int = 0
    service_points: int = 0
    service_tally: Tally = field(default_factory=Tally)

    def summary(self) -> str:
        parts = [
            _("%(name)s: communes %(count)s (%(created)s new, %(updated)s updated)")
            % {
                "name": self.name,
                "count": format_number(self.communes),
                "created": format_number(self.commune_tally.created),
                "updated": format_number(self.commune_tally.updated),
            }
        ]
        if self.former_districts:
            parts.append(
                _(
                    "former districts %(count)s (%(created)s new, %(updated)s updated, "
                    "successor links added %(links)s)"
                )
                % {
                    "count": format_number(self.former_districts),
                    "created": format_number(self.district_tally.created),
                    "updated": format_number(self.district_tally.updated),
                    "links": format_number(self.successor_links_added),
                }
            )
        if self.service_points:
            parts.append(
                _(
                    "service center and service points %(count)s "
                    "(%(created)s new, %(updated)s updated)"
                )
                % {
                    "count": format_number(self.service_points),
                    "created": format_number(self.service_tally.created),
                    "updated": format_number(self.service_tally.updated),
                }
            )
        return "; ".join(parts)


def normalize_province_code(value: str | int) -> str:
    """ "1", "01" or 1 -> "01"; ValueError for anything that is not one of the 34 codes."""
    text = str(value).strip()
    if not text.isdigit():
        raise ValueError(
            _("%(value)s is not a province code (two digits, e.g. 01).") % {"value": text}
        )
    try:
        ProvinceCode(int(text))
    except ValueError:
        raise ValueError(
            _("%(value)s is not one of the 34 province codes.") % {"value": text}
        ) from None
    return f"{int(text):02d}"


def all_province_codes() -> list[str]:
    return sorted(f"{int(province.code):02d}" for province in Province.iter_all())


def base_name(name: str) -> str:
    """The name without its administrative prefix: "Phường Tây Hồ" -> "Tây Hồ"."""
    name = unicodedata.normalize("NFC", name.strip())
    for prefix in _NAME_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def province_names(province: Province) -> tuple[str, str]:
    """Vietnamese and English names: ("Tỉnh Cao Bằng", "Cao Bang Province")."""
    if province.division_type == VietNamDivisionType.THANH_PHO_TRUNG_UONG:
        name = (
            province.name
            if province.name.startswith("Thành phố ")
            else ("Thành phố " + province.name)
        )
        return name, f"{unidecode(base_name(name))} City"
    name = province.name if province.name.startswith("Tỉnh ") else "Tỉnh " + province.name
    return name, f"{unidecode(base_name(name))} Province"


@dataclass(frozen=True)
class _Spec:
    """What one unit should look like; `fields` are the ones the import owns."""

    kind: str
    code: str
    fields: dict[str, object]


def _sync(specs: list[_Spec], *, match_kinds: Iterable[str]) -> tuple[dict[str, OrgUnit], Tally]:
    """Create missing units and update changed ones, matching on code within `match_kinds`.

    `name_en` in a spec is only a default: it is written when the unit has none.
    """
    tally = Tally()
    existing = {
        unit.code: unit
        for unit in OrgUnit.objects.filter(
            kind__in=list(match_kinds), code__in=[spec.code for spec in specs]
        )
    }
    new: list[OrgUnit] = []
    changed: list[OrgUnit] = []
    update_fields: set[str] = set()
    for spec in specs:
        unit = existing.get(spec.code)
        if unit is None:
            unit = OrgUnit(kind=spec.kind, code=spec.code, **spec.fields)
            new.append(unit)
            existing[spec.code] = unit
            continue
        dirty = set()
        if unit.kind != spec.kind:
            unit.kind = spec.kind
            dirty.add("kind")
        for name, value in spec.fields.items():
            if name == "name_en" and unit.name_en:
                continue
            attname = f"{name}_id" if name in ("parent", "serves") else name
            current = getattr(unit, attname)
            wanted = value.pk if isinstance(value, OrgUnit) else value
            if current != wanted:
                setattr(unit, name, value)
                dirty.add(name)
        if dirty:
            changed.append(unit)
            update_fields |= dirty
    if new:
        # `path` and `depth` have database defaults, so PostgreSQL returns the values the
        # path trigger computed and the new objects are complete.
        OrgUnit.objects.bulk_create(new)
        tally.created = len(new)
    if changed:
        OrgUnit.objects.bulk_update(changed, sorted(update_fields | {"updated_at"}))
        tally.updated = len(changed)
    return existing, tally


def _former_districts(code: str) -> dict[str, Any] | None:
    filename = FORMER_DISTRICT_FILES.get(code)
    if filename is None:
        return None
    data: dict[str, Any] = json.loads((DATA_DIR / filename).read_text(encoding="utf-8"))
    return data


def _import_province(code: str, *, service_points: bool) -> ProvinceReport:
    province = Province.from_code(ProvinceCode(int(code)))
    name, name_en = province_names(province)
    units, _tally = _sync(
        [_Spec(UnitKind.PROVINCE, code, {"name": name, "name_en": name_en, "parent": None})],
        match_kinds=[UnitKind.PROVINCE],
    )
    city = units[code]
    report = ProvinceReport(code=code, name=base_name(name), province=city)

    wards = sorted(Ward.iter_by_province(province.code), key=lambda ward: int(ward.code))
    commune_specs = []
    for ward in wards:
        kind = COMMUNE_KIND[ward.division_type]
        commune_specs.append(
            _Spec(
                kind,
                f"{int(ward.code):05d}",
                {
                    "name": ward.name,
                    "name_en": f"{unidecode(base_name(ward.name))} {ENGLISH_SUFFIX[kind]}",
                    "parent": city,
                    "valid_from": REFORM_DATE,
                },
            )
        )
    communes, report.commune_tally = _sync(commune_specs, match_kinds=COMMUNE_LEVEL_KINDS)
    report.communes = len(commune_specs)

    districts = _former_districts(code)
    if districts is not None:
        _import_former_districts(report, districts, city=city, communes=communes)
    if service_points:
        _import_service_points(report, city=city, communes=communes, specs=commune_specs)
    return report


def _import_former_districts(
    report: ProvinceReport, data: dict[str, Any], *, city: OrgUnit, communes: dict[str, OrgUnit]
) -> None:
    """The abolished districts, kept so that earlier data stays readable.

    The package has no territorial mapping from districts to the new communes, so successor
    links are partial: a district is linked to the commune or ward carrying the same name
    ("Quận Tây Hồ" -> "Phường Tây Hồ") and to any `successor_codes` the data file lists.
    Links added by hand are never removed. The shares of a district whose links changed
    become an equal split (an estimate), unless it has a share with a real basis (area,
    population), which is left as it is.
    """
    valid_to = datetime.date.fromisoformat(data["valid_to"])
    rows = data["former_districts"]
    specs = [
        _Spec(
            UnitKind.FORMER_DISTRICT,
            row["code"],
            {"name": row["name"], "name_en": row["name_en"], "parent": city, "valid_to": valid_to},
        )
        for row in rows
    ]
    districts, report.district_tally = _sync(specs, match_kinds=[UnitKind.FORMER_DISTRICT])
    report.former_districts = len(specs)

    by_name = {base_name(unit.name).casefold(): unit for unit in communes.values()}
    wanted: set[tuple[int, int]] = set()
    for row in rows:
        district = districts[row["code"]]
        successor = by_name.get(base_name(row["name"]).casefold())
        if successor is not None:
            wanted.add((district.pk, successor.pk))
        for successor_code in row.get("successor_codes", []):
            wanted.add((district.pk, communes[successor_code].pk))
    present = set(
        Succession.objects.filter(
            predecessor_id__in=[source for source, _target in wanted]
        ).values_list("predecessor_id", "successor_id")
    )
    missing = sorted(wanted - present)
    by_district: dict[int, list[int]] = {}
    for source, target in present | wanted:
        by_district.setdefault(source, []).append(target)
    units = OrgUnit.objects.in_bulk({pk for pks in by_district.values() for pk in pks})
    measured = set(
        Succession.objects.exclude(basis=ShareBasis.ESTIMATE).values_list(
            "predecessor_id", flat=True
        )
    )
    for district in districts.values():
        changed = any(source == district.pk for source, _target in missing)
        if changed and district.pk not in measured:
            targets = [units[pk] for pk in sorted(by_district[district.pk])]
            links = zip(targets, equal_shares(len(targets)), strict=True)
            replace_successions(
                district,
                [(unit, share, ShareBasis.ESTIMATE) for unit, share in links],
                source=NAME_LINK_SOURCE,
            )
    report.successor_links_added = len(missing)


def _import_service_points(
    report: ProvinceReport, *, city: OrgUnit, communes: dict[str, OrgUnit], specs: list[_Spec]
) -> None:
    """The province's Public Administration Service Center and one point per commune.

    Service points carry the code of the commune they serve (unique within their kind).
    """
    center_specs = [
        _Spec(
            UnitKind.SERVICE_CENTER,
            report.code,
            {
                "name": f"Trung tâm Phục vụ hành chính công {city.name}",
                "name_en": f"{city.name_en} Public Administration Service Center",
                "parent": city,
                "valid_from": REFORM_DATE,
            },
        )
    ]
    centers, center_tally = _sync(center_specs, match_kinds=[UnitKind.SERVICE_CENTER])
    center = centers[report.code]
    point_specs = []
    for spec in specs:
        commune = communes[spec.code]
        point_specs.append(
            _Spec(
                UnitKind.SERVICE_POINT,
                spec.code,
                {
                    "name": f"Điểm Phục vụ hành chính công {commune.name}",
                    "name_en": f"{commune.name_en} Public Administration Service Point",
                    "parent": center,
                    "serves": commune,
                    "valid_from": REFORM_DATE,
                },
            )
        )
    _points, point_tally = _sync(point_specs, match_kinds=[UnitKind.SERVICE_POINT])
    report.service_points = len(point_specs)
    report.service_tally = Tally(
        created=center_tally.created + point_tally.created,
        updated=center_tally.updated + point_tally.updated,
    )


@transaction.atomic
def import_admin_units(
    *, provinces: Iterable[str | int] | None = None, service_points: bool = True
) -> list[ProvinceReport]:
    """Import the given provinces (all 34 when None); all or nothing.

    Raises ValueError naming the bad value when a province code is unknown.
    """
    codes = (
        all_province_codes()
        if provinces is None
        else list(dict.fromkeys(normalize_province_code(code) for code in provinces))
    )
    return [_import_province(code, service_points=service_points) for code in codes]
