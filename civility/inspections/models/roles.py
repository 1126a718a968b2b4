"""Which roles may do what in inspections (each covering the unit named)."""

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser, User

from civility.orgs.scopes import Role

# Whoever asks: a signed-in user, an anonymous visitor, or nobody (a job, the demo loader).
Viewer: TypeAlias = User | AnonymousUser | None

# Who may change templates and plans (covering the owning unit).
MANAGER_ROLES = (Role.SYSTEM_ADMIN, Role.COORDINATOR)
# Who may run inspections for an inspecting unit (besides the delegation's members).
INSPECTOR_ROLES = (Role.SYSTEM_ADMIN, Role.COORDINATOR, Role.INSPECTOR)
# Who answers corrective actions for the inspected unit: its head and coordinators, and its
# staff, who usually did the work (the counter official fixes the counter's bell).
# Verification stays on the inspecting side (actions.can_verify).
RESPONDER_ROLES = (Role.SYSTEM_ADMIN, Role.COORDINATOR, Role.UNIT_HEAD, Role.OFFICIAL)
# Who an overdue corrective action is escalated to, at the level above the responsible unit.
ESCALATION_ROLES = (Role.COORDINATOR, Role.UNIT_HEAD)
