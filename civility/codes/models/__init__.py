"""Codes of conduct, their versions and provisions; commitments; dissemination activities.

A code (Hanoi: Decision 522/QĐ-UBND for officials, 1665/QĐ-UBND for public places) has
versions. A version holds chapters → articles → clauses, in Vietnamese and English, and is
draft → published → superseded; only a draft may change (actions enforce it and a database
trigger backs them up, migration 0002).

`codes`: codes, versions, chapters, articles, clauses; `commitments`: campaigns,
commitments, reminders; `dissemination`: activities and attachments; `common`: scope helpers.
"""

from civility.codes.models.codes import (
    Article,
    Chapter,
    Clause,
    Code,
    CodeAudience,
    CodeQuerySet,
    CodeVersion,
    CodeVersionQuerySet,
    ProvisionKind,
    TargetGroup,
    VersionStatus,
)
from civility.codes.models.commitments import (
    CampaignQuerySet,
    Commitment,
    CommitmentCampaign,
    CommitmentQuerySet,
    Reminder,
    SignatureMethod,
)
from civility.codes.models.common import COORDINATOR_ROLES, overlapping_q
from civility.codes.models.dissemination import (
    PLACE_KIND_OF_PLACE,
    RISKY_PLACE_KINDS,
    ActivityKind,
    ActivityPlaceKind,
    ActivityQuerySet,
    DisseminationActivity,
    DisseminationAttachment,
)

__all__ = [
    "ActivityKind",
    "ActivityPlaceKind",
    "ActivityQuerySet",
    "Article",
    "COORDINATOR_ROLES",
    "CampaignQuerySet",
    "Chapter",
    "Clause",
    "Code",
    "CodeAudience",
    "CodeQuerySet",
    "CodeVersion",
    "CodeVersionQuerySet",
    "Commitment",
    "CommitmentCampaign",
    "CommitmentQuerySet",
    "DisseminationActivity",
    "DisseminationAttachment",
    "PLACE_KIND_OF_PLACE",
    "ProvisionKind",
    "RISKY_PLACE_KINDS",
    "Reminder",
    "SignatureMethod",
    "TargetGroup",
    "VersionStatus",
    "overlapping_q",
]
