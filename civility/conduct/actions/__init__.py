"""Workflows for the violation catalogue, violation records and anonymous reports.

Views, the API and commands call these; they check permission, validate, write in one
transaction inside `acting_as(actor)` and leave a `RecordStep` for every step of a record.

`common` holds the permission checks; `catalogue` the catalogue's types, seed and import;
`records` a record's steps from report to closing; `anonymous` the public page's reports.
"""

from civility.conduct.actions.anonymous import (
    ReportAlreadyFiled,
    answer_as_reporter,
    ask_reporter,
    file_anonymous_report,
    find_anonymous_report,
    repeat_threshold,
)
from civility.conduct.actions.catalogue import (
    DATA_DIR,
    IMPORT_COLUMNS,
    SEEDS,
    TYPE_FIELDS,
    create_violation_type,
    import_catalogue,
    load_catalogue_seed,
    retire_violation_type,
    revise_violation_type,
)
from civility.conduct.actions.common import (
    can_decide,
    can_handle,
    can_manage_catalogue,
    can_report,
    may_see_reporter,
)
from civility.conduct.actions.records import (
    RecordConfirmed,
    add_evidence,
    close_record,
    confirm_record,
    dismiss_record,
    draft_record_from_finding,
    on_record_confirmed,
    read_record,
    read_records,
    report_violation,
    start_verification,
    update_record_details,
)

__all__ = [
    "DATA_DIR",
    "IMPORT_COLUMNS",
    "SEEDS",
    "TYPE_FIELDS",
    "RecordConfirmed",
    "ReportAlreadyFiled",
    "add_evidence",
    "answer_as_reporter",
    "ask_reporter",
    "can_decide",
    "can_handle",
    "can_manage_catalogue",
    "can_report",
    "close_record",
    "confirm_record",
    "create_violation_type",
    "dismiss_record",
    "draft_record_from_finding",
    "file_anonymous_report",
    "find_anonymous_report",
    "import_catalogue",
    "load_catalogue_seed",
    "may_see_reporter",
    "on_record_confirmed",
    "read_record",
    "read_records",
    "repeat_threshold",
    "report_violation",
    "retire_violation_type",
    "revise_violation_type",
    "start_verification",
    "update_record_details",
]
