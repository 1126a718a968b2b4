"""Background jobs (procrastinate): rollups of ratings, the ratings table's monthly
partitions, pruning of throttle buckets and old rating keys."""

from __future__ import annotations

import datetime

from procrastinate.contrib.django import app

from civility.feedback import cases, partitions, throttle, trust
from civility.feedback.actions import days_to_roll_up, rollup_days
from civility.feedback.models import AssistanceCall

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


@app.periodic(cron="41 2 * * *")
@app.task(queue="rollups", name="feedback.maintain_partitions", queueing_lock="feedback-parts")
def maintain_partitions(timestamp: int) -> int:
    now = datetime.datetime.fromtimestamp(timestamp, tz=datetime.UTC)
    partitions.ensure_current_partitions(now.date())
    return partitions.prune_rating_keys(now)


# --- Ratings you can trust and escalation (trust.py, cases.py) ---------------------------


@app.periodic(cron="* * * * *")
@app.task(queue="feedback", name="feedback.check_ratings", queueing_lock="feedback-check")
def check_ratings(timestamp: int) -> int:
    """Attach new kiosk ratings to counter sessions; flag bursts and session misuse."""
    return trust.check_new_ratings()


@app.periodic(cron="23 4 * * *")
@app.task(queue="feedback", name="feedback.check_top_shares", queueing_lock="feedback-share")
def check_top_shares(timestamp: int) -> int:
    return trust.check_top_shares()


@app.task(queue="feedback", name=trust.ESCALATE_CALL_TASK)
def escalate_call_task(call_id: int) -> int:
    """Scheduled when a call is raised, once per rung of the ladder."""
    call = AssistanceCall.objects.filter(pk=call_id).first()
    return len(trust.escalate_call(call=call)) if call is not None else 0


@app.periodic(cron="* * * * *")
@app.task(queue="feedback", name="feedback.escalate_calls", queueing_lock="feedback-calls")
def escalate_waiting_calls(timestamp: int) -> int:
    return trust.escalate_waiting_calls()


@app.periodic(cron="7 * * * *")
@app.task(queue="feedback", name="feedback.escalate_cases", queueing_lock="feedback-cases")
def escalate_cases(timestamp: int) -> int:
    return cases.escalate_overdue_cases()
