"""The official's commitments to sign, for the to-do home (civility/core/todo.py)."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AnonymousUser, User
from django.urls import reverse
from django.utils.translation import gettext as _

from civility.codes.actions import official_of
from civility.codes.models import CommitmentCampaign
from civility.core.todo import TodoItem


def items_for(user: User | AnonymousUser, *, today: datetime.date) -> list[TodoItem]:
    official = official_of(user)
    if official is None:
        return []
    campaigns = (
        CommitmentCampaign.objects.open(on=today)
        .for_official(official)
        .exclude(commitments__official=official)
        .select_related("version__code")
        .order_by("deadline", "pk")
    )
    return [
        TodoItem(
            title=_("Sign the commitment: %(campaign)s") % {"campaign": campaign.title},
            detail=campaign.version.code.display_title,
            due=campaign.deadline,
            url=reverse("codes:commitment_sign", args=[campaign.pk]),
            section=_("Codes of conduct"),
            today=today,
        )
        for campaign in campaigns
    ]
