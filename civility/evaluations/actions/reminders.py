"""Reminders of monthly steps due or late, in the app and by e-mail."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from civility.evaluations.actions.common import (
    evaluation_root,
    may_approve,
)
from civility.evaluations.models import (
    Evaluation,
    EvaluationReminder,
    Step,
)
from civility.orgs.models import (
    RoleAssignment,
)
from civility.orgs.scopes import Role

logger = logging.getLogger(__name__)

# Days before a step's deadline on which the reminder job writes (and on the day itself);
# after the deadline it writes every day until the step is done.
DEFAULT_REMINDER_DAYS = (3, 1, 0)


def reminder_days() -> tuple[int, ...]:
    return tuple(getattr(settings, "EVALUATION_REMINDER_DAYS", DEFAULT_REMINDER_DAYS))


def _approvers(evaluation: Evaluation, heads: list[tuple[str, int]]) -> list[int]:
    root = evaluation_root(evaluation)
    return sorted(
        {
            user_id
            for grant_path, user_id in heads
            if may_approve([grant_path], root) and user_id != evaluation.official.user_id
        }
    )


def send_evaluation_reminders(*, today: datetime.date) -> int:
    """Write a reminder to whoever must act on each step due soon or late; e-mail those with
    an address. Idempotent per day."""
    days = reminder_days()
    heads = list(
        RoleAssignment.objects.filter(role=Role.UNIT_HEAD).values_list("unit__path", "user_id")
    )
    pending = (
        Evaluation.objects.filter(period__closed_at__isnull=True)
        .scored()
        .exclude(step=Step.DONE)
        .select_related("period", "unit", "agency", "official")
    )
    created = 0
    to_mail: list[EvaluationReminder] = []
    for evaluation in pending.iterator(chunk_size=500):
        deadline = evaluation.deadline()
        assert deadline is not None  # pending: at a step with a deadline (self, review, approval)
        remaining = (deadline - today).days
        if remaining not in days and remaining >= 0:
            continue
        if evaluation.step == Step.SELF:
            recipients = [evaluation.official.user_id] if evaluation.official.user_id else []
        elif evaluation.step == Step.REVIEW:
            recipients = (
                [evaluation.supervisor_id]
                if evaluation.supervisor_id
                else _approvers(evaluation, heads)
            )
        else:
            recipients = _approvers(evaluation, heads)
        for user_id in recipients:
            reminder, made = EvaluationReminder.objects.get_or_create(
                evaluation=evaluation, step=evaluation.step, recipient_id=user_id, sent_on=today
            )
            if made:
                created += 1
                to_mail.append(reminder)
    users = get_user_model().objects.in_bulk({r.recipient_id for r in to_mail})
    for reminder in to_mail:
        user = users.get(reminder.recipient_id)
        if user is None or not user.email:
            continue
        try:
            _mail_reminder(reminder, user)
        except Exception:
            logger.exception("evaluation reminder %s: e-mail failed", reminder.pk)
            continue
        EvaluationReminder.objects.filter(pk=reminder.pk).update(emailed=True)
    return created


def _mail_reminder(reminder: EvaluationReminder, user: User) -> None:
    evaluation = reminder.evaluation
    deadline = evaluation.deadline()
    language = getattr(getattr(user, "profile", None), "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        subject = _("Evaluation of %(official)s for %(month)s: %(step)s due %(deadline)s") % {
            "official": evaluation.official.full_name,
            "month": evaluation.period.month.strftime("%m/%Y"),
            "step": Step(reminder.step).label,
            "deadline": deadline.strftime("%d/%m/%Y") if deadline else "",
        }
        link = settings.SITE_URL + reverse("evaluations:evaluation_detail", args=[evaluation.pk])
        body = _("Open the evaluation: %(link)s") % {"link": link}
    send_mail(subject, body, None, [user.email])
