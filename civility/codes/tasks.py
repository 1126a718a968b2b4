"""Background jobs (procrastinate). Run a worker with `manage.py procrastinate worker`.

Periodic tasks are deferred by the worker itself, once per schedule tick however many
workers run. Each task only works out its inputs and calls an action.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from procrastinate.contrib.django import app

from civility.codes.actions import send_commitment_reminders


@app.periodic(cron="0 7 * * *")  # every day at 07:00 (server time zone)
@app.task(queue="reminders", name="codes.send_commitment_reminders", queueing_lock="codes-rem")
def send_commitment_reminders_daily(timestamp: int) -> int:
    today = timezone.localdate(datetime.datetime.fromtimestamp(timestamp, tz=datetime.UTC))
    return send_commitment_reminders(today=today)
