"""Who sees and handles what in feedback: the roles that triage and answer, the kinds of
unit that take ratings and own dossier figures, and the scope filter every QuerySet uses."""

from __future__ import annotations

from django.db.models import Q

from civility.orgs.models import UnitKind
from civility.orgs.scopes import MANAGER_ROLES, Reader, Role, scope_of

# Roles that triage reports, register kiosks, import dossier figures.
STAFF_ROLES = (*MANAGER_ROLES, Role.OFFICIAL)
# Roles whose screens ring when a counter in their subtree calls for help.
BELL_ROLES = (Role.SYSTEM_ADMIN, Role.UNIT_HEAD, Role.OFFICIAL)
# Units that may receive ratings and assistance calls.
RATED_UNIT_KINDS = (UnitKind.COUNTER,)
# Units that own dossier statistics.
DOSSIER_UNIT_KINDS = (
    UnitKind.SERVICE_CENTER,
    UnitKind.SERVICE_BRANCH,
    UnitKind.SERVICE_POINT,
    UnitKind.COUNTER,
)


def scoped(path_field: str, user: Reader, roles: tuple[str, ...] | None = None) -> Q:
    """The rows under the part of the unit tree `user` reads (holding one of `roles`)."""
    return scope_of(user).q(path_field, roles=roles)
