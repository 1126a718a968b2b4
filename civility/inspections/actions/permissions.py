"""Who may do what with templates, plans, inspections and corrective actions: the checks
every action runs first (and views and the API ask before offering a button)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from civility.conduct.models import READER_ROLES as RECORD_READER_ROLES
from civility.inspections.models import (
    INSPECTOR_ROLES,
    MANAGER_ROLES,
    RESPONDER_ROLES,
    ActionStep,
    ChecklistTemplate,
    CorrectiveAction,
    Finding,
    Inspection,
    InspectionPlan,
    Viewer,
)
from civility.orgs.scopes import scope_of

# --- Permissions -------------------------------------------------------------------------


def can_manage_template(user: Viewer, template: ChecklistTemplate) -> bool:
    return scope_of(user).covers(template.unit, roles=MANAGER_ROLES)


def can_manage_plan(user: Viewer, plan: InspectionPlan) -> bool:
    return scope_of(user).covers(plan.unit, roles=MANAGER_ROLES)


def can_conduct(user: Viewer, inspection: Inspection) -> bool:
    """Inspectors of the inspecting unit, and the delegation's members."""
    if scope_of(user).covers(inspection.inspecting_unit, roles=INSPECTOR_ROLES):
        return True
    return (
        user is not None and user.is_authenticated and inspection.team.filter(pk=user.pk).exists()
    )


def can_respond(user: Viewer, action: CorrectiveAction) -> bool:
    return scope_of(user).covers(action.unit, roles=RESPONDER_ROLES)


def can_verify(user: Viewer, action: CorrectiveAction) -> bool:
    """Whether `user` may close a corrective action or send it back. Verification is
    someone else's than the answer's: never a user who responded to the action, and only
    from the side that issued the recommendation: an inspecting role on the inspecting
    unit (or a unit above it) held outside the responsible unit, or a seat on the
    delegation for a member with no role in the responsible unit. Without this a
    coordinator of the responsible unit could answer an action and close it."""
    if user is None or not user.is_authenticated:
        return False
    # Read through .all() so that lists prefetch the steps and the delegation once.
    if action.responded_by_id == user.pk or any(
        step.kind == ActionStep.Kind.RESPONDED and step.by_id == user.pk
        for step in action.steps.all()
    ):
        return False
    scope = scope_of(user)
    if scope.is_global:
        return True
    inspection = action.finding.inspection
    owner = action.unit.path
    if any(
        inspection.inspecting_unit.path.startswith(path) and not path.startswith(owner)
        for path in scope.paths_with_role(*INSPECTOR_ROLES)
    ):
        return True
    if any(path.startswith(owner) for _role, path in scope.grants):
        return False
    return any(member.pk == user.pk for member in inspection.team.all())


def may_see_official(user: Viewer, finding: Finding, *, conducting: bool | None = None) -> bool:
    """Whether `user` may read the name of the official a finding is about: it is as
    confidential as the violation record the finding opens, so only the inspecting side,
    the record's handlers (conduct READER_ROLES over the official's unit) and the official.
    `conducting`: can_conduct(user, finding.inspection), when the caller knows it."""
    official = finding.official
    if official is None:
        return True
    if conducting is None:
        conducting = can_conduct(user, finding.inspection)
    if conducting or (user is not None and user.is_authenticated and official.user_id == user.pk):
        return True
    return scope_of(user).covers(official.unit, roles=RECORD_READER_ROLES)


def ensure_allowed(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def ensure_open(inspection: Inspection) -> None:
    if inspection.is_locked():
        raise ValidationError(
            _("This inspection is %(status)s and locked; corrections are made as amendments.")
            % {"status": inspection.get_status_display().lower()}
        )
