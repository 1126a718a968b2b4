"""Open311 answers in XML or JSON, errors included (GeoReport v2, "Format Support").

XML as the spec's examples show it: a list is a plural element holding one singular element
per item (`<services><service>…`), an absent value an empty element, booleans `true`/`false`.
Imports nothing of Civility's, so the middlewares in civility.core that answer before a view
runs (input guard, idempotency) can answer Open311 clients in the format they asked for.
"""

from __future__ import annotations

import datetime
import json
from xml.etree import ElementTree

from django.http import HttpResponse

PREFIX = "/open311/"
FORMATS = ("xml", "json")
CONTENT_TYPES = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
# The element of each item of a list, by the list's element.
ITEMS = {
    "services": "service",
    "service_requests": "request",
    "service_request_updates": "request_update",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
}
DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'


def format_of(path: str) -> str:
    """The format a path asks for: JSON for `.json`, else XML (the spec's default)."""
    return "json" if path.endswith(".json") else "xml"


def render(data: object, fmt: str, *, root: str, status: int = 200) -> HttpResponse:
    """`data` (a dict, or a list of them) as an answer; `root` names XML's outer element."""
    if fmt == "json":
        body = json.dumps(data, ensure_ascii=False, default=_text)
    else:
        body = DECLARATION + ElementTree.tostring(_element(root, data), encoding="unicode")
    return HttpResponse(body.encode(), status=status, content_type=CONTENT_TYPES[fmt])


def error(fmt: str, status: int, description: str) -> HttpResponse:
    """`<errors><error><code/><description/></error></errors>`, or its JSON list."""
    return render([{"code": status, "description": description}], fmt, root="errors", status=status)


def error_for_path(path: str, status: int, description: str) -> HttpResponse:
    return error(format_of(path), status, description)


def _element(name: str, value: object) -> ElementTree.Element:
    element = ElementTree.Element(name)
    if isinstance(value, list):
        item = ITEMS.get(name, "item")
        element.extend(_element(item, each) for each in value)
    elif isinstance(value, dict):
        element.extend(_element(key, each) for key, each in value.items())
    elif value is not None:
        element.text = _text(value)
    return element


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="seconds")
    return str(value)
