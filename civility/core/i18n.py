"""Bilingual content fields: `title` in Vietnamese and `title_en` in English."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.contrib.auth.models import User
from django.utils.formats import number_format
from django.utils.translation import get_language


def localized(obj: object, name: str) -> str:
    """`obj.<name>_en` when the page is in English and it is filled in, else `obj.<name>`."""
    text: str
    if get_language() == "en":
        text = getattr(obj, f"{name}_en") or getattr(obj, name)
    else:
        text = getattr(obj, name)
    return text


# --- People and numbers as each language writes them -------------------------------------
# The page language decides (django.utils.formats reads it), so documents built outside a
# template (python-docx, PDF) format the same way when rendered under translation.override.


def person_name(user: User | None) -> str:
    """A person's name in Vietnamese order, family and middle names first ("Hoàng Thị Thu
    Thủy"): accounts keep the given name in `first_name` and the family and middle names in
    `last_name`, and Django's own get_full_name() puts the given name first. The user name
    when no name is recorded; "" for nobody."""
    if user is None:
        return ""
    name = " ".join(f"{user.last_name or ''} {user.first_name or ''}".split())
    return name or user.get_username()


def format_number(value: object, decimals: int | None = None) -> str:
    """A number with the language's separators (1.234,5 / 1,234.5). `decimals` None shows up
    to one decimal and none for a whole number; "" for None."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)  # already text ("—"): shown as it is
    if decimals is None:
        number = number.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        decimals = 0 if number == number.to_integral_value() else 1
    return number_format(number, decimal_pos=decimals, force_grouping=True)


def format_percent(value: object, decimals: int | None = None) -> str:
    """A share given in per cent (75.5, not 0.755): "75,5 %" in Vietnamese, the symbol
    spaced by a no-break space, and "75.5%" in English (the formats issue 18 settles)."""
    if value is None or value == "":
        return ""
    number = format_number(value, decimals)
    return f"{number}\u00a0%" if get_language() != "en" else f"{number}%"


def format_money(amount: object) -> str:
    """An amount in đồng, whole, with thousands separators: "710.000 đ" / "710,000 đ"."""
    if amount is None or amount == "":
        return ""
    return f"{format_number(amount, 0)}\u00a0đ"
