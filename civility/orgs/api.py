"""API for the organisation: units, public places and officials.

Every read is scoped with `visible_to(request.user)`; an object outside the caller's scope is
404, so its existence does not leak. Writes call the same actions as the pages.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Status

# ninja.Query's own function: mypy sees ninja.Query as a type (for `x: Query[Schema]`).
from ninja.params.functions import Query as query_param

from civility.core.api_lists import (
    Limit,
    Offset,
    Ordering,
    UnitFilter,
    UpdatedSince,
    changed_since,
    ordered,
    paginate,
)
from civility.core.http import AuthenticatedRequest
from civility.core.schemas import READ_ERRORS, WRITE_ERRORS
from civility.orgs.actions import create_official, ensure_can_manage, update_official
from civility.orgs.models import (
    Official,
    OrgUnit,
    Place,
    PlaceKind,
    Post,
    StaffCategory,
    UnitKind,
)
from civility.orgs.schemas import (
    OfficialCreate,
    OfficialOut,
    OfficialPage,
    OfficialPatch,
    PlaceOut,
    PlacePage,
    UnitOut,
    UnitPage,
)

router = Router()


# Model field names in validation errors, as the API calls them.
API_FIELD_NAMES = {"unit": "unit_id", "post": "post_id"}
# Fields a PATCH may leave out but may not set to null.
NOT_NULL_FIELDS = (
    "unit_id",
    "full_name",
    "staff_category",
    "is_leader",
    "agency_role",
    "email",
    "phone",
    "staff_code",
)

UNIT_ORDERING = {"path": ("path",), "name": ("name",), "updated_at": ("updated_at",)}
PLACE_ORDERING = {"name": ("name",), "updated_at": ("updated_at",)}
OFFICIAL_ORDERING = {
    "full_name": ("full_name",),
    "staff_code": ("staff_code",),
    "updated_at": ("updated_at",),
}

Search = query_param("", max_length=200, description="Search text; accents and case are ignored.")


def _visible_unit(request: HttpRequest, unit_id: int) -> OrgUnit:
    return get_object_or_404(OrgUnit.objects.visible_to(request.user), pk=unit_id)


_Rows = TypeVar("_Rows", bound="QuerySet[Any]")


def _under(request: HttpRequest, rows: _Rows, unit_id: int | None, path_field: str) -> _Rows:
    if unit_id is None:
        return rows
    path = _visible_unit(request, unit_id).path
    return rows.filter(**{f"{path_field}__startswith": path})


# Units


@router.get("/units", response={200: UnitPage, **READ_ERRORS}, tags=["units"])
def unit_list(
    request: HttpRequest,
    kind: UnitKind | None = None,
    unit: int | None = UnitFilter(),
    parent: int | None = query_param(
        None, ge=1, deprecated=True, description="Deprecated: only the direct children."
    ),
    q: str = Search,
    current: bool | None = query_param(None, description="true: units in existence today."),
    updated_since: datetime.datetime | None = UpdatedSince,
    ordering: str | None = Ordering(UNIT_ORDERING, "path"),
    limit: int = Limit(),
    offset: int = Offset(),
) -> dict[str, Any]:
    """Units the caller can see, in tree order unless `ordering` says otherwise."""
    units = _under(request, OrgUnit.objects.visible_to(request.user).search(q), unit, "path")
    if kind is not None:
        units = units.filter(kind=kind)
    if parent is not None:
        units = units.filter(parent_id=parent)
    if current is True:
        units = units.current()
    elif current is False:
        units = units.former()
    rows = ordered(changed_since(units, updated_since), ordering, UNIT_ORDERING, "path")
    return paginate(request, rows, limit=limit, offset=offset)


@router.get("/units/{unit_id}", response={200: UnitOut, **READ_ERRORS}, tags=["units"])
def unit_detail(request: HttpRequest, unit_id: int) -> OrgUnit:
    """One unit. Answers carry an ETag: send it back as If-None-Match to get 304."""
    return _visible_unit(request, unit_id)


@router.get("/units/{unit_id}/subtree", response={200: UnitPage, **READ_ERRORS}, tags=["units"])
def unit_subtree(
    request: HttpRequest, unit_id: int, limit: int = Limit(), offset: int = Offset()
) -> dict[str, Any]:
    """The unit and everything under it, as a flat list in tree order (with depth, parent_id)."""
    unit = _visible_unit(request, unit_id)
    units = OrgUnit.objects.visible_to(request.user).subtree_of(unit).order_by("path")
    return paginate(request, units, limit=limit, offset=offset)


@router.get("/units/{unit_id}/children", response={200: UnitPage, **READ_ERRORS}, tags=["units"])
def unit_children(
    request: HttpRequest, unit_id: int, limit: int = Limit(), offset: int = Offset()
) -> dict[str, Any]:
    """The units directly under this one, by name."""
    unit = _visible_unit(request, unit_id)
    children = OrgUnit.objects.visible_to(request.user).filter(parent=unit).order_by("name", "pk")
    return paginate(request, children, limit=limit, offset=offset)


# Places


@router.get("/places", response={200: PlacePage, **READ_ERRORS}, tags=["places"])
def place_list(
    request: HttpRequest,
    kind: PlaceKind | None = None,
    unit: int | None = UnitFilter(),
    q: str = Search,
    updated_since: datetime.datetime | None = UpdatedSince,
    ordering: str | None = Ordering(PLACE_ORDERING, "name"),
    limit: int = Limit(),
    offset: int = Offset(),
) -> dict[str, Any]:
    """Public places (markets, stations, parks…) of the units the caller can see."""
    places = _under(request, Place.objects.visible_to(request.user).search(q), unit, "unit__path")
    if kind is not None:
        places = places.filter(kind=kind)
    rows = ordered(changed_since(places, updated_since), ordering, PLACE_ORDERING, "name")
    return paginate(request, rows, limit=limit, offset=offset)


@router.get("/places/{place_id}", response={200: PlaceOut, **READ_ERRORS}, tags=["places"])
def place_detail(request: HttpRequest, place_id: int) -> Place:
    """One public place, with its coordinates when known."""
    return get_object_or_404(Place.objects.visible_to(request.user), pk=place_id)


# Officials


@router.get("/officials", response={200: OfficialPage, **READ_ERRORS}, tags=["officials"])
def official_list(
    request: HttpRequest,
    unit: int | None = UnitFilter(),
    staff_category: StaffCategory | None = None,
    is_leader: bool | None = None,
    post: int | None = query_param(None, description="Only holders of this post (its id)."),
    q: str = Search,
    active: bool | None = query_param(None, description="true: still in the unit; false: left."),
    updated_since: datetime.datetime | None = UpdatedSince,
    ordering: str | None = Ordering(OFFICIAL_ORDERING, "full_name"),
    limit: int = Limit(),
    offset: int = Offset(),
) -> dict[str, Any]:
    """Officials of the units the caller can see. `q` also matches a staff code or an e-mail
    exactly, which is how a sync finds its records again."""
    officials = Official.objects.visible_to(request.user).search(q).with_unit_and_post()
    officials = _under(request, officials, unit, "unit__path")
    if staff_category is not None:
        officials = officials.filter(staff_category=staff_category)
    if is_leader is not None:
        officials = officials.filter(is_leader=is_leader)
    if post is not None:
        officials = officials.filter(post_id=post)
    if active is True:
        officials = officials.active()
    elif active is False:
        officials = officials.filter(left_on__isnull=False)
    rows = ordered(
        changed_since(officials, updated_since), ordering, OFFICIAL_ORDERING, "full_name"
    )
    return paginate(request, rows, limit=limit, offset=offset)


@router.get(
    "/officials/{official_id}", response={200: OfficialOut, **READ_ERRORS}, tags=["officials"]
)
def official_detail(request: HttpRequest, official_id: int) -> Official:
    """One official. Answers carry an ETag: send it back as If-None-Match to get 304."""
    return _visible_official(request, official_id)


@router.post("/officials", response={201: OfficialOut, **WRITE_ERRORS}, tags=["officials"])
def official_create(request: AuthenticatedRequest, payload: OfficialCreate) -> Status[Official]:
    """Add an official to a unit the caller manages (system admin, coordinator or head)."""
    data = payload.model_dump()
    unit = _unit_for_input(request, data.pop("unit_id"))
    ensure_can_manage(request.user, unit)
    post = _post_for_input(data.pop("post_id"), unit=unit)
    _check_staff_code(data["staff_code"], unit=unit)
    with _api_field_names():
        official = create_official(actor=request.user, unit=unit, post=post, **data)
    return Status(201, official)


@router.patch(
    "/officials/{official_id}", response={200: OfficialOut, **WRITE_ERRORS}, tags=["officials"]
)
def official_update(
    request: AuthenticatedRequest, official_id: int, payload: OfficialPatch
) -> Official:
    """Change the fields sent; moving to another unit needs rights on both units."""
    official = _visible_official(request, official_id)
    ensure_can_manage(request.user, official.unit)
    changes = payload.model_dump(exclude_unset=True)
    nulls = [name for name in NOT_NULL_FIELDS if name in changes and changes[name] is None]
    if nulls:
        raise ValidationError({name: _("This field cannot be null.") for name in nulls})
    if "unit_id" in changes:
        changes["unit"] = _unit_for_input(request, changes.pop("unit_id"))
    unit = changes.get("unit", official.unit)
    if "post_id" in changes:
        changes["post"] = _post_for_input(changes.pop("post_id"), unit=unit)
    elif "unit" in changes and official.post is not None:
        _post_for_input(official.post_id, unit=unit)
    if "staff_code" in changes or "unit" in changes:
        _check_staff_code(
            changes.get("staff_code", official.staff_code), unit=unit, official=official
        )
    with _api_field_names():
        return update_official(actor=request.user, official=official, **changes)


def _visible_official(request: HttpRequest, official_id: int) -> Official:
    officials = Official.objects.visible_to(request.user).with_unit_and_post()
    return get_object_or_404(officials, pk=official_id)


def _unit_for_input(request: HttpRequest, unit_id: int) -> OrgUnit:
    unit = OrgUnit.objects.visible_to(request.user).filter(pk=unit_id).first()
    if unit is None:
        raise ValidationError({"unit_id": _("Choose a unit you can see.")})
    return unit


def _post_for_input(post_id: int | None, *, unit: OrgUnit) -> Post | None:
    """A post from the catalogue of the unit or of a unit above it (its subtree may use it)."""
    if post_id is None:
        return None
    post = Post.objects.select_related("unit").filter(pk=post_id).first()
    if post is None or not unit.path.startswith(post.unit.path):
        raise ValidationError(
            {"post_id": _("Choose a post from the catalogue of this unit or a unit above it.")}
        )
    return post


def _check_staff_code(staff_code: str, *, unit: OrgUnit, official: Official | None = None) -> None:
    # The database constraint would say the same without naming the field.
    if not staff_code:
        return
    taken = Official.objects.filter(unit=unit, staff_code=staff_code)
    if official is not None:
        taken = taken.exclude(pk=official.pk)
    if taken.exists():
        raise ValidationError(
            {"staff_code": _("Another official of this unit already has this staff code.")}
        )


@contextmanager
def _api_field_names() -> Iterator[None]:
    try:
        yield
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        renamed = {
            API_FIELD_NAMES.get(name, name): errors for name, errors in exc.error_dict.items()
        }
        raise ValidationError(renamed) from exc
