"""Programmes and their tasks; indicators with targets and actuals; cultural titles.

- A programme or plan (Programme 06-CTr/TU, Plan 176/KH-UBND, a department's yearly plan) has
  tasks assigned to units. A task may be split into sub-tasks or delegated down the tree; the
  children roll up into the parent (civility.programmes.figures).
- An indicator has a unit of measure and says how values add up (sum, average, ratio of two
  indicators, latest value). Targets are set per unit and period and allocated from a parent
  unit to its children; actuals are reported per unit and period.
- Cultural titles (Decree 86/2023/NĐ-CP): the rule set per province and title (criteria
  checklist, deciding authority, cycle dates), the yearly cycle, counts per unit and the
  recognised households, villages, residential groups and communes.

Task deadlines are calendar days in Vietnam: a task is overdue from 00:00 Asia/Ho_Chi_Minh
on the day after its deadline, and done late when it was completed after that moment,
whatever the server's time zone.

`tasks`, `indicators` and `titles` hold the three groups above; `common` the day in Vietnam.
"""

from civility.programmes.models.common import COORDINATOR_ROLES, VIETNAM, vietnam_today
from civility.programmes.models.indicators import (
    PERIOD_HELP,
    PERIODS_IN_YEAR,
    Actual,
    ActualQuerySet,
    ActualSource,
    Aggregation,
    Frequency,
    Indicator,
    IndicatorQuerySet,
    Target,
    TargetQuerySet,
)
from civility.programmes.models.tasks import (
    Programme,
    ProgrammeKind,
    ProgrammeQuerySet,
    Task,
    TaskQuerySet,
    TaskReminder,
    TaskState,
    TaskStatus,
    TaskUpdate,
    TaskUpdateQuerySet,
    UpdateKind,
    status_of,
)
from civility.programmes.models.titles import (
    CULTURAL_TITLE_MULTIPLIERS,
    Criterion,
    CulturalTitle,
    CycleReminder,
    CycleStage,
    DecidingAuthority,
    Recognition,
    RecognitionQuerySet,
    TitleCount,
    TitleCountQuerySet,
    TitleCycle,
    TitleCycleQuerySet,
    TitleRule,
    TitleRuleQuerySet,
)

__all__ = [
    "Actual",
    "ActualQuerySet",
    "ActualSource",
    "Aggregation",
    "COORDINATOR_ROLES",
    "CULTURAL_TITLE_MULTIPLIERS",
    "Criterion",
    "CulturalTitle",
    "CycleReminder",
    "CycleStage",
    "DecidingAuthority",
    "Frequency",
    "Indicator",
    "IndicatorQuerySet",
    "PERIODS_IN_YEAR",
    "PERIOD_HELP",
    "Programme",
    "ProgrammeKind",
    "ProgrammeQuerySet",
    "Recognition",
    "RecognitionQuerySet",
    "Target",
    "TargetQuerySet",
    "Task",
    "TaskQuerySet",
    "TaskReminder",
    "TaskState",
    "TaskStatus",
    "TaskUpdate",
    "TaskUpdateQuerySet",
    "TitleCount",
    "TitleCountQuerySet",
    "TitleCycle",
    "TitleCycleQuerySet",
    "TitleRule",
    "TitleRuleQuerySet",
    "UpdateKind",
    "VIETNAM",
    "status_of",
    "vietnam_today",
]
