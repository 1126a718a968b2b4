"""Workflows for programmes, tasks, indicators, targets, actuals and cultural titles.

Views, the API, imports and jobs call these; each checks permission, validates, writes in
one transaction and is audited (acting_as).

`tasks`: programmes, tasks and their reminders; `indicators`: targets and actuals;
`titles`: cultural titles; `common`: the permission check and helpers they share.
"""

from civility.programmes.actions.common import ensure_manages
from civility.programmes.actions.indicators import (
    allocate_targets,
    can_set_target,
    create_indicator,
    import_actuals,
    record_actual,
    set_target,
)
from civility.programmes.actions.tasks import (
    DEFAULT_REMINDER_DAYS,
    OVERDUE_REMINDER_EVERY,
    assigning_unit,
    can_assign,
    can_report,
    can_verify_progress,
    cancel_task,
    comment_task,
    create_programme,
    create_task,
    extend_deadline,
    reminder_days,
    report_progress,
    send_task_reminders,
    verify_progress,
)
from civility.programmes.actions.titles import (
    CYCLE_REMINDER_DAYS,
    CYCLE_STEPS,
    DECREE_86_FROM,
    DEFAULT_AUTHORITY,
    DEFAULT_CRITERIA,
    RULE_FIELDS,
    add_criterion,
    cycle_due_dates,
    import_recognitions,
    load_title_rules,
    open_cycle,
    record_cycle_step,
    remove_criterion,
    rule_for,
    send_cycle_reminders,
    set_title_count,
    update_title_rule,
)

__all__ = [
    "CYCLE_REMINDER_DAYS",
    "CYCLE_STEPS",
    "DECREE_86_FROM",
    "DEFAULT_AUTHORITY",
    "DEFAULT_CRITERIA",
    "DEFAULT_REMINDER_DAYS",
    "OVERDUE_REMINDER_EVERY",
    "RULE_FIELDS",
    "add_criterion",
    "allocate_targets",
    "assigning_unit",
    "can_assign",
    "can_report",
    "can_set_target",
    "can_verify_progress",
    "cancel_task",
    "comment_task",
    "create_indicator",
    "create_programme",
    "create_task",
    "cycle_due_dates",
    "ensure_manages",
    "extend_deadline",
    "import_actuals",
    "import_recognitions",
    "load_title_rules",
    "open_cycle",
    "record_actual",
    "record_cycle_step",
    "reminder_days",
    "remove_criterion",
    "report_progress",
    "rule_for",
    "send_cycle_reminders",
    "send_task_reminders",
    "set_target",
    "set_title_count",
    "update_title_rule",
    "verify_progress",
]
