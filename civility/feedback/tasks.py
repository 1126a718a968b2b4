"""Background jobs (procrastinate): rollups of ratings, pruning of throttle buckets."""

from __future__ import annotations

import datetime

from procrastinate.contrib.django import app

from civility.feedback import throttle
from civility.feedback.actions import days_to_roll_up, rollup_days

# Ratings received in this window are rolled up on every run, so a late offline backlog (or
# a run that failed) is caught up by the next one.
LOOKBACK = datetime.timedelta(hours=2)


@app.periodic(cron="*/10 * * * *")
@app.task(queue="rollups", name="feedback.roll_up_ratings", queueing_lock="feedback-rollup")
def roll_up_ratings(timestamp: int) -> int:
    now = datetime.datetime.fromtimestamp(timestamp, tz=datetime.UTC)
    return rollup_days(days=days_to_roll_up(since=now - LOOKBACK))


@app.periodic(cron="17 3 * * *")
@app.task(queue="rollups", name="feedback.prune_throttles", queueing_lock="feedback-prune")
def prune_throttles(timestamp: int) -> int:
    return throttle.prune()
