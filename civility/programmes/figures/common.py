"""What the figures of tasks, indicators and titles share: percentages, rounding, and the
"outermost" rule that keeps a record from counting twice inside a subtree."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import overload

HUNDRED = Decimal(100)


def percent(part: int | Decimal | None, whole: int | Decimal | None) -> Decimal | None:
    if part is None or not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _outermost(paths: Iterable[str]) -> set[str]:
    kept: list[str] = []
    for path in sorted(set(paths), key=len):
        if not any(path.startswith(outer) for outer in kept):
            kept.append(path)
    return set(kept)


@overload
def quantize(value: Decimal, places: int = 2) -> Decimal: ...
@overload
def quantize(value: None, places: int = 2) -> None: ...
@overload
def quantize(value: Decimal | None, places: int = 2) -> Decimal | None: ...
def quantize(value: Decimal | None, places: int = 2) -> Decimal | None:
    if value is None:
        return None
    exponent = Decimal(1).scaleb(-places)
    result = value.quantize(exponent, ROUND_HALF_UP)
    if result == result.to_integral():
        return result.quantize(Decimal(1))
    return result.normalize()
