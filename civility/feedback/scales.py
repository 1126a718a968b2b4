"""Satisfaction scales. No legal scale is fixed for counter devices (framework.md §7.1), so
the scale is a deployment setting (FEEDBACK_RATING_SCALE) with the five-level practice scale
as the default.

Every level carries a score on 0-100 and a side (satisfied / neutral / dissatisfied), stored
with each rating, so figures stay comparable when a deployment changes its profile: the
satisfaction rate is the share of ratings on the satisfied side, the mean score is on the
same 0-100 axis whatever the number of levels.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from civility.feedback import conf


@dataclass(frozen=True)
class Level:
    value: int  # 1 = best
    label: Promise
    score: int  # 0-100
    satisfied: bool
    dissatisfied: bool
    emoji: str


@dataclass(frozen=True)
class Scale:
    key: str
    label: Promise
    levels: tuple[Level, ...]

    def level(self, value: int) -> Level | None:
        for level in self.levels:
            if level.value == value:
                return level
        return None


VERY_SATISFIED = _("Very satisfied")
SATISFIED = _("Satisfied")
NEUTRAL = _("Neutral")
DISSATISFIED = _("Dissatisfied")
VERY_DISSATISFIED = _("Very dissatisfied")

SCALES: dict[str, Scale] = {
    "five": Scale(
        "five",
        _("Five levels"),
        (
            Level(1, VERY_SATISFIED, 100, True, False, "😄"),
            Level(2, SATISFIED, 75, True, False, "🙂"),
            Level(3, NEUTRAL, 50, False, False, "😐"),
            Level(4, DISSATISFIED, 25, False, True, "🙁"),
            Level(5, VERY_DISSATISFIED, 0, False, True, "😠"),
        ),
    ),
    "four": Scale(
        "four",
        _("Four levels"),
        (
            Level(1, VERY_SATISFIED, 100, True, False, "😄"),
            Level(2, SATISFIED, 67, True, False, "🙂"),
            Level(3, DISSATISFIED, 33, False, True, "🙁"),
            Level(4, VERY_DISSATISFIED, 0, False, True, "😠"),
        ),
    ),
    "three": Scale(
        "three",
        _("Three levels"),
        (
            Level(1, SATISFIED, 100, True, False, "🙂"),
            Level(2, NEUTRAL, 50, False, False, "😐"),
            Level(3, DISSATISFIED, 0, False, True, "🙁"),
        ),
    ),
}
MAX_LEVELS = max(len(scale.levels) for scale in SCALES.values())


def current_scale() -> Scale:
    return SCALES[conf.rating_scale()]
