"""What every API operation shares: the error bodies and the errors reads and writes answer,
decimals written as strings, and the base of request bodies (apps' schemas build on these)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema
from pydantic import BaseModel, ConfigDict, PlainSerializer, WithJsonSchema

DECIMAL_PATTERN = r"^-?[0-9]+(\.[0-9]+)?$"

# A decimal in an answer: a string holding the stored value exactly ("75.50"), never a float
# that would round it; one type in the schema rather than "number or string".
DecimalString = Annotated[
    Decimal,
    PlainSerializer(lambda value: format(value, "f"), return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": DECIMAL_PATTERN,
            "examples": ["75.50"],
            "description": "A decimal number written as a string, exactly as stored.",
        }
    ),
]

# A decimal in a request body: a JSON number or a string such as "75.50" (both are read
# exactly); the document says so rather than pydantic's pattern-less "number or string".
DecimalIn = Annotated[
    Decimal,
    WithJsonSchema(
        {
            "anyOf": [{"type": "number"}, {"type": "string", "pattern": DECIMAL_PATTERN}],
            "examples": ["75.50"],
            "description": 'A decimal number: a JSON number or a string such as "75.50".',
        },
        mode="validation",
    ),
]


class Message(Schema):
    """Every error: a stable machine code, a message in the negotiated language, and the
    input field it is about (or null)."""

    code: str = Field(
        description="Stable machine word: not_authenticated, invalid_token, forbidden, "
        "read_only_token, csrf_failed, not_found, invalid, invalid_json, invalid_parameter, "
        "out_of_range, invalid_idempotency_key, idempotency_key_reused, in_progress, "
        "conflict, too_large, throttled.",
        examples=["not_found"],
    )
    message: str = Field(
        description="A sentence for people, in the Accept-Language asked for (vi or en).",
        examples=["Not found"],
    )
    field: str | None = Field(
        None, description="The parameter or body field it is about.", examples=[None]
    )


class FieldMessage(Schema):
    code: str = Field(
        description="Stable machine word of this problem (pydantic's error type for "
        "schema errors, e.g. missing, int_parsing; the rule's code for domain errors).",
        examples=["missing"],
    )
    field: str | None = Field(examples=["full_name"])
    message: str = Field(examples=["This field is required."])


class ValidationMessage(Message):
    errors: list[FieldMessage] = Field(default_factory=list)


def error_answers(statuses: Iterable[int]) -> dict[int, type[Message]]:
    """The error answers an operation documents, for its `response=`: each status's body
    (422 lists every field's problem), in status order. An app whose operations answer
    otherwise takes the shared table's statuses plus or minus its own:
    `error_answers(READ_ERRORS.keys() - {400})`."""
    return {status: ValidationMessage if status == 422 else Message for status in sorted(statuses)}


# A read: a parameter it refuses (`ordering`, a unit given under both names), no credential,
# outside the caller's scope, input it cannot take.
READ_ERRORS = error_answers({400, 401, 404, 422})
# A write: no credential, a row the caller may see but not change, outside the caller's
# scope, input it cannot take (a body that is not JSON: civility/api_openapi.py adds 400).
WRITE_ERRORS = error_answers({401, 403, 404, 422})


class InputSchema(BaseModel):
    """A request body: a JSON object with known fields only, so a typo is an error.

    Plain pydantic rather than ninja's Schema, which would read attributes of any value
    (a JSON list or string would pass as an empty object).
    """

    model_config = ConfigDict(extra="forbid")
