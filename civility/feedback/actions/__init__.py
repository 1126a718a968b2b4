"""Workflows of the citizens' voice, one module per sub-domain: kiosk devices, ratings and
their rollups, assistance calls, public-place reports, dossier figures. Views, the API,
Open311 and tasks call these; they check, write in one transaction and notify. Every
action is importable from here."""

from civility.feedback.actions.calls import (
    acknowledge_call,
    raise_assistance_call,
    resolve_call,
)
from civility.feedback.actions.devices import (
    LAST_SEEN_PRECISION,
    authenticate_device,
    counter_officials,
    official_on_duty,
    register_device,
    reissue_device_key,
    revoke_device,
    set_on_duty,
    touch_device,
)
from civility.feedback.actions.dossiers import (
    DossierRow,
    check_dossier_row,
    save_dossier_stats,
)
from civility.feedback.actions.ratings import (
    RatingInput,
    Stored,
    days_to_roll_up,
    kiosk_rate,
    online_rate,
    record_ratings,
    rollup_days,
)
from civility.feedback.actions.reports import (
    ReportInput,
    accept_report,
    add_outside_update,
    add_report_note,
    close_report,
    merge_report,
    reassign_report,
    record_handling_satisfaction,
    reject_report,
    submit_report,
)

__all__ = [
    "LAST_SEEN_PRECISION",
    "DossierRow",
    "RatingInput",
    "ReportInput",
    "Stored",
    "accept_report",
    "add_outside_update",
    "acknowledge_call",
    "add_report_note",
    "authenticate_device",
    "check_dossier_row",
    "close_report",
    "counter_officials",
    "days_to_roll_up",
    "kiosk_rate",
    "merge_report",
    "official_on_duty",
    "online_rate",
    "raise_assistance_call",
    "reassign_report",
    "record_handling_satisfaction",
    "record_ratings",
    "register_device",
    "reissue_device_key",
    "reject_report",
    "resolve_call",
    "revoke_device",
    "rollup_days",
    "save_dossier_stats",
    "set_on_duty",
    "submit_report",
    "touch_device",
]
