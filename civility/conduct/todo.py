"""Confidential violation records waiting for a decision by the heads and coordinators of
the unit's subtree, for the to-do home (civility/core/todo.py). One query that
returns counts only: the home names no official."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy

from civility.conduct.models import DECIDER_ROLES, RecordStatus, ViolationRecord
from civility.core.todo import TodoItem
from civility.orgs.scopes import scope_of

STEPS = (
    (
        RecordStatus.DRAFT,
        ngettext_lazy(
            "%(count)d draft violation record from an inspection to review",
            "%(count)d draft violation records from inspections to review",
            "count",
        ),
    ),
    (
        RecordStatus.REPORTED,
        ngettext_lazy(
            "%(count)d reported violation record to verify",
            "%(count)d reported violation records to verify",
            "count",
        ),
    ),
    (
        RecordStatus.VERIFYING,
        ngettext_lazy(
            "%(count)d violation record being verified, to decide",
            "%(count)d violation records being verified, to decide",
            "count",
        ),
    ),
)


def items_for(user: User | AnonymousUser, *, today: datetime.date) -> list[TodoItem]:
    if not user.is_authenticated:
        return []
    # Listed for those who decide (heads and coordinators); nobody handles a record about
    # themselves (actions.can_handle).
    records = (
        ViolationRecord.objects.handled_by(user)
        .filter(scope_of(user).q("unit__path", roles=DECIDER_ROLES))
        .open()
        .exclude(official__user=user)
    )
    facts = records.aggregate(
        **{f"{status}_count": Count("pk", filter=Q(status=status)) for status, _title in STEPS},
        **{
            f"{status}_since": Min("reported_at", filter=Q(status=status))
            for status, _title in STEPS
        },
    )
    listing = reverse("conduct:record_list")
    items = []
    for status, title in STEPS:
        count = facts[f"{status}_count"]
        if not count:
            continue
        since = timezone.localdate(facts[f"{status}_since"])
        items.append(
            TodoItem(
                title=title % {"count": count},
                detail=_("The oldest was reported on %(date)s")
                % {"date": date_format(since, "SHORT_DATE_FORMAT")},
                url=f"{listing}?status={status}",
                section=_("Conduct records"),
                count=count,
                today=today,
            )
        )
    return items
