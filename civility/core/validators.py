"""Checks shared by the apps' actions, whichever way the input came (form, API, import)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

# Links people follow from a page: only the web's own schemes. `javascript:` or `data:` links
# would run or show content in the reader's session (the Content-Security-Policy blocks the
# script, but a link must not depend on that).
_WEB_LINK = URLValidator(schemes=["http", "https"])


def web_link(value: str, *, field: str) -> str:
    """`value` stripped, or ValidationError({field: ...}) unless it is an http(s) address;
    an empty value stays empty."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        _WEB_LINK(value)
    except ValidationError:
        raise ValidationError(
            {field: _("Enter a web address starting with http:// or https://.")}
        ) from None
    return value
