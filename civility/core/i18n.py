"""Bilingual content fields: `title` in Vietnamese and `title_en` in English."""

from django.utils.translation import get_language


def localized(obj, name: str) -> str:
    """`obj.<name>_en` when the page is in English and it is filled in, else `obj.<name>`."""
    if get_language() == "en":
        return getattr(obj, f"{name}_en") or getattr(obj, name)
    return getattr(obj, name)
