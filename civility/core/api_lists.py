"""The API's one way to list: pages with links, whitelisted ordering, one filter vocabulary.

Every collection answers `{count, limit, offset, next, previous, items}`: `limit` is 1 or
more and anything above MAX_LIMIT is clamped to it (the answer's `limit` says what was
used), `next`/`previous` are absolute URLs keeping the other parameters, null at either end.
Ordering is `ordering=field` or `ordering=-field` from a list's own whitelist; any other
value is a 400 naming the parameter and the accepted values, never ignored. Filters share
their names across routers: `unit` is a unit's whole subtree, `updated_since` an instant
(ISO 8601) a row was last changed at or after. The old names (`unit_id`, `parent`) stay as
deprecated aliases (docs/api.md).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema

# ninja.Query's own function: mypy sees ninja.Query as a type (for `x: Query[Schema]`).
from ninja.params.functions import Query as query_param

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
# The mark UnitFilter leaves in a parameter's schema for civility/api_openapi.py.
REQUIRED_WITH_ALIAS = "x-civility-required-with-alias"

_Rows = TypeVar("_Rows", bound=QuerySet[Any])


class BadParameter(Exception):
    """A query parameter with a value the operation does not accept: answered 400."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class PageBase(Schema):
    count: int = Field(
        description="Rows matching the filters (the same on every page).", examples=[137]
    )
    limit: int = Field(
        description=f"Page size used: the `limit` asked for, at most {MAX_LIMIT}.", examples=[50]
    )
    offset: int = Field(description="Rows skipped before this page.", examples=[50])
    next: str | None = Field(
        description="URL of the next page; null on the last one.",
        examples=["https://civility.example.vn/api/v1/officials?limit=50&offset=100"],
    )
    previous: str | None = Field(
        description="URL of the previous page; null on the first.",
        examples=["https://civility.example.vn/api/v1/officials?limit=50&offset=0"],
    )


# The parameters below are ninja's, typed Any as ninja types them: each is the default of an
# operation's argument of another type (`limit: int = Limit()`).


def Limit(default: int = DEFAULT_LIMIT) -> Any:  # noqa: N802 - used like ninja's Query
    return query_param(
        default,
        ge=1,
        description=f"Page size, default {default}; values above {MAX_LIMIT} are clamped to it.",
        example=default,
    )


def Offset() -> Any:  # noqa: N802
    return query_param(0, ge=0, description="Rows to skip; follow `next` rather than counting.")


def UnitFilter(  # noqa: N802
    description: str = "Only rows in this unit's subtree (the unit and below).",
    *,
    required: bool = False,
    required_with_alias: bool = False,
) -> Any:
    """`required_with_alias`: the operation needs a unit, given as `unit` or as its
    deprecated alias `unit_id` (unit_param checks); the document says `unit` is required,
    which is what a new client sends (civility/api_openapi.py reads the mark)."""
    param = query_param(... if required else None, ge=1, description=description, example=1)
    if required_with_alias:
        param.json_schema_extra[REQUIRED_WITH_ALIAS] = True
    return param


def UnitIdAlias() -> Any:  # noqa: N802
    return query_param(None, ge=1, description="Deprecated: the same as `unit`.", deprecated=True)


UpdatedSince = query_param(
    None,
    description="Only rows changed at or after this instant (ISO 8601, with a time zone).",
    example="2026-12-01T00:00:00+07:00",
)


def Ordering(choices: Mapping[str, tuple[str, ...]], default: str) -> Any:  # noqa: N802
    accepted = ", ".join(f"`{key}`, `-{key}`" for key in choices)
    param = query_param(
        None,
        description=f"Sort by {accepted} (`-` for descending); default `{default}`. Any other "
        "value answers 400.",
        example=default,
    )
    # Documented only: any other value is answered by ordered() with a 400 naming the
    # accepted ones, rather than by pydantic's 422.
    param.json_schema_extra["enum"] = [way for key in choices for way in (key, f"-{key}")]
    return param


def property_examples(**values: object) -> Callable[[dict[str, Any]], None]:
    """A schema's `json_schema_extra`: each property's example, written in one place per
    schema (Field(examples=...) on every field would bury the fields). A name that is not a
    property fails when the schema is generated, so an example cannot outlive its field."""

    def extra(schema: dict[str, Any]) -> None:
        properties = schema.get("properties", {})
        unknown = sorted(set(values) - set(properties))
        if unknown:
            raise KeyError(f"Examples for properties that do not exist: {unknown}")
        for name, value in values.items():
            properties[name]["examples"] = [value]

    return extra


def unit_param(unit: int | None, alias: int | None, *, required: bool = False) -> int | None:
    """The `unit` filter, given under its name or its deprecated alias `unit_id`."""
    if unit is not None and alias is not None and unit != alias:
        raise BadParameter("unit", _("Give unit or its old name unit_id, not both."))
    value = unit if unit is not None else alias
    if value is None and required:
        raise ValidationError({"unit": _("This field is required.")}, code="missing")
    return value


def ordered(
    rows: _Rows, value: str | None, choices: Mapping[str, tuple[str, ...]], default: str
) -> _Rows:
    """`rows` in the order asked for, the primary key last so that pages never overlap."""
    value = (value or default).strip()
    descending = value.startswith("-")
    key = value.removeprefix("-")
    if key not in choices:
        accepted = ", ".join(sorted(choices))
        raise BadParameter(
            "ordering",
            _("Unknown ordering “%(value)s”. Use one of: %(accepted)s (with - for descending).")
            % {"value": value, "accepted": accepted},
        )
    terms = [f"-{term}" if descending else term for term in choices[key]]
    return rows.order_by(*terms, "-pk" if descending else "pk")


def changed_since(rows: _Rows, since: datetime.datetime | None) -> _Rows:
    return rows if since is None else rows.filter(updated_at__gte=since)


def paginate(
    request: HttpRequest,
    rows: QuerySet[Any] | list[Any],
    *,
    limit: int,
    offset: int,
    item: Callable[[Any], object] | None = None,
) -> dict[str, Any]:
    """One page of `rows`; a list is for collections computed in Python (rotation due dates),
    already in their final order."""
    limit = min(limit, MAX_LIMIT)
    count = len(rows) if isinstance(rows, list) else rows.count()
    shown = list(rows[offset : offset + limit])
    return {
        "count": count,
        "limit": limit,
        "offset": offset,
        "next": _link(request, offset + limit, limit) if offset + limit < count else None,
        "previous": _link(request, max(0, offset - limit), limit) if offset > 0 else None,
        "items": [item(row) for row in shown] if item else shown,
    }


def _link(request: HttpRequest, offset: int, limit: int) -> str:
    query = request.GET.copy()
    query["offset"] = str(offset)
    query["limit"] = str(limit)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
