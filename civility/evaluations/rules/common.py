"""What every rule set shares: the levels, citations of legal sources, rule lines."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from civility.orgs.models import StaffCategory

ZERO = Decimal(0)
HUNDRED = Decimal(100)


def q2(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), ROUND_HALF_UP)


class Level(models.TextChoices):
    """The four legal levels (unchanged from Decree 90/2020 to Decree 335/2025)."""

    EXCELLENT = "excellent", _("Excellently completed tasks")
    GOOD = "good", _("Well completed tasks")
    COMPLETED = "completed", _("Completed tasks")
    NOT_COMPLETED = "not_completed", _("Did not complete tasks")


LEVEL_ORDER = (Level.NOT_COMPLETED, Level.COMPLETED, Level.GOOD, Level.EXCELLENT)


DECREE_90 = "90/2020/NĐ-CP"
DECREE_48 = "48/2023/NĐ-CP"
DECREE_335 = "335/2025/NĐ-CP"
DECISION_3814 = "3814-QĐ/TU"
HANOI = "01"  # the province code of Hà Nội (General Statistics Office)


def cite(
    act: str, article: str = "", *, clause: str = "", point: str = "", kind: str = "decree"
) -> dict[str, str]:
    """One source of a rule line, stored with the reason and rendered by `explain`.
    An empty `article` reads "article to be confirmed"; `kind` is "decree" or "decision"."""
    source = {"act": act, "article": article, "clause": clause, "point": point}
    if kind != "decree":
        source["kind"] = kind
    return source


@dataclass(frozen=True)
class RuleLine:
    """One rule of a rule set in words, with its legal source (`cite`) or the key of the
    setting that decides it (civility/evaluations/policies.py). With neither, the page says
    the source is to be confirmed."""

    text: str | Promise
    source: dict[str, str] | None = None
    setting: str = ""


def level_rank(level: str) -> int:
    return LEVEL_ORDER.index(level)


def at_most(level: str, cap: str) -> str:
    return level if level_rank(level) <= level_rank(cap) else cap


class AnnualLevel(models.TextChoices):
    EXCELLENT = "excellent", _("Excellently completed tasks")
    GOOD = "good", _("Well completed tasks")
    COMPLETED = "completed", _("Completed tasks")
    NOT_COMPLETED = "not_completed", _("Did not complete tasks")
    NOT_CLASSIFIED = "not_classified", _("Not classified")


ALL_CATEGORIES = tuple(StaffCategory.values)
