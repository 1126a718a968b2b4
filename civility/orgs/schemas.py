"""What the API says about units, places and officials, and what it accepts."""

from __future__ import annotations

import datetime
from typing import Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from civility.core.api_lists import PageBase, property_examples
from civility.core.schemas import InputSchema
from civility.orgs.models import AgencyRole, OrgUnit, PlaceKind, StaffCategory, UnitKind


class UnitOut(Schema):
    id: int
    kind: UnitKind
    code: str
    name: str
    name_en: str
    parent_id: int | None
    depth: int
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    is_current: bool
    updated_at: datetime.datetime

    model_config = ConfigDict(
        json_schema_extra=property_examples(
            id=91,
            kind="ward",
            code="00091",
            name="Phường Tây Hồ",
            name_en="Tay Ho Ward",
            parent_id=1,
            depth=1,
            valid_from="2025-07-01",
            valid_to=None,
            is_current=True,
            updated_at="2026-12-01T03:00:00Z",
        )
    )

    @staticmethod
    def resolve_is_current(unit: OrgUnit) -> bool:
        return unit.is_current()


class UnitPage(PageBase):
    items: list[UnitOut]


class PlaceOut(Schema):
    id: int
    kind: PlaceKind
    name: str
    address: str
    unit_id: int
    latitude: float | None
    longitude: float | None
    updated_at: datetime.datetime

    model_config = ConfigDict(
        json_schema_extra=property_examples(
            id=14,
            kind="market",
            name="Chợ Bưởi",
            address="Số 1 Thụy Khuê",
            unit_id=91,
            latitude=21.0463,
            longitude=105.8093,
            updated_at="2026-12-01T03:00:00Z",
        )
    )


class PlacePage(PageBase):
    items: list[PlaceOut]


class UnitRef(Schema):
    id: int
    name: str

    model_config = ConfigDict(json_schema_extra=property_examples(id=91, name="Phường Tây Hồ"))


class PostRef(Schema):
    id: int
    name: str
    is_sensitive: bool

    model_config = ConfigDict(
        json_schema_extra=property_examples(id=7, name="Kế toán", is_sensitive=True)
    )


OFFICIAL_EXAMPLES = {
    "full_name": "Trần Thị Mai",
    "staff_category": "civil_servant",
    "is_leader": False,
    "agency_role": "",
    "post_start_date": "2024-03-01",
    "email": "mai.tt@tayho.hanoi.gov.vn",
    "phone": "0912345678",
    "staff_code": "HR-0042",
    "left_on": None,
    "retirement_date": "2041-06-30",
}


class OfficialOut(Schema):
    id: int
    full_name: str
    staff_category: StaffCategory
    unit: UnitRef
    post: PostRef | None
    is_leader: bool
    agency_role: AgencyRole | Literal[""]
    post_start_date: datetime.date | None
    email: str
    phone: str
    staff_code: str = Field(description="The unit's own staff number: the key a sync matches on.")
    left_on: datetime.date | None
    retirement_date: datetime.date | None
    updated_at: datetime.datetime

    model_config = ConfigDict(
        json_schema_extra=property_examples(
            **OFFICIAL_EXAMPLES,
            id=1201,
            unit={"id": 91, "name": "Phường Tây Hồ"},
            post={"id": 7, "name": "Kế toán", "is_sensitive": True},
            updated_at="2026-12-01T03:00:00Z",
        )
    )


class OfficialPage(PageBase):
    items: list[OfficialOut]


class OfficialCreate(InputSchema):
    unit_id: int
    full_name: str = Field(min_length=1, max_length=255)
    staff_category: StaffCategory
    post_id: int | None = None
    is_leader: bool = False
    agency_role: AgencyRole | Literal[""] = ""
    post_start_date: datetime.date | None = None
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=32)
    staff_code: str = Field("", max_length=32)
    retirement_date: datetime.date | None = None

    model_config = ConfigDict(
        json_schema_extra=property_examples(
            **{key: value for key, value in OFFICIAL_EXAMPLES.items() if key != "left_on"},
            unit_id=91,
            post_id=7,
        )
    )


class OfficialPatch(InputSchema):
    """Only the fields sent change; null clears the post, the start date or the leaving date."""

    unit_id: int | None = None
    full_name: str | None = Field(None, min_length=1, max_length=255)
    staff_category: StaffCategory | None = None
    post_id: int | None = None
    is_leader: bool | None = None
    agency_role: AgencyRole | Literal[""] | None = None
    post_start_date: datetime.date | None = None
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=32)
    staff_code: str | None = Field(None, max_length=32)
    left_on: datetime.date | None = None
    retirement_date: datetime.date | None = None

    model_config = ConfigDict(
        json_schema_extra=property_examples(**OFFICIAL_EXAMPLES, unit_id=91, post_id=7)
    )
