"""What belongs to one province when several share a deployment (Hanoi, Son La, ...).

Each province is a root of the unit tree, so every scoped query keeps provinces apart by
itself. Two things need care:

- **Data Civility ships** (codes of conduct, the violation catalogue, checklists, award
  titles) written for one province: each shipped item is keyed by the official code of the
  province it was written for, and is never offered to or loaded for another.
- **Words on documents**: the place name, the kind of province ("thành phố" or "tỉnh") and
  the authority printed in letterheads come from the unit's province and its profile
  (civility.orgs.profile), never from a constant.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from civility.orgs.admin_units import base_name
from civility.orgs.models import OrgUnit, UnitKind
from civility.orgs.policies import policy
from civility.orgs.profile import AUTHORITY_NAME
from civility.orgs.scopes import Reader, scope_of

CITY_PREFIX = "Thành phố "


def province_code(unit: OrgUnit) -> str:
    """The official code of the unit's province ("01" for Hanoi); empty outside a province."""
    province = unit.province
    return province.code if province is not None else ""


def shipped_for(unit: OrgUnit, shipped: Mapping[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The shipped items (seed names) written for the unit's province; none for another."""
    return shipped.get(province_code(unit), ())


def provinces_shipped_for(
    user: Reader, roles: tuple[str, ...], shipped: Mapping[str, tuple[str, ...]]
) -> list[tuple[OrgUnit, tuple[str, ...]]]:
    """The provinces where the user holds one of `roles`, by name, each with the items shipped
    for it; a province with none is left out (what a page offers to load)."""
    provinces = OrgUnit.objects.filter(
        scope_of(user).q("path", roles=roles), kind=UnitKind.PROVINCE
    ).order_by("name")
    return [(unit, items) for unit in provinces if (items := shipped_for(unit, shipped))]


def ensure_shipped_for(unit: OrgUnit, item: str, shipped: Mapping[str, tuple[str, ...]]) -> None:
    """Refuse to load a shipped item for a unit of another province than the item's own."""
    if item not in shipped_for(unit, shipped):
        raise ValidationError(
            {
                "unit": _(
                    "“%(item)s” was written for another province; it cannot be loaded for %(unit)s."
                )
                % {"item": item, "unit": unit.display_name}
            }
        )


def is_centrally_run_city(province: OrgUnit) -> bool:
    """Hanoi, Ho Chi Minh City...: their titles and documents say "thành phố", not "tỉnh"."""
    return province.name.startswith(CITY_PREFIX)


def place_name(unit: OrgUnit, language: str = "vi") -> str:
    """The name of the unit's province as documents print it before the date ("Hà Nội",
    "Sơn La"); empty outside a province."""
    province = unit.province
    if province is None:
        return ""
    if language == "en" and province.name_en:
        return province.name_en.removesuffix(" City").removesuffix(" Province")
    return base_name(province.name)


def superior_line(unit: OrgUnit, language: str, *, on: datetime.date) -> str:
    """The body printed above the issuing unit in a letterhead (Decree 30/2020/NĐ-CP): the
    parent unit's name in capitals; under a province, the authority its profile names
    ("ỦY BAN NHÂN DÂN TỈNH SƠN LA") when it recorded one."""
    parent = unit.parent
    if parent is None:
        return ""
    if language != "en" and parent.pk == getattr(unit.province, "pk", None):
        authority = policy(AUTHORITY_NAME.key, unit=parent, on=on).value
        if authority:
            return str(authority).upper()
    name = (parent.name_en or parent.name) if language == "en" else parent.name
    return name.upper()
