"""The numbers users see, computed from the records, one module per sub-domain: task figures
and roll-ups (`tasks`), indicator values by aggregation kind, % of plan, year on year and
allocation checks (`indicators`), title figures (`titles`). Every name is importable from
here.

"Outermost" is the rule that keeps every figure from counting twice: inside a subtree, a
record counts at the highest unit that has one (a task delegated from a task that is itself
in the subtree is part of that task; an actual of a ward whose district reported its own
figure is already in the district's figure).
"""

from civility.programmes.figures.common import HUNDRED, percent, quantize
from civility.programmes.figures.indicators import (
    AllocationCheck,
    AllocationStatus,
    Performance,
    allocation_of,
    check_allocation,
    indicator_value,
    latest_period,
    performance,
    performance_by_child,
    performance_over_time,
    target_value,
)
from civility.programmes.figures.tasks import (
    TaskFigures,
    TaskNode,
    descendants,
    flatten,
    rolled_up_progress,
    self_assessment_gaps,
    task_figures,
    task_figures_by_programme,
    task_tree,
)
from civility.programmes.figures.titles import (
    TITLE_UNIT_KINDS,
    TitleBonus,
    TitleFigures,
    recognised_total,
    streaks,
    target_total,
    title_bonus,
    title_figures,
    title_figures_by_unit,
)

__all__ = [
    "HUNDRED",
    "TITLE_UNIT_KINDS",
    "AllocationCheck",
    "AllocationStatus",
    "Performance",
    "TaskFigures",
    "TaskNode",
    "TitleBonus",
    "TitleFigures",
    "allocation_of",
    "check_allocation",
    "descendants",
    "flatten",
    "indicator_value",
    "latest_period",
    "percent",
    "performance",
    "performance_by_child",
    "performance_over_time",
    "quantize",
    "recognised_total",
    "rolled_up_progress",
    "self_assessment_gaps",
    "streaks",
    "target_total",
    "target_value",
    "task_figures",
    "task_figures_by_programme",
    "task_tree",
    "title_bonus",
    "title_figures",
    "title_figures_by_unit",
]
