"""Which commune a citizen's public-place report goes to.

A report names its place in one of three ways: a known place (a QR code on the spot, or the
list), a point (the phone's location or typed coordinates), or an address typed by hand. A
place belongs to a commune; a point goes to the commune of the nearest known place; an address
goes to the ward, commune or special zone whose name it contains ("số 5 phố Hàng Bài, phường
Hoàn Kiếm"). What none of these settles goes to the province, whose coordinators reassign it.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import cast

from django.core.exceptions import ValidationError
from django.db.models import CharField, F, FloatField, Func, Value
from django.db.models.functions import Cast, Concat, Length
from django.utils.translation import gettext as _

from civility.feedback import conf
from civility.orgs.models import COMMUNE_LEVEL_KINDS, Folded, OrgUnit, Place, UnitKind


def route_report(
    *,
    place: Place | None,
    latitude: Decimal | None,
    longitude: Decimal | None,
    address: str = "",
) -> OrgUnit:
    """The commune responsible: the place's commune; else the commune the address names;
    else the commune of the nearest known place within the routing radius; else the
    province, whose coordinators reassign it: the province of the nearest known place at any
    distance (with several provinces on one deployment, a point in Son La never lands in
    Hanoi), or the first province.

    A named commune comes before a point because the point only finds the nearest *known*
    place, which near a boundary may lie in the next ward; the citizen who writes "phường
    Hoàn Kiếm" says which ward they mean."""
    if place is not None:
        return place.unit
    point = (latitude, longitude) if latitude is not None and longitude is not None else None
    # Only a name shared by several provinces' communes needs the point's province.
    farther = nearest_place_anywhere(*point) if point is not None and address else None
    named = commune_named_in(address, province=farther.unit.province if farther else None)
    if named is not None:
        return named
    if point is not None:
        nearest = nearest_place(*point, conf.routing_radius_m())
        if nearest is not None:
            return nearest.unit
        farther = farther or nearest_place_anywhere(*point)
        if farther is not None and farther.unit.province is not None:
            return farther.unit.province
    provinces = OrgUnit.objects.filter(kind=UnitKind.PROVINCE, depth=0).current()
    unit = (
        provinces.order_by("pk").first() or OrgUnit.objects.filter(depth=0).order_by("pk").first()
    )
    if unit is None:
        raise ValidationError(_("No unit can receive reports yet."))
    return unit


# How citizens write the kind of unit before its name, folded: "Phường"/"P.", "Xã"/"X.",
# "Đặc khu"/"ĐK". A name preceded by one of these is the unit the citizen means.
_PREFIXES: dict[str, tuple[str, ...]] = {
    UnitKind.WARD: ("phuong", "p"),
    UnitKind.COMMUNE: ("xa", "x"),
    UnitKind.SPECIAL_ZONE: ("dac khu", "dk"),
}
# A bare name right after one of these words is a street, a village or another kind of unit
# that shares the name ("phố Hàng Bài", "quận Hoàn Kiếm"), not the ward or commune.
_NOT_THE_UNIT = (
    *(prefix for prefixes in _PREFIXES.values() for prefix in prefixes),
    *("quan", "q", "huyen", "h", "thi xa", "tx", "thi tran", "tt", "tinh", "thanh pho", "tp"),
    *("pho", "duong", "d", "ngo", "ngach", "hem", "kiet", "thon", "ap", "ban", "to", "kp"),
)


def _words(expression: Value | F) -> Func:
    """Folded by the one fold (civility_fold: lower case, no diacritics, đ as d), every run
    of other characters one space, padded: "P.Hoàn  Kiếm" and "p hoan kiem" meet."""
    return Concat(
        Value(" "),
        Func(
            Folded(expression),
            Value("[^a-z0-9]+"),
            Value(" "),
            Value("g"),
            function="regexp_replace",
            output_field=CharField(),
        ),
        Value(" "),
        output_field=CharField(),
    )


def _how_named(address: str, kind: str, core: str) -> int:
    """2 when the address gives the unit's kind before its name ("p. hoan kiem"), 1 when it
    gives the name alone and the name has two words or more (one syllable such as "Sơn" is
    too common a word to route by) and no street or other kind of unit precedes it, else 0."""
    # `core`: the unit's name without its kind, folded and padded: " hoan kiem "
    if any(f" {prefix}{core}" in address for prefix in _PREFIXES.get(kind, ())):
        return 2
    if core.strip().count(" ") == 0:
        return 0
    at = address.find(core)
    while at != -1:
        if not any(address[:at].endswith(" " + word) for word in _NOT_THE_UNIT):
            return 1
        at = address.find(core, at + 1)
    return 0


def commune_named_in(address: str, *, province: OrgUnit | None = None) -> OrgUnit | None:
    """The current ward, commune or special zone that `address` names, as a citizen types
    it: "Phường Hoàn Kiếm", "P. Hoàn Kiếm", "p.hoan kiem", "phuong Hoan Kiem", "Xã"/"X."
    for a commune, or "Hoàn Kiếm" alone; case, diacritics, punctuation and spaces ignored,
    names as whole words ("Hoàn Kiếmx" is not "Hoàn Kiếm"). A name with its kind before it
    beats a bare name; then the longest name wins, so "Xã Sơn Đông" is not taken for "Xã
    Sơn". Two units that match equally are not guessed between (the province reassigns): a
    name shared by communes of several provinces counts only within the province of the
    report's point.

    One query over the commune-level units (about 3,300 in the country), folded in SQL;
    the few whose name appears are then ranked here."""
    if not address.strip():
        return None
    found = list(
        OrgUnit.objects.current()
        .filter(kind__in=COMMUNE_LEVEL_KINDS)
        .annotate(haystack=_words(Value(address[:500])))
        .annotate(
            core_name=Func(
                _words(F("name")),
                Value(r"^ (phuong|xa|dac khu|thi tran) "),
                Value(" "),
                function="regexp_replace",
                output_field=CharField(),
            )
        )
        .filter(haystack__contains=F("core_name"))
        .order_by(Length("core_name").desc(), "pk")[:50]
    )
    ranked = []
    for unit in found:
        # `haystack` and `core_name` come from the annotations above (the types do not know).
        haystack, core_name = cast(str, unit.haystack), cast(str, unit.core_name)  # type: ignore[attr-defined]
        rank = (_how_named(haystack, unit.kind, core_name), len(core_name))
        if rank[0] > 0:
            ranked.append((rank, unit))
    if not ranked:
        return None
    top = max(rank for rank, _unit in ranked)
    best = [unit for rank, unit in ranked if rank == top]
    if province is not None and len(best) > 1:
        best = [unit for unit in best if unit.path.startswith(province.path)]
    return best[0] if len(best) == 1 else None


def nearest_place(latitude: Decimal, longitude: Decimal, radius_m: int) -> Place | None:
    """Equirectangular distance in SQL: exact enough within a city, no PostGIS needed."""
    lat, lon = float(latitude), float(longitude)
    k = 111_320.0
    cos_lat = math.cos(math.radians(lat))
    delta = radius_m / k
    candidates = Place.objects.filter(
        latitude__isnull=False,
        latitude__range=(lat - delta, lat + delta),
        longitude__range=(lon - delta / max(cos_lat, 0.01), lon + delta / max(cos_lat, 0.01)),
    ).select_related("unit")
    best, best_d = None, float(radius_m)
    for candidate in candidates[:500]:
        if candidate.latitude is None or candidate.longitude is None:
            continue  # the query asked for both; the types do not know
        dy = (float(candidate.latitude) - lat) * k
        dx = (float(candidate.longitude) - lon) * k * cos_lat
        distance = math.hypot(dx, dy)
        if distance <= best_d:
            best, best_d = candidate, distance
    return best


def nearest_place_anywhere(latitude: Decimal, longitude: Decimal) -> Place | None:
    """The known place nearest to a point at any distance (squared equirectangular distance,
    ordered in SQL): which province a point far from every place lies in."""
    lat, lon = float(latitude), float(longitude)
    north = Cast("latitude", FloatField()) - lat
    east = (Cast("longitude", FloatField()) - lon) * math.cos(math.radians(lat))
    return (
        Place.objects.filter(latitude__isnull=False)
        .annotate(distance=north * north + east * east)
        .order_by("distance", "pk")
        .select_related("unit")
        .first()
    )
