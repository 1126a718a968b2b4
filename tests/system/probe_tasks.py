"""Tasks for the multi-process and fault tests: a tick every second, and a slow job that
records its completion."""

import time

from django.db import connection
from procrastinate.contrib.django import app

from civility.core.tasks import retry_stalled


@app.periodic(cron="* * * * * *")
@app.task(name="system_probe_tick", queue="probe")
def tick(timestamp: int) -> None:
    return None


@app.task(name="system_probe_slow", queue="probe")
def slow(marker: str, seconds: float = 4) -> None:
    time.sleep(seconds)
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO system_probe_done (marker) VALUES (%s)", [marker])


@app.periodic(cron="* * * * * */2")
@app.task(name="system_probe_retry_stalled", queue="probe", queueing_lock="probe_retry")
async def retry(timestamp: int) -> None:
    await retry_stalled(seconds=3)
