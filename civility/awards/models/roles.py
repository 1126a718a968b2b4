"""Who does what in awards: the roles each kind of work asks for."""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser, User

from civility.orgs.scopes import Role

# Whoever a page or the API reads for: a signed-in user or an anonymous visitor.
AnyUser: TypeAlias = User | AnonymousUser

# Who edits the catalogue, quotas and base salaries (of their province).
CATALOGUE_ROLES = (Role.SYSTEM_ADMIN, Role.COORDINATOR)
# Who proposes nominations for units they cover.
PROPOSER_ROLES = (Role.SYSTEM_ADMIN, Role.COORDINATOR, Role.UNIT_HEAD)
# Who votes on nominations.
BOARD_ROLES = (Role.BOARD_MEMBER,)
# Who closes reviews and records decisions.
DECIDER_ROLES = (Role.SYSTEM_ADMIN, Role.COORDINATOR, Role.BOARD_MEMBER)
# Who reads nominations and eligibility (they mention discipline and pending reviews).
READER_ROLES = (Role.SYSTEM_ADMIN, Role.COORDINATOR, Role.UNIT_HEAD, Role.BOARD_MEMBER)
# Who registers good models, replications, movements and registrations.
MANAGER_ROLES = (Role.SYSTEM_ADMIN, Role.COORDINATOR, Role.UNIT_HEAD)
