"""Checklist templates (versioned), inspection plans, inspections and their answers, photos,
findings and corrective actions: one submodule per sub-domain (templates, inspections,
findings), every public name importable from here."""

from civility.inspections.kinds import SCORED_KINDS, AnswerKind
from civility.inspections.models.findings import (
    ActionEscalation,
    ActionReminder,
    ActionStatus,
    ActionStep,
    CorrectiveAction,
    EvidenceFile,
    Finding,
    FindingKind,
)
from civility.inspections.models.inspections import (
    Amendment,
    Answer,
    Inspection,
    InspectionKind,
    InspectionPlan,
    InspectionStatus,
    Photo,
)
from civility.inspections.models.roles import (
    ESCALATION_ROLES,
    INSPECTOR_ROLES,
    MANAGER_ROLES,
    RESPONDER_ROLES,
    Viewer,
)
from civility.inspections.models.templates import (
    ChecklistTemplate,
    Criterion,
    Section,
    TemplateSubject,
    TemplateVersion,
)

__all__ = [
    "ActionEscalation",
    "ActionReminder",
    "ActionStatus",
    "ActionStep",
    "Amendment",
    "Answer",
    "AnswerKind",
    "ChecklistTemplate",
    "CorrectiveAction",
    "Criterion",
    "ESCALATION_ROLES",
    "EvidenceFile",
    "Finding",
    "FindingKind",
    "INSPECTOR_ROLES",
    "Inspection",
    "InspectionKind",
    "InspectionPlan",
    "InspectionStatus",
    "MANAGER_ROLES",
    "Photo",
    "RESPONDER_ROLES",
    "SCORED_KINDS",
    "Section",
    "TemplateSubject",
    "TemplateVersion",
    "Viewer",
]
