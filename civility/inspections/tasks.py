"""Background jobs (procrastinate): the daily reminder about corrective actions.

Periodic tasks are deferred by the worker itself, once per schedule tick however many
workers run. The task only works out the day and calls the action.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from procrastinate.contrib.django import app

from civility.inspections.actions import send_action_reminders


@app.periodic(cron="30 7 * * *")  # every day at 07:30 (server time zone)
@app.task(queue="reminders", name="inspections.send_action_reminders", queueing_lock="insp-rem")
def send_action_reminders_daily(timestamp: int) -> int:
    today = timezone.localdate(datetime.datetime.fromtimestamp(timestamp, tz=datetime.UTC))
    return send_action_reminders(today=today)
