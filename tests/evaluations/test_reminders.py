"""Reminders of steps due soon or late, written once a day to whoever must act."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail

from civility.evaluations.actions import send_evaluation_reminders
from civility.evaluations.models import EvaluationReminder
from civility.evaluations.tasks import send_evaluation_reminders_daily

pytestmark = pytest.mark.django_db


def test_officials_are_reminded_before_the_self_assessment_deadline(cast, people, open_period):
    cast.a.official_user.email = "a@example.vn"
    cast.a.official_user.save()
    open_period()  # self-assessment due 3/4/2025
    assert send_evaluation_reminders(today=datetime.date(2025, 3, 29)) == 0
    created = send_evaluation_reminders(today=datetime.date(2025, 3, 31))
    recipients = set(EvaluationReminder.objects.values_list("recipient__username", flat=True))
    assert created == 3 and recipients == {"official_a", "official_b", "colleague_a"}
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["a@example.vn"]
    # Once a day only.
    assert send_evaluation_reminders(today=datetime.date(2025, 3, 31)) == 0


def test_late_steps_remind_the_supervisor_then_the_head(cast, people, open_period, walk):
    period = open_period()
    walk(period.evaluations.get(official=cast.a.official), to="review")
    walk(period.evaluations.get(official=cast.b.official), to="approval")
    send_evaluation_reminders(today=datetime.date(2025, 4, 20))
    by_step = {
        (r.evaluation.official_id, r.step): r.recipient
        for r in EvaluationReminder.objects.select_related("evaluation")
    }
    assert by_step[(cast.a.official.pk, "review")] == people.evaluator
    assert by_step[(cast.b.official.pk, "approval")] == cast.b.head


def test_the_periodic_task_runs_for_the_day(cast, people, open_period):
    open_period()
    moment = datetime.datetime(2025, 4, 3, 0, 30, tzinfo=datetime.UTC)
    assert send_evaluation_reminders_daily(int(moment.timestamp())) == 3
