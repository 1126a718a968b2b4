"""Pages for monthly evaluations (`monthly`), annual classifications and follow-up
(`annual`), rotation (`rotation`) and figures with the self-assessment gaps (`figures`).

Every fetch is scoped (`visible_to(user)`); anything outside the user's scope is a 404, and a
step the user may not take is a 403.
"""

from civility.evaluations.views.annual import (
    classification_confirm,
    classification_detail,
    classification_inputs,
    classification_list,
    classification_propose,
    follow_up_list,
)
from civility.evaluations.views.figures import figures_page, self_assessment_gaps
from civility.evaluations.views.monthly import (
    PERIOD_SORTS,
    evaluation_approve,
    evaluation_detail,
    evaluation_home,
    evaluation_list,
    evaluation_rate,
    evaluation_return,
    evaluation_self,
    evaluation_supervisor,
    period_close,
    period_create,
    period_detail,
)
from civility.evaluations.views.rotation import (
    rotation_cancel,
    rotation_complete,
    rotation_exception,
    rotation_list,
    rotation_plan,
)

__all__ = [
    "PERIOD_SORTS",
    "classification_confirm",
    "classification_detail",
    "classification_inputs",
    "classification_list",
    "classification_propose",
    "evaluation_approve",
    "evaluation_detail",
    "evaluation_home",
    "evaluation_list",
    "evaluation_rate",
    "evaluation_return",
    "evaluation_self",
    "evaluation_supervisor",
    "figures_page",
    "follow_up_list",
    "period_close",
    "period_create",
    "period_detail",
    "rotation_cancel",
    "rotation_complete",
    "rotation_exception",
    "rotation_list",
    "rotation_plan",
    "self_assessment_gaps",
]
