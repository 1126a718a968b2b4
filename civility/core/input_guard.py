"""Malformed input answered with a 4xx before any view runs, in the endpoint's own format.

No text field anywhere takes more than TEXT_FIELD_MAX_CHARS characters (20,000 by default: a
long report fits, a megabyte pasted into a description does not), whether it comes from a
form or a JSON body; the forms and schemas keep their own, shorter limits where they have one.

Some input breaks below the views: PostgreSQL refuses text with a NUL character (a 500 from
deep inside a query, and a kiosk retries a 5xx for ever), Django's multipart parser raises on
a body without a boundary, and a body over DATA_UPLOAD_MAX_MEMORY_SIZE raises where the view
first reads it. Checking once here, for every path, gives the citizen or integrator a clear
4xx naming the field instead: JSON `{"message", "field"}` under /api/, Open311's errors in
the XML or JSON its path asks for under /open311/, a short page elsewhere.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civility.core import error_formats
from civility.core.i18n import format_number

NUL = "\x00"
DEFAULT_TEXT_MAX = 20_000
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class InputGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        problem = find_problem(request)
        if problem is not None:
            status, message, field = problem
            return answer(request, status, message, field)
        return self.get_response(request)


def find_problem(request: HttpRequest) -> tuple[int, str, str | None] | None:
    """(status, message, field) for the first problem found, else None."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    content_type = request.content_type or ""
    if limit is not None and content_type != "multipart/form-data":
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return 400, _("The Content-Length header is not a number."), None
        if length > limit:
            return too_large(limit)
    problem = _text_problem(request.GET.lists())
    if problem is not None:
        return problem
    if request.method == "POST" and content_type in FORM_TYPES:
        try:
            items = list(request.POST.lists())
        except MultiPartParserError:
            message = _("The upload is malformed: send it as multipart/form-data with a boundary.")
            return 400, message, None
        except RequestDataTooBig:
            return too_large(limit)
        except TooManyFieldsSent:
            return 400, _("The form has too many fields."), None
        return _text_problem(items)
    if content_type == "application/json" and request.method in ("POST", "PUT", "PATCH"):
        return _json_problem(request.body)
    return None


def text_max() -> int:
    limit: int = getattr(settings, "TEXT_FIELD_MAX_CHARS", DEFAULT_TEXT_MAX)
    return limit


def too_long(field: str) -> tuple[int, str, str]:
    message = ngettext(
        "%(field)s is too long: at most %(limit)s character.",
        "%(field)s is too long: at most %(limit)s characters.",
        text_max(),
    ) % {"field": field, "limit": format_number(text_max())}
    return 400, message, field


def too_large(limit: int) -> tuple[int, str, None]:
    megabytes = max(1, limit // (1024 * 1024))
    return 413, _("The request is too large: at most %(size)s MB.") % {"size": megabytes}, None


def nul_in(field: str) -> tuple[int, str, str]:
    return (
        400,
        _("%(field)s contains a NUL character, which text may not contain.") % {"field": field},
        field,
    )


def _text_problem(
    items: Iterable[tuple[str, Sequence[object]]],
) -> tuple[int, str, str | None] | None:
    for key, values in items:
        texts = [value for value in values if isinstance(value, str)]
        if NUL in key or any(NUL in value for value in texts):
            return nul_in(key.replace(NUL, ""))
        if any(len(value) > text_max() for value in texts):
            return too_long(key)
    return None


def _json_problem(body: bytes) -> tuple[int, str, str | None] | None:
    suspicious = b"\x00" in body or b"\\u0000" in body or len(body) > text_max()
    if not suspicious:
        return None
    try:
        data = json.loads(body)
    except ValueError:
        return None  # the view answers a malformed body in its own words
    for path, value in _strings(data, ""):
        if NUL in path or NUL in value:
            return nul_in(path.replace(NUL, "") or _("body"))
        if len(value) > text_max():
            return too_long(path or _("body"))
    return None


def _strings(value: object, path: str) -> Iterator[tuple[str, str]]:
    """Each string of a JSON document with its path ("ratings.3.comment"); a key is given
    with an empty value, so a NUL in a key is found too."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            inner = f"{path}.{key}" if path else str(key)
            yield inner, ""
            yield from _strings(item, inner)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}.{index}" if path else str(index))


def answer(request: HttpRequest, status: int, message: str, field: str | None) -> HttpResponse:
    if request.path.startswith("/api/"):
        # The API answers every input error with 422 (docs/api.md), a NUL character too.
        status = 422 if status == 400 else status
        code = "too_large" if status == 413 else "invalid"
        return JsonResponse({"code": code, "message": message, "field": field}, status=status)
    if (protocol_error := error_formats.error_for_path(request.path, status, message)) is not None:
        return protocol_error
    # Rendered without the request: this runs before sessions and users exist, so the
    # site's context processors have nothing to work with.
    page = render_to_string("core/bad_input.html", {"message": message, "status": status})
    return HttpResponse(page, status=status)
