"""Background jobs (procrastinate): reminders of evaluation steps due or late.

Each task only works out its inputs and calls an action.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from procrastinate.contrib.django import app

from civility.evaluations.actions import send_evaluation_reminders


@app.periodic(cron="30 7 * * *")  # every day at 07:30 (server time zone)
@app.task(queue="reminders", name="evaluations.send_reminders", queueing_lock="evaluations-rem")
def send_evaluation_reminders_daily(timestamp: int) -> int:
    today = timezone.localdate(datetime.datetime.fromtimestamp(timestamp, tz=datetime.UTC))
    return send_evaluation_reminders(today=today)
