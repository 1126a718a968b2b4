"""Plain typed factory functions for tests: explicit, no magic."""

from __future__ import annotations

import io
import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser

from civility.orgs.models import (
    Official,
    OrgUnit,
    Place,
    PlaceKind,
    Post,
    RoleAssignment,
    StaffCategory,
    UnitKind,
)
from civility.orgs.scopes import Role

PASSWORD = "Correct-horse-42!"
_numbers = itertools.count(1)


def make_unit(
    name: str,
    *,
    parent: OrgUnit | None = None,
    kind: str = UnitKind.DEPARTMENT,
    code: str = "",
    **fields,
) -> OrgUnit:
    return OrgUnit.objects.create(name=name, parent=parent, kind=kind, code=code, **fields)


def make_user(
    username: str | None = None,
    *,
    roles: dict[str, OrgUnit] | None = None,
    is_superuser: bool = False,
    **fields,
) -> AbstractUser:
    username = username or f"user{next(_numbers)}"
    user = get_user_model().objects.create_user(
        username=username,
        password=PASSWORD,
        is_superuser=is_superuser,
        is_staff=is_superuser,
        **fields,
    )
    for role, unit in (roles or {}).items():
        RoleAssignment.objects.create(user=user, role=role, unit=unit)
    return user


def make_official(
    full_name: str, *, unit: OrgUnit, staff_category: str = StaffCategory.CIVIL_SERVANT, **fields
) -> Official:
    return Official.objects.create(
        full_name=full_name, unit=unit, staff_category=staff_category, **fields
    )


def make_post(name: str, *, unit: OrgUnit, **fields) -> Post:
    return Post.objects.create(name=name, unit=unit, **fields)


def make_place(name: str, *, unit: OrgUnit, kind: str = PlaceKind.MARKET, **fields) -> Place:
    return Place.objects.create(name=name, unit=unit, kind=kind, **fields)


def pdf_bytes() -> bytes:
    """A real one-page PDF: uploads are opened and cleaned of metadata before they are stored
    (civility.core.attachments), so a few bytes starting with %PDF are refused as damaged."""
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page()
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def jpeg_bytes(colour: str = "green") -> bytes:
    """A real JPEG photo (see pdf_bytes)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, format="JPEG")
    return buffer.getvalue()


__all__ = [
    "PASSWORD",
    "Role",
    "jpeg_bytes",
    "make_official",
    "make_place",
    "make_post",
    "make_unit",
    "make_user",
    "pdf_bytes",
]
