"""Workflows of evaluations, classifications and rotations. Views, the API and tasks call
these; each checks permission, validates against the rule set, writes in one transaction and
is audited. A rating that breaks a rule is refused with a message that names the rule.

`monthly` opens periods and runs the three steps (`scoring` holds their arithmetic,
`reminders` the reminders); `annual` proposes and confirms classifications (`proposals` the
grounds for one official); `rotation` plans and records rotations of posts subject to
periodic rotation.
"""

from django.core.exceptions import PermissionDenied, ValidationError

from civility.evaluations.actions.annual import (
    can_confirm,
    confirm_classification,
    propose_classifications,
    request_proposals,
    update_classification_inputs,
)
from civility.evaluations.actions.common import (
    can_approve,
    can_manage,
    can_review,
    can_self_assess,
    deputy_approver,
)
from civility.evaluations.actions.monthly import (
    approve_evaluation,
    check_open_period,
    choose_monthly_rule_set,
    close_period,
    default_deadlines,
    open_period,
    pick_supervisor,
    rate_evaluation,
    request_open_period,
    return_evaluation,
    save_self_assessment,
    set_supervisor,
)
from civility.evaluations.actions.proposals import compute_proposal
from civility.evaluations.actions.reminders import DEFAULT_REMINDER_DAYS, send_evaluation_reminders
from civility.evaluations.actions.rotation import (
    cancel_rotation,
    complete_rotation,
    grant_rotation_exception,
    plan_rotation,
)
from civility.evaluations.actions.scoring import (
    clean_work_items,
    preview_facts,
    quota_outcome,
    take_snapshot,
)

__all__ = [
    "DEFAULT_REMINDER_DAYS",
    "PermissionDenied",
    "ValidationError",
    "approve_evaluation",
    "can_approve",
    "can_confirm",
    "can_manage",
    "can_review",
    "can_self_assess",
    "cancel_rotation",
    "choose_monthly_rule_set",
    "clean_work_items",
    "close_period",
    "complete_rotation",
    "compute_proposal",
    "confirm_classification",
    "default_deadlines",
    "deputy_approver",
    "grant_rotation_exception",
    "check_open_period",
    "open_period",
    "request_open_period",
    "pick_supervisor",
    "plan_rotation",
    "preview_facts",
    "propose_classifications",
    "request_proposals",
    "quota_outcome",
    "rate_evaluation",
    "return_evaluation",
    "save_self_assessment",
    "send_evaluation_reminders",
    "set_supervisor",
    "take_snapshot",
    "update_classification_inputs",
]
