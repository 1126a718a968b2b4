"""What the OpenAPI document says once for every operation, because every operation behaves
so: the server, the answers the middleware gives (304 to If-None-Match, 400 for a body that is
not JSON, 429 with Retry-After), the rate-limit headers on every answer and the
Idempotency-Key every POST takes (civility/core/idempotency.py)."""

from __future__ import annotations

import re
from typing import Any, TypeVar

from django.conf import settings

from civility.core.api_lists import REQUIRED_WITH_ALIAS

RATE_HEADERS = {
    "X-RateLimit-Limit": ("Requests the credential's bucket holds when full.", 1200),
    "X-RateLimit-Remaining": ("Requests left in the bucket after this one.", 1187),
    "X-RateLimit-Reset": ("Seconds until the bucket is full again.", 1),
}
# A record's path below its collection's: /api/v1/officials/{official_id}.
DETAIL = re.compile(r"^(?P<collection>.+)/\{(?P<param>\w+_id)\}$")
JOB_PATH = "/api/v1/jobs/{job_id}"
ERROR_REF = {"$ref": "#/components/schemas/Message"}
VALIDATION_REF = {"$ref": "#/components/schemas/ValidationMessage"}
IDEMPOTENCY_KEY = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "description": "Send the same key again to retry safely: the operation runs once and "
    "every copy gets the first answer, with `Idempotent-Replay: true` (docs/api.md).",
    "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{8,64}$"},
    "example": "7d0c2f4e-9b1a-4f55-8d3e-0042",
}


_Schema = TypeVar("_Schema", bound=dict[str, Any])  # ninja's OpenAPISchema is a dict

# Descriptions of query parameters that mean the same wherever they appear; an operation's
# own description, when it has one, wins.
QUERY_PARAMETERS = {
    "year": ("Calendar year.", 2026),
    "month": ("The month, as its first day (YYYY-MM-01).", "2026-11-01"),
    "start": ("First day counted (YYYY-MM-DD).", "2026-11-01"),
    "end": ("Last day counted (YYYY-MM-DD).", "2026-11-30"),
    "status": ("Only rows in this state.", None),
    "kind": ("Only this kind.", None),
    "staff_category": ("Only officials of this category.", None),
    "is_leader": ("true: only leaders; false: only others.", None),
    "include_old": ("true: every version, not only the one in force.", None),
    "include_retired": ("true: also types no longer in force.", None),
    "overdue": ("true: only actions past their deadline.", None),
    "within": ("Months ahead to look.", 6),
    "threshold": ("Confirmed records from which an official counts as a repeat.", 2),
    "title_id": ("The award title (its id).", 1),
    "through": ("Last period included (month 1-12, quarter or 0 for the year).", 9),
    "unit": ("A unit (its id): the figures of its subtree.", 1),
    "unit_id": ("A unit (its id).", 1),
}
# Examples of parameters whose type says too little (free text, a value among many).
PARAMETER_EXAMPLES: dict[str | tuple[str, str], object] = {
    "q": "Nguyễn",
    "post": "Kế toán",
    "unit_id": 1,
    "parent": 1,
    ("/api/v1/awards/nominations", "status"): "proposed",
    ("/api/v1/inspections/", "status"): "planned",
}
PATH_PARAMETERS = {
    "number": ("Version number, from 1.", 1),
    "title": ("The cultural title.", None),
}


def _describe(parameter: dict[str, Any]) -> None:
    name = parameter["name"]
    if parameter.get("schema", {}).pop(REQUIRED_WITH_ALIAS, False):
        parameter["required"] = True
    if "description" in parameter:
        return
    if parameter.get("in") == "path" and name.endswith("_id"):
        parameter["description"] = f"Id of the {name.removesuffix('_id').replace('_', ' ')}."
        parameter.setdefault("example", 1)
        return
    vocabulary = PATH_PARAMETERS if parameter.get("in") == "path" else QUERY_PARAMETERS
    known = vocabulary.get(name)
    if known:
        parameter["description"] = known[0]
        if known[1] is not None:
            parameter.setdefault("example", known[1])


def _give_parameter_example(
    parameter: dict[str, Any], path: str, components: dict[str, Any]
) -> None:
    schema = parameter.get("schema", {})
    if "example" in parameter or "examples" in parameter or "example" in schema:
        return
    name = parameter["name"]
    if (path, name) in PARAMETER_EXAMPLES or name in PARAMETER_EXAMPLES:
        parameter["example"] = PARAMETER_EXAMPLES.get((path, name), PARAMETER_EXAMPLES.get(name))
        return
    kinds = [kind for kind in schema.get("anyOf", [schema]) if kind.get("type") != "null"]
    if kinds and "$ref" in kinds[0]:  # a choice: its first value
        kinds = [components.get(kinds[0]["$ref"].rsplit("/", 1)[-1], {})]
    if kinds and (value := _example_of(parameter["name"], kinds[0])) is not None:
        parameter["example"] = value


def with_conventions(schema: _Schema) -> _Schema:
    schema["servers"] = [
        {"url": settings.SITE_URL or "/", "description": "This deployment of Civility."}
    ]
    components = schema.setdefault("components", {})
    components["headers"] = {
        name: {"description": text, "schema": {"type": "integer", "example": example}}
        for name, (text, example) in RATE_HEADERS.items()
    } | {
        "Retry-After": {
            "description": "Seconds to wait before trying again.",
            "schema": {"type": "integer", "example": 30},
        },
        "ETag": {
            "description": "The answer's version: send it back as If-None-Match.",
            "schema": {"type": "string", "example": '"3f2a…"'},
        },
    }
    rate_headers = {name: {"$ref": f"#/components/headers/{name}"} for name in RATE_HEADERS}
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                _describe(parameter)
                _give_parameter_example(parameter, path, components.get("schemas", {}))
            responses = operation.setdefault("responses", {})
            for status, response in responses.items():
                headers = response.setdefault("headers", {})
                headers.update(rate_headers)
                if method == "get" and status == "200":
                    headers["ETag"] = {"$ref": "#/components/headers/ETag"}
            responses.setdefault(
                "429",
                {
                    "description": "Too many requests: wait `Retry-After` seconds "
                    "(`code` is `throttled`).",
                    "headers": {"Retry-After": {"$ref": "#/components/headers/Retry-After"}},
                    "content": {"application/json": {"schema": ERROR_REF}},
                },
            )
            if method == "get":
                responses.setdefault(
                    "304",
                    {"description": "Not modified: the If-None-Match sent is the current ETag."},
                )
            if method == "post":
                operation.setdefault("parameters", []).append(IDEMPOTENCY_KEY)
            if (operation.get("parameters") or "requestBody" in operation) and not (
                {422, "422"} & set(responses)
            ):
                responses["422"] = {
                    "description": "Input the operation cannot take: `field` names the first "
                    "problem, `errors` lists each.",
                    "content": {"application/json": {"schema": VALIDATION_REF}},
                }
            if "requestBody" in operation:
                responses.setdefault(
                    "400",
                    {
                        "description": "The body is not valid JSON (`code` is `invalid_json`).",
                        "content": {"application/json": {"schema": ERROR_REF}},
                    },
                )
    _link_operations(schema)
    for component in components.get("schemas", {}).values():
        for name, prop in component.get("properties", {}).items():
            _give_example(name, prop)
    return schema


# Examples of properties that mean the same in every schema, given where a schema names no
# example of its own (its own, from property_examples or Field(examples=...), wins).
# Strings are given by name only; ids, counts, dates and flags by their type.
STRING_EXAMPLES = {
    "unit_name": "Phường Tây Hồ",
    "name": "Phường Tây Hồ",
    "name_en": "Tay Ho Ward",
    "full_name": "Nguyễn Thị Lan",
    "official_name": "Nguyễn Thị Lan",
    "title": "Tiếp nhận hồ sơ đúng hẹn",
    "title_en": "Receiving dossiers on time",
    "label": "Hài lòng",
    "note": "Đã kiểm tra tại chỗ.",
    "description": "Thái độ chưa lịch sự khi tiếp công dân.",
    "message": "Đã xong.",
    "text": "Giữ gìn tác phong, thái độ lịch sự.",
    "text_en": "Keep a courteous manner.",
    "comment": "Cán bộ hướng dẫn tận tình.",
    "number": "12/QĐ-UBND",
    "key": "general",
    "code": "DVC-01",
    "url": "https://civility.example.vn/api/v1/jobs/31",
}
INTEGER_EXAMPLES = {
    "year": 2026,
    "period": 9,
    "through": 9,
    "version": 2,
    "progress": 60,
    "percent": 75,
    "limit": 50,
    "offset": 0,
    "rank": 3,
    "previous_rank": 4,
}
DATE_TIME_EXAMPLE = "2026-12-01T08:30:00+07:00"
DATE_EXAMPLE = "2026-12-01"


def _give_example(name: str, prop: dict[str, Any]) -> None:
    if "examples" in prop or "example" in prop or "$ref" in prop:
        return
    kinds = [kind for kind in prop.get("anyOf", [prop]) if kind.get("type") != "null"]
    if not kinds:
        prop["examples"] = [None]
        return
    kind = kinds[0]
    if "$ref" in kind or "examples" in kind:
        if "examples" in kind:
            prop["examples"] = kind["examples"]
        return
    value = _example_of(name, kind)
    if value is not None:
        prop["examples"] = [value]


def _example_of(name: str, kind: dict[str, Any]) -> object:
    if "enum" in kind:
        return kind["enum"][0]
    match kind.get("type"):
        case "boolean":
            return False
        case "integer":
            if name in INTEGER_EXAMPLES:
                return INTEGER_EXAMPLES[name]
            return 1 if name == "id" or name.endswith("_id") else 12
        case "number":
            return 87.5
        case "string":
            if kind.get("format") == "date-time" or name.endswith("_at"):
                return DATE_TIME_EXAMPLE if kind.get("format") != "date" else DATE_EXAMPLE
            if kind.get("format") == "date" or name.endswith(("_on", "_date", "_from", "_to")):
                return DATE_EXAMPLE
            return STRING_EXAMPLES.get(name)
        case "array":
            items = kind.get("items", {})
            if "$ref" in items:
                return None
            item = _example_of(name.removesuffix("s"), items)
            return None if item is None else [item]
    return None


def _link_operations(schema: dict[str, Any]) -> None:
    """OpenAPI links from what an answer names to the operation that reads it: a created
    record (its `id`) to `GET …/{x_id}`, a list's first item to the same, an accepted job
    to `GET /jobs/{job_id}`. Generators (schemathesis' stateful tests) and readers follow
    them."""
    paths = schema.get("paths", {})
    details: dict[
        str, tuple[str, str]
    ] = {}  # a collection's path -> (its detail's operationId, the id parameter)
    for path, operations in paths.items():
        match = DETAIL.match(path)
        if match and "get" in operations:
            for collection in (match["collection"], match["collection"] + "/"):
                details[collection] = (operations["get"]["operationId"], match["param"])
    job = paths.get(JOB_PATH, {}).get("get", {}).get("operationId")
    for path, operations in paths.items():
        detail = details.get(path)
        for method, operation in operations.items():
            for status, response in operation.get("responses", {}).items():
                links: dict[str, dict[str, Any]] = {}
                if detail and method == "post" and str(status) in ("200", "201"):
                    links["ReadCreated"] = _link(detail, "$response.body#/id")
                if detail and method == "get" and str(status) == "200":
                    links["ReadFirstItem"] = _link(detail, "$response.body#/items/0/id")
                if job and str(status) == "202" and path != JOB_PATH:
                    links["FollowJob"] = _link((job, "job_id"), "$response.body#/id")
                if links:
                    response["links"] = links


def _link(target: tuple[str, str], value: str) -> dict[str, Any]:
    operation_id, parameter = target
    return {"operationId": operation_id, "parameters": {parameter: value}}
