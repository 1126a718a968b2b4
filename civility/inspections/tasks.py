"""Background jobs (procrastinate): the daily reminder about corrective actions and the daily
escalation of those overdue past the second deadline.

Periodic tasks are deferred by the worker itself, once per schedule tick however many
workers run. The task only works out the day and calls the action.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from procrastinate.contrib.django import app

from civility.inspections.actions import escalate_overdue_actions, send_action_reminders


@app.periodic(cron="30 7 * * *")  # every day at 07:30 (server time zone)
@app.task(queue="reminders", name="inspections.send_action_reminders", queueing_lock="insp-rem")
def send_action_reminders_daily(timestamp: int) -> int:
    today = timezone.localdate(datetime.datetime.fromtimestamp(timestamp, tz=datetime.UTC))
    return send_action_reminders(today=today)


@app.periodic(cron="45 7 * * *")  # every day at 07:45, after the reminders
@app.task(queue="reminders", name="inspections.escalate_overdue_actions", queueing_lock="insp-esc")
def escalate_overdue_actions_daily(timestamp: int) -> int:
    today = timezone.localdate(datetime.datetime.fromtimestamp(timestamp, tz=datetime.UTC))
    return escalate_overdue_actions(today=today)
