"""Monthly partitions of the ratings table and the pruning of old rating keys.

The partitions themselves are made by the database function `feedback_rating_partition`
(migration 0004), which also moves any rows the DEFAULT partition caught for that month.
"""

from __future__ import annotations

import datetime

from django.db import connection

from civility.feedback.limits import MAX_RATING_AGE
from civility.feedback.models import RatingKey

# Months made ahead of time, so the first rating of a month never lands in DEFAULT.
MONTHS_AHEAD = 2
# A client id is remembered well beyond the oldest rating a kiosk may still send; dossier
# codes are remembered for ever (one rating per dossier).
KEY_MEMORY = MAX_RATING_AGE * 3


def month_starts(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    month = first.replace(day=1)
    months = []
    while month <= last:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def ensure_rating_partitions(first: datetime.date, last: datetime.date) -> list[str]:
    """Partitions for every month from `first` to `last`; returns their table names."""
    with connection.cursor() as cursor:
        names = []
        for month in month_starts(first, last):
            cursor.execute("SELECT feedback_rating_partition(%s)", [month])
            names.append(cursor.fetchone()[0])
    return names


def ensure_current_partitions(today: datetime.date) -> list[str]:
    return ensure_rating_partitions(
        today - MAX_RATING_AGE, today + datetime.timedelta(days=31 * MONTHS_AHEAD)
    )


def prune_rating_keys(now: datetime.datetime) -> int:
    return RatingKey.objects.filter(dossier_code="", claimed_at__lt=now - KEY_MEMORY).delete()[0]
