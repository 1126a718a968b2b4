"""The calendar day in Vietnam and the roles that coordinate programmes."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from civility.orgs.scopes import Role

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
# Roles that define programmes and indicators and allocate targets.
COORDINATOR_ROLES = (Role.SYSTEM_ADMIN, Role.COORDINATOR)


def vietnam_today(now: datetime.datetime | None = None) -> datetime.date:
    """The calendar day in Vietnam at `now` (default: this moment)."""
    return timezone.localtime(now or timezone.now(), VIETNAM).date()
