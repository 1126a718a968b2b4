"""Pages for checklists, plans, inspections (the phone checklist), findings and corrective
actions, reports and figures: `templates` (checklists and plans), `inspections`, `findings`
(corrective actions). urls.py reads every view from here."""

from civility.inspections.views.findings import (
    action_detail,
    action_list,
    evidence_file,
    step_photo,
)
from civility.inspections.views.inspections import (
    finding_create,
    inspection_amend,
    inspection_answer,
    inspection_check_action,
    inspection_detail,
    inspection_list,
    inspection_photo,
    inspection_report_docx,
    inspection_report_pdf,
    inspection_run,
    inspection_start,
    inspection_submit,
    photo_file,
    unit_trend,
)
from civility.inspections.views.templates import (
    criterion_edit,
    plan_add,
    plan_create,
    plan_detail,
    plan_list,
    template_detail,
    template_export,
    template_import,
    template_list,
    template_seed,
)

__all__ = [
    "action_detail",
    "action_list",
    "criterion_edit",
    "evidence_file",
    "finding_create",
    "inspection_amend",
    "inspection_answer",
    "inspection_check_action",
    "inspection_detail",
    "inspection_list",
    "inspection_photo",
    "inspection_report_docx",
    "inspection_report_pdf",
    "inspection_run",
    "inspection_start",
    "inspection_submit",
    "photo_file",
    "plan_add",
    "plan_create",
    "plan_detail",
    "plan_list",
    "step_photo",
    "template_detail",
    "template_export",
    "template_import",
    "template_list",
    "template_seed",
    "unit_trend",
]
