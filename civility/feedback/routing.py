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

from django.core.exceptions import ValidationError
from django.db.models import CharField, F, FloatField, Func, Value
from django.db.models.functions import Cast, Concat, Length, Lower
from django.utils.translation import gettext as _

from civility.feedback import conf
from civility.orgs.models import COMMUNE_LEVEL_KINDS, OrgUnit, Place, UnitKind


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
    has_point = latitude is not None and longitude is not None
    # Only a name shared by several provinces' communes needs the point's province.
    farther = nearest_place_anywhere(latitude, longitude) if has_point and address else None
    named = commune_named_in(address, province=farther.unit.province if farther else None)
    if named is not None:
        return named
    if has_point:
        nearest = nearest_place(latitude, longitude, conf.routing_radius_m())
        if nearest is not None:
            return nearest.unit
        farther = farther or nearest_place_anywhere(latitude, longitude)
        if farther is not None and farther.unit.province is not None:
            return farther.unit.province
    provinces = OrgUnit.objects.filter(kind=UnitKind.PROVINCE, depth=0).current()
    unit = (
        provinces.order_by("pk").first() or OrgUnit.objects.filter(depth=0).order_by("pk").first()
    )
    if unit is None:
        raise ValidationError(_("No unit can receive reports yet."))
    return unit


def _folded(expression) -> Func:
    """Lower case, without diacritics (đ too), every run of other characters one space: the
    same fold on both sides, so "Phường Hoàn Kiếm" and "phuong  hoan-kiem" meet."""
    return Func(
        Lower(Func(expression, function="unaccent")),
        Value("[^a-z0-9]+"),
        Value(" "),
        Value("g"),
        function="regexp_replace",
        output_field=CharField(),
    )


def commune_named_in(address: str, *, province: OrgUnit | None = None) -> OrgUnit | None:
    """The current ward, commune or special zone whose whole name appears in `address`,
    ignoring case and diacritics, as whole words ("Phường Hoàn Kiếm" is not found in
    "phường Hoàn Kiếmx"). The longest name wins, so "Xã Sơn Đông" is not taken for "Xã Sơn"
    when both match. A name shared by communes of several provinces counts only within the
    province of the report's point; with no point it routes nowhere (the province reassigns).

    One query over the commune-level units (about 3,300 in the country), folded in SQL."""
    if not address.strip():
        return None
    candidates = (
        OrgUnit.objects.current()
        .filter(kind__in=COMMUNE_LEVEL_KINDS)
        .alias(
            haystack=Concat(
                Value(" "), _folded(Value(address[:500])), Value(" "), output_field=CharField()
            ),
            needle=Concat(Value(" "), _folded(F("name")), Value(" "), output_field=CharField()),
        )
        .filter(haystack__contains=F("needle"))
        .order_by(Length("name").desc(), "pk")
    )
    longest = list(candidates[:20])
    if not longest:
        return None
    best = [unit for unit in longest if len(unit.name) == len(longest[0].name)]
    if province is not None and len(best) > 1:
        best = [unit for unit in best if unit.path.startswith(province.path)]
    return best[0] if len(best) == 1 else None


def nearest_place(latitude, longitude, radius_m: int) -> Place | None:
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
        dy = (float(candidate.latitude) - lat) * k
        dx = (float(candidate.longitude) - lon) * k * cos_lat
        distance = math.hypot(dx, dy)
        if distance <= best_d:
            best, best_d = candidate, distance
    return best


def nearest_place_anywhere(latitude, longitude) -> Place | None:
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
