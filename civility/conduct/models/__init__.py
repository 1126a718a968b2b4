"""Conduct records: the violation catalogue, violation records with their handling, and
anonymous reports about officials.

The catalogue belongs to a province (the unit that owns it): groups (code provisions,
Directive 24-CT/TU's three appendix groups, working-hours and service-attitude breaches) hold
violation types (`catalogue`). A record is reported → being verified → confirmed (with
handling) or dismissed (with a reason) → closed (`records`); a record filed from the public
page has an anonymous report and its messages (`reports`).
"""

from civility.conduct.models.catalogue import (
    TextStatus,
    ViolationGroup,
    ViolationGroupQuerySet,
    ViolationType,
    ViolationTypeQuerySet,
)
from civility.conduct.models.records import (
    CATALOGUE_ROLES,
    DECIDER_ROLES,
    OPEN_STATUSES,
    READER_ROLES,
    TRANSITIONS,
    Handling,
    Outcome,
    RecordEvidence,
    RecordStatus,
    RecordStep,
    Source,
    StepKind,
    ViolationRecord,
    ViolationRecordQuerySet,
    confirmed_records,
)
from civility.conduct.models.reports import AnonymousReport, ReportMessage
from civility.conduct.rules import DisciplineForm, Severity

__all__ = [
    "CATALOGUE_ROLES",
    "DECIDER_ROLES",
    "OPEN_STATUSES",
    "READER_ROLES",
    "TRANSITIONS",
    "AnonymousReport",
    "DisciplineForm",
    "Handling",
    "Outcome",
    "RecordEvidence",
    "RecordStatus",
    "RecordStep",
    "ReportMessage",
    "Severity",
    "Source",
    "StepKind",
    "TextStatus",
    "ViolationGroup",
    "ViolationGroupQuerySet",
    "ViolationRecord",
    "ViolationRecordQuerySet",
    "ViolationType",
    "ViolationTypeQuerySet",
    "confirmed_records",
]
