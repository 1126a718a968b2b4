"""Who may take which step: permission checks shared by the evaluation workflows."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from civility.evaluations import policies
from civility.evaluations.models import (
    APPROVER_ROLES,
    MANAGER_ROLES,
    Evaluation,
    Step,
)
from civility.orgs.models import AgencyRole, Official, OrgUnit
from civility.orgs.policies import PolicyValue, policy
from civility.orgs.scopes import Role, scope_of

# --- Permissions -------------------------------------------------------------------------


def can_manage(user: User, unit: OrgUnit) -> bool:
    return scope_of(user).covers(unit, roles=MANAGER_ROLES)


def _is_self(user: User, official: Official) -> bool:
    return official.user_id is not None and official.user_id == user.pk


def can_self_assess(user: User, evaluation: Evaluation) -> bool:
    return evaluation.is_scored() and _is_self(user, evaluation.official)


def can_review(user: User, evaluation: Evaluation) -> bool:
    """No one takes a step on an evaluation no rule set applies to (not scored)."""
    if not evaluation.is_scored() or _is_self(user, evaluation.official):
        return False
    if evaluation.supervisor_id is not None:
        return evaluation.supervisor_id == user.pk
    return scope_of(user).covers(evaluation.unit, roles=(Role.EVALUATOR, Role.UNIT_HEAD))


def approval_root(
    *, unit: OrgUnit, agency: OrgUnit, is_leader: bool, agency_role: str, deputy_level_above: bool
) -> tuple[str, bool]:
    """Where the approver's head role must sit: (path, strictly above it).

    The head of an agency is approved from the level above it; a deputy head by the head of
    their own agency, or from the level above where the setting says so (monthly only:
    policies.MONTHLY_DEPUTY_APPROVER); other leaders by the head of their agency; staff by the
    head of their unit. A head above covers the units below (Decree 90/2020 Art. 16 for the
    annual classification)."""
    if agency_role == AgencyRole.HEAD:
        return agency.path, True
    if agency_role == AgencyRole.DEPUTY:
        return agency.path, deputy_level_above
    if is_leader:
        return agency.path, False
    return unit.path, False


def may_approve(approver_paths: Iterable[str], root: tuple[str, bool]) -> bool:
    path, strictly_above = root
    return any(
        path.startswith(grant) and not (strictly_above and grant == path)
        for grant in approver_paths
    )


def can_approve_for(user: User, root: tuple[str, bool], *, official: Official) -> bool:
    if _is_self(user, official):
        return False
    scope = scope_of(user)
    return scope.is_global or may_approve(scope.paths_with_role(*APPROVER_ROLES), root)


def deputy_approver(evaluation: Evaluation) -> PolicyValue:
    return policy(
        policies.MONTHLY_DEPUTY_APPROVER.key, unit=evaluation.agency, on=evaluation.period.month
    )


def evaluation_root(evaluation: Evaluation) -> tuple[str, bool]:
    level_above = (
        evaluation.agency_role == AgencyRole.DEPUTY
        and deputy_approver(evaluation).value == policies.LEVEL_ABOVE
    )
    return approval_root(
        unit=evaluation.unit,
        agency=evaluation.agency,
        is_leader=evaluation.is_leader,
        agency_role=evaluation.agency_role,
        deputy_level_above=level_above,
    )


def can_approve(user: User, evaluation: Evaluation) -> bool:
    if not evaluation.is_scored():
        return False
    return can_approve_for(user, evaluation_root(evaluation), official=evaluation.official)


def _require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied


def _require_step(evaluation: Evaluation, step: str) -> None:
    if evaluation.step != step:
        raise ValidationError(
            _("This evaluation is at the step “%(current)s”, not “%(expected)s”.")
            % {"current": evaluation.get_step_display(), "expected": Step(step).label}
        )
