"""Monthly evaluation of officials, annual classification, and rotation of posts subject to
periodic rotation.

A coordinator opens an evaluation period for a unit subtree and a month; it creates one
evaluation per official, under the rule set that applies to the official's staff category and
province that month (`rules`), or none: then the official is not scored. Each evaluation
moves self-assessment → supervisor's rating → head's approval, each step with its deadline;
the facts Civility already holds about the official's month are kept with it as a snapshot.

At year end an annual classification is proposed per official under the rule set for the year
and staff category, explained, then confirmed (or changed, with a reason) by the head and
locked. Posts subject to periodic rotation carry a rotation period; rotation plans and
exceptions (deferrals under Decree 59/2019, or another stated reason) are recorded.
Every record stores the key of the rule set it was decided under.
"""

from civility.evaluations.models.annual import (
    AnnualClassification,
    ClassificationQuerySet,
    classification_of,
)
from civility.evaluations.models.common import (
    APPROVER_ROLES,
    MANAGER_ROLES,
    READER_ROLES,
    first_of_month,
)
from civility.evaluations.models.monthly import (
    Evaluation,
    EvaluationPeriod,
    EvaluationQuerySet,
    EvaluationReminder,
    PeriodQuerySet,
    Step,
)
from civility.evaluations.models.rotation import (
    RotationException,
    RotationExceptionKind,
    RotationExceptionQuerySet,
    RotationPlan,
    RotationPlanQuerySet,
    RotationQuerySet,
    RotationStatus,
)

__all__ = [
    "MANAGER_ROLES",
    "READER_ROLES",
    "APPROVER_ROLES",
    "first_of_month",
    "PeriodQuerySet",
    "EvaluationPeriod",
    "Step",
    "EvaluationQuerySet",
    "Evaluation",
    "EvaluationReminder",
    "ClassificationQuerySet",
    "AnnualClassification",
    "classification_of",
    "RotationStatus",
    "RotationQuerySet",
    "RotationPlanQuerySet",
    "RotationExceptionQuerySet",
    "RotationPlan",
    "RotationExceptionKind",
    "RotationException",
]
