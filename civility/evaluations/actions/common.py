"""Who may take which step: permission checks shared by the evaluation workflows."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from civility.evaluations.models import (
    APPROVER_ROLES,
    MANAGER_ROLES,
    Evaluation,
    Step,
)
from civility.orgs.models import Official, OrgUnit
from civility.orgs.scopes import Role, scope_of

# --- Permissions -------------------------------------------------------------------------


def can_manage(user, unit: OrgUnit) -> bool:
    return scope_of(user).covers(unit, roles=MANAGER_ROLES)


def _is_self(user, official: Official) -> bool:
    return official.user_id is not None and official.user_id == user.pk


def can_self_assess(user, evaluation: Evaluation) -> bool:
    return _is_self(user, evaluation.official)


def can_review(user, evaluation: Evaluation) -> bool:
    if _is_self(user, evaluation.official):
        return False
    if evaluation.supervisor_id is not None:
        return evaluation.supervisor_id == user.pk
    return scope_of(user).covers(evaluation.unit, roles=(Role.EVALUATOR, Role.UNIT_HEAD))


def can_approve_for(user, unit: OrgUnit, *, is_leader: bool, official: Official) -> bool:
    """The head of the unit (or above) approves; for a leader, only the level above."""
    if _is_self(user, official):
        return False
    scope = scope_of(user)
    if scope.is_global:
        return True
    for path in scope.paths_with_role(*APPROVER_ROLES):
        if unit.path.startswith(path) and not (is_leader and path == unit.path):
            return True
    return False


def can_approve(user, evaluation: Evaluation) -> bool:
    return can_approve_for(
        user, evaluation.unit, is_leader=evaluation.is_leader, official=evaluation.official
    )


def _require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied


def _require_step(evaluation: Evaluation, step: str) -> None:
    if evaluation.step != step:
        raise ValidationError(
            _("This evaluation is at the step “%(current)s”, not “%(expected)s”.")
            % {"current": evaluation.get_step_display(), "expected": Step(step).label}
        )
