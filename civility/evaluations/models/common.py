"""Who may do what with evaluations and classifications: the roles and the row conditions
for approvers and reviewers."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q

from civility.orgs.models import AgencyRole
from civility.orgs.scopes import Role, scope_of

# Who opens periods, sees every evaluation of their subtree and its figures.
MANAGER_ROLES = (Role.SYSTEM_ADMIN, Role.COORDINATOR, Role.UNIT_HEAD)
# Who reads the evaluations of their subtree (supervisors hold the evaluator role).
READER_ROLES = (Role.SYSTEM_ADMIN, Role.COORDINATOR, Role.UNIT_HEAD, Role.EVALUATOR)
# Who approves evaluations and confirms classifications.
APPROVER_ROLES = (Role.SYSTEM_ADMIN, Role.UNIT_HEAD)


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _nobody() -> Q:
    return Q(pk__in=[])


def _approver_q(user: User | AnonymousUser | None, *, staff_path: str = "unit__path") -> Q:
    """Rows (evaluations, classifications) `user` may approve: the SQL form of
    `actions.common.approval_root` and `can_approve_for`, for lists and counts
    (tests/core/test_todo_home.py keeps the two in step). The head of an agency is approved
    from the level above; its deputies and other leaders by a head of the agency; staff by a
    head of their unit (`staff_path`: the agency for the annual classification). Deputies
    follow the default of the monthly setting (their own agency's head): where a province
    chose the level above, the action still refuses, and the list may show one too many."""
    if user is None or not user.is_authenticated:
        return _nobody()
    scope = scope_of(user)
    not_self = ~Q(official__user=user)
    if scope.is_global:
        return not_self
    condition = _nobody()
    for path in scope.paths_with_role(*APPROVER_ROLES):
        in_agency = Q(agency__path__startswith=path)
        condition |= (
            (Q(agency_role=AgencyRole.HEAD) & in_agency & ~Q(agency__path=path))
            | (Q(agency_role=AgencyRole.DEPUTY) & in_agency)
            | (Q(agency_role="", is_leader=True) & in_agency)
            | (Q(agency_role="", is_leader=False) & Q(**{f"{staff_path}__startswith": path}))
        )
    return condition & not_self


def _reviewer_q(user: User | AnonymousUser | None) -> Q:
    """Evaluations `user` may rate: the SQL form of `actions.can_review`."""
    if user is None or not user.is_authenticated:
        return _nobody()
    scope = scope_of(user)
    reviewers = (Role.EVALUATOR, Role.UNIT_HEAD)
    unassigned = Q(supervisor__isnull=True) & (
        Q() if scope.is_global else scope.q("unit__path", roles=reviewers)
    )
    return (Q(supervisor=user) | unassigned) & ~Q(official__user=user)
