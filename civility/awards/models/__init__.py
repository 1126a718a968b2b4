"""Emulation and commendation: movements, the title catalogue, nominations to decisions,
good models and initiatives with their replication.

- A **movement** (phong trào thi đua) runs for a period over a unit's subtree; units and
  officials register for it (`movements`).
- The **title catalogue** belongs to a province: each `AwardTitle` row is one version of a
  title valid from a date, with its conditions, bonus multiplier and the legal text it rests
  on. Revising a title that was used writes a new version, so old nominations stay readable
  under their old conditions (`catalogue`).
- Eligibility is computed (civility.awards.eligibility) from facts read through
  civility.awards.facts; a **nomination** stores the result line by line as a snapshot
  (`nominations`).
- The **commendation board** votes, closes the review, and records a **decision** whose lines
  (`Award`) carry the multiplier and the bonus at the base salary in force on the decision
  date (`decisions`).
- **Good models and initiatives** are registered with their owning unit and status; other
  units **replicate** them (`good_models`).

Every name stays importable from here (`from civility.awards.models import Nomination`);
code inside awards imports from the submodule.
"""

from civility.awards.models.catalogue import (
    AwardForm,
    AwardLevel,
    AwardTitle,
    AwardTitleQuerySet,
    BaseSalary,
    BaseSalaryQuerySet,
    DisciplineThreshold,
    InitiativeRule,
    OpenActionsEffect,
    Quota,
    QuotaBase,
    QuotaQuerySet,
    Recipient,
    ancestor_paths,
)
from civility.awards.models.decisions import (
    Award,
    AwardDecision,
    AwardDecisionQuerySet,
    AwardQuerySet,
    DecisionSource,
    HonourConsent,
    ReviewOutcome,
    RevocationGround,
    RevocationReview,
    RevocationReviewQuerySet,
)
from civility.awards.models.good_models import (
    LIVE_REPLICATION,
    GoodModel,
    GoodModelQuerySet,
    ModelCategory,
    ModelKind,
    ModelStatus,
    ModelTally,
    ModelTallyQuerySet,
    Replication,
    ReplicationQuerySet,
    ReplicationStatus,
)
from civility.awards.models.movements import Movement, MovementQuerySet, MovementRegistration
from civility.awards.models.nominations import (
    COUNTED_STATUSES,
    HoldKind,
    Nomination,
    NominationEvidence,
    NominationQuerySet,
    NominationStatus,
    ReviewHold,
    ReviewHoldQuerySet,
    Verdict,
    Vote,
    VoteChoice,
)
from civility.awards.models.roles import (
    BOARD_ROLES,
    CATALOGUE_ROLES,
    DECIDER_ROLES,
    MANAGER_ROLES,
    PROPOSER_ROLES,
    READER_ROLES,
)

__all__ = [
    "BOARD_ROLES",
    "CATALOGUE_ROLES",
    "COUNTED_STATUSES",
    "DECIDER_ROLES",
    "LIVE_REPLICATION",
    "MANAGER_ROLES",
    "PROPOSER_ROLES",
    "READER_ROLES",
    "Award",
    "AwardDecision",
    "AwardDecisionQuerySet",
    "AwardForm",
    "AwardLevel",
    "AwardQuerySet",
    "AwardTitle",
    "AwardTitleQuerySet",
    "BaseSalary",
    "BaseSalaryQuerySet",
    "DecisionSource",
    "DisciplineThreshold",
    "GoodModel",
    "GoodModelQuerySet",
    "HoldKind",
    "HonourConsent",
    "InitiativeRule",
    "ModelCategory",
    "ModelKind",
    "ModelStatus",
    "ModelTally",
    "ModelTallyQuerySet",
    "Movement",
    "MovementQuerySet",
    "MovementRegistration",
    "Nomination",
    "NominationEvidence",
    "NominationQuerySet",
    "NominationStatus",
    "OpenActionsEffect",
    "Quota",
    "QuotaBase",
    "QuotaQuerySet",
    "Recipient",
    "Replication",
    "ReplicationQuerySet",
    "ReplicationStatus",
    "ReviewHold",
    "ReviewHoldQuerySet",
    "ReviewOutcome",
    "RevocationGround",
    "RevocationReview",
    "RevocationReviewQuerySet",
    "Verdict",
    "Vote",
    "VoteChoice",
    "ancestor_paths",
]
