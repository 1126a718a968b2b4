"""The few filters Django lacks for the product's own formats, loaded everywhere (TEMPLATES
builtins): one definition each, in civility.core.i18n, shared with .docx and PDF documents."""

from django import template
from django.contrib.auth.models import User

from civility.core import i18n

register = template.Library()


@register.filter
def full_name(user: User | None) -> str:
    """{{ user|full_name }}: "Hoàng Thị Thu Thủy", never Django's given-name-first order."""
    return i18n.person_name(user)


@register.filter
def percent(value: object, decimals: int | str | None = None) -> str:
    """{{ 75.5|percent }} → "75,5 %" (vi) / "75.5%" (en); the value is in per cent."""
    return i18n.format_percent(value, None if decimals in (None, "") else int(decimals))


@register.filter
def money(amount: object) -> str:
    """{{ 710000|money }} → "710.000 đ"."""
    return i18n.format_money(amount)
