"""The person's own background jobs on the to-do home (civility/core/todo.py): one still
running says where to watch it, one that failed this week says it needs doing again.
One query."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AnonymousUser, User
from django.utils import timezone
from django.utils.translation import gettext as _

from civility.core.i18n import format_percent
from civility.core.models import Job, JobStatus
from civility.core.todo import LISTED, TodoItem

# A failure older than this is no longer news: the person has moved on or asked again.
FAILED_SHOWN_DAYS = 7


def items_for(user: User | AnonymousUser, *, today: datetime.date) -> list[TodoItem]:
    if not user.is_authenticated:
        return []
    since = timezone.now() - datetime.timedelta(days=FAILED_SHOWN_DAYS)
    jobs = (
        Job.objects.visible_to(user).unfinished()
        | Job.objects.visible_to(user).filter(status=JobStatus.FAILED, finished_at__gte=since)
    ).order_by("-created_at")[:LISTED]
    section = _("Background jobs")
    items = []
    for job in jobs:
        if job.status == JobStatus.FAILED:
            title = _("Failed: %(job)s") % {"job": job.title}
            detail = job.error[:200]
        else:
            title = _("Running: %(job)s") % {"job": job.title}
            detail = _("%(percent)s done") % {"percent": format_percent(job.percent)}
        items.append(
            TodoItem(
                title=title,
                detail=detail,
                url=job.get_absolute_url(),
                section=section,
                today=today,
            )
        )
    return items
