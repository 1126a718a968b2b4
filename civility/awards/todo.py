"""Nominations to vote on (board members) and to close (deciders), for the to-do home
(civility/core/todo.py). Two queries."""

from __future__ import annotations

import datetime

from django.db.models import Count, Min
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy

from civility.awards.models.nominations import Nomination, NominationStatus
from civility.awards.models.roles import AnyUser
from civility.core.todo import TodoItem
from civility.orgs.scopes import Role, scope_of


def items_for(user: AnyUser, *, today: datetime.date) -> list[TodoItem]:
    if not user.is_authenticated:
        return []
    listing = reverse("awards:nomination_list") + f"?status={NominationStatus.PROPOSED}"
    items = []
    for queryset, title in (
        (
            Nomination.objects.to_vote_by(user),
            ngettext_lazy("Vote on %(count)d nomination", "Vote on %(count)d nominations", "count"),
        ),
        (
            # Board members may close a review too, but they vote; closing it is listed for
            # the coordinators who run the board.
            Nomination.objects.to_decide_by(user).filter(
                scope_of(user).q("unit__path", roles=(Role.SYSTEM_ADMIN, Role.COORDINATOR))
            ),
            ngettext_lazy(
                "Close the board's review of %(count)d nomination",
                "Close the board's review of %(count)d nominations",
                "count",
            ),
        ),
    ):
        facts = queryset.aggregate(count=Count("pk"), first=Min("pk"), year=Min("year"))
        count = facts["count"]
        if not count:
            continue
        items.append(
            TodoItem(
                title=title % {"count": count},
                detail=_("Year %(year)s") % {"year": facts["year"]} if count == 1 else "",
                url=reverse("awards:nomination_detail", args=[facts["first"]])
                if count == 1
                else listing,
                section=_("Emulation and commendation"),
                count=count,
                today=today,
            )
        )
    return items
