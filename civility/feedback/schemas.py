"""The kiosk's rating as the API and the fast path (ingest.py) both read and answer it."""

from __future__ import annotations

import datetime
import uuid

from ninja import Field, Schema
from pydantic import ConfigDict

from civility.core.api_lists import property_examples
from civility.feedback import actions, cases
from civility.feedback.models import Reason


class RatingIn(Schema):
    client_id: uuid.UUID = Field(description="Made by the kiosk; the same id is stored once.")
    level: int = Field(ge=1, le=9, description="1 = best; see GET kiosk for the scale.")
    reasons: list[str] = Field(default_factory=list, max_length=len(Reason.values))
    comment: str = Field(default="", max_length=1000)
    rated_at: datetime.datetime | None = Field(
        default=None, description="When the citizen pressed (offline replay); default now."
    )
    contact_name: str = Field(default="", max_length=120)
    contact_phone: str = Field(
        default="",
        max_length=32,
        description="With a dissatisfied level, a phone or e-mail opens a follow-up case.",
    )
    contact_email: str = Field(default="", max_length=254)

    model_config = ConfigDict(
        json_schema_extra=property_examples(
            client_id="3f1c9e2a-5b7d-4c1e-8a90-6d2e4f7b1c35",
            level=1,
            reasons=[],
            comment="",
            rated_at="2026-12-01T09:12:00+07:00",
            contact_name="",
            contact_phone="",
            contact_email="",
        )
    )


class StoredOut(Schema):
    client_id: uuid.UUID
    stored: bool
    case_receipt: str = Field(
        default="", description="The follow-up case's receipt code, when one was opened."
    )
    case_secret: str = Field(
        default="",
        description=(
            "The secret the citizen needs to say whether the case's answer settled the "
            "matter: only in the answer that opened the case (a resend gets none); show it "
            "with the receipt code."
        ),
    )

    model_config = ConfigDict(
        json_schema_extra=property_examples(
            client_id="3f1c9e2a-5b7d-4c1e-8a90-6d2e4f7b1c35",
            stored=True,
            case_receipt="",
            case_secret="",
        )
    )


def rating_inputs(items: list[RatingIn]) -> list[actions.RatingInput]:
    return [
        actions.RatingInput(
            client_id=item.client_id,
            level=item.level,
            reasons=item.reasons,
            comment=item.comment,
            rated_at=item.rated_at,
            contact=cases.Contact(
                name=item.contact_name, phone=item.contact_phone, email=item.contact_email
            ),
        )
        for item in items
    ]
