"""Background jobs (procrastinate): the daily check that flags awards for revocation review.

Confirming a violation record flags the awards concerned at once (conduct calls
`flag_awards_for_record`); the daily check also catches awards recorded after the record was
confirmed (an earlier decision entered later). Each award is flagged once per record.
"""

from __future__ import annotations

from procrastinate.contrib.django import app

from civility.awards.actions import flag_awards_for_confirmed_records


@app.periodic(cron="15 6 * * *")  # every day at 06:15 (server time zone)
@app.task(queue="reminders", name="awards.flag_awards_for_revocation", queueing_lock="awd-rev")
def flag_awards_for_revocation_daily(timestamp: int) -> int:
    return flag_awards_for_confirmed_records()
