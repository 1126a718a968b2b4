"""Workflows for codes, versions, commitments and dissemination. Views, the API and tasks
call these; they check permission, validate, write in one transaction and audit.

`versions`: shipped codes, drafts, text import, publication; `commitments`: campaigns,
signatures and reminders; `dissemination`: activities and their verification.
"""

from civility.codes.actions.commitments import (
    DEFAULT_RECOMMITMENT_DAYS,
    DEFAULT_REMINDER_DAYS,
    can_verify_commitment,
    close_campaign,
    mark_reminders_read,
    official_of,
    record_paper_commitment,
    reminder_days,
    send_commitment_reminders,
    sign_commitment,
    start_campaign,
    verify_commitment,
)
from civility.codes.actions.dissemination import (
    can_verify_activity,
    record_activity,
    verify_activity,
)
from civility.codes.actions.versions import (
    DATA_DIR,
    SEEDS,
    VERSION_FIELDS,
    can_manage_code,
    create_draft_version,
    ensure_can_manage_code,
    ensure_draft,
    import_version_text,
    load_code_seed,
    publish_version,
    seed_data,
    structure_of,
    update_article,
    update_version,
)

__all__ = [
    "DATA_DIR",
    "DEFAULT_RECOMMITMENT_DAYS",
    "DEFAULT_REMINDER_DAYS",
    "SEEDS",
    "VERSION_FIELDS",
    "can_manage_code",
    "can_verify_activity",
    "can_verify_commitment",
    "close_campaign",
    "create_draft_version",
    "ensure_can_manage_code",
    "ensure_draft",
    "import_version_text",
    "load_code_seed",
    "mark_reminders_read",
    "official_of",
    "publish_version",
    "record_activity",
    "record_paper_commitment",
    "reminder_days",
    "seed_data",
    "send_commitment_reminders",
    "sign_commitment",
    "start_campaign",
    "structure_of",
    "update_article",
    "update_version",
    "verify_activity",
    "verify_commitment",
]
