"""What the OpenAPI document says once for every operation, because every operation behaves
so: the server, the answers the middleware gives (304 to If-None-Match, 400 for a body that is
not JSON, 429 with Retry-After), the rate-limit headers on every answer and the
Idempotency-Key every POST takes (civility/core/idempotency.py)."""

from __future__ import annotations

from django.conf import settings

RATE_HEADERS = {
    "X-RateLimit-Limit": ("Requests the credential's bucket holds when full.", 1200),
    "X-RateLimit-Remaining": ("Requests left in the bucket after this one.", 1187),
    "X-RateLimit-Reset": ("Seconds until the bucket is full again.", 1),
}
ERROR_REF = {"$ref": "#/components/schemas/Message"}
IDEMPOTENCY_KEY = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "description": "Send the same key again to retry safely: the operation runs once and "
    "every copy gets the first answer, with `Idempotent-Replay: true` (docs/api.md).",
    "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{8,64}$"},
    "example": "7d0c2f4e-9b1a-4f55-8d3e-0042",
}


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
PATH_PARAMETERS = {
    "number": ("Version number, from 1.", 1),
    "title": ("The cultural title.", None),
}


def _describe(parameter: dict) -> None:
    name = parameter["name"]
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


def with_conventions(schema: dict) -> dict:
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
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                _describe(parameter)
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
            if "requestBody" in operation:
                responses.setdefault(
                    "400",
                    {
                        "description": "The body is not valid JSON (`code` is `invalid_json`).",
                        "content": {"application/json": {"schema": ERROR_REF}},
                    },
                )
    return schema
