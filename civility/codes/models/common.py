"""What the codes models share: who coordinates, and the rows a user's scope overlaps."""

from __future__ import annotations

from django.db.models import Q

from civility.orgs.scopes import Reader, Role, scope_of

# Roles that may publish code versions and start commitment campaigns.
COORDINATOR_ROLES = (Role.SYSTEM_ADMIN, Role.COORDINATOR)


def overlapping_q(user: Reader, path_field: str) -> Q:
    """Rows whose unit lies inside the user's scope, or above it (a city-wide campaign is
    relevant to a ward head, who then sees only their own subtree's part of it)."""
    scope = scope_of(user)
    if scope.is_global:
        return Q()
    condition = scope.q(path_field)
    ancestors: set[str] = set()
    for path in scope.paths:
        parts = path.strip("/").split("/")
        ancestors.update("/".join(parts[:i]) + "/" for i in range(1, len(parts)))
    if ancestors:
        condition |= Q(**{f"{path_field}__in": sorted(ancestors)})
    return condition
