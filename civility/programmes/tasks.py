"""Background jobs (procrastinate): the daily reminders for tasks and for the title cycle.

Each task only works out the day (in Vietnam) and calls an action.
"""

from __future__ import annotations

import datetime

from procrastinate.contrib.django import app

from civility.programmes.actions import send_cycle_reminders, send_task_reminders
from civility.programmes.models import vietnam_today


def _day(timestamp: int) -> datetime.date:
    return vietnam_today(datetime.datetime.fromtimestamp(timestamp, tz=datetime.UTC))


@app.periodic(cron="30 7 * * *")  # every day at 07:30 (server time zone)
@app.task(queue="reminders", name="programmes.send_task_reminders", queueing_lock="prog-tasks")
def send_task_reminders_daily(timestamp: int) -> int:
    return send_task_reminders(today=_day(timestamp))


@app.periodic(cron="45 7 * * *")
@app.task(queue="reminders", name="programmes.send_cycle_reminders", queueing_lock="prog-cycles")
def send_cycle_reminders_daily(timestamp: int) -> int:
    return send_cycle_reminders(today=_day(timestamp))
