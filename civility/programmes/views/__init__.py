"""Pages for programmes and tasks, indicators and targets, and cultural titles.

Every fetch is scoped (`visible_to(user)`); outside the scope is a 404, inside it without
the right role a 403 (raised by the actions).

`tasks`, `indicators` and `titles` hold the pages; `common` what they share.
"""

from civility.programmes.views.common import XLSX
from civility.programmes.views.indicators import (
    actual_create,
    actuals_import,
    import_template,
    indicator_create,
    indicator_detail,
    indicator_list,
    target_allocate,
    target_set,
)
from civility.programmes.views.tasks import (
    actions_descendants,
    programme_create,
    programme_detail,
    programme_list,
    task_cancel,
    task_comment,
    task_create,
    task_delegate,
    task_detail,
    task_extend,
    task_list,
    task_progress,
    task_update_verify,
    update_evidence,
)
from civility.programmes.views.titles import (
    criterion_delete,
    cycle_detail,
    cycle_open,
    recognitions_import,
    title_count,
    title_overview,
    title_rule_detail,
    title_rules_load,
)

__all__ = [
    "XLSX",
    "actions_descendants",
    "actual_create",
    "actuals_import",
    "criterion_delete",
    "cycle_detail",
    "cycle_open",
    "import_template",
    "indicator_create",
    "indicator_detail",
    "indicator_list",
    "programme_create",
    "programme_detail",
    "programme_list",
    "recognitions_import",
    "target_allocate",
    "target_set",
    "task_cancel",
    "task_comment",
    "task_create",
    "task_delegate",
    "task_detail",
    "task_extend",
    "task_list",
    "task_progress",
    "task_update_verify",
    "title_count",
    "title_overview",
    "title_rule_detail",
    "title_rules_load",
    "update_evidence",
]
