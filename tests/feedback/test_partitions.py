"""The ratings table is partitioned by month: every rating lands in its month (or, before
that month exists, in DEFAULT and moves when it is made), and every writer stays idempotent
because the trigger claims the client id and the dossier code."""

from __future__ import annotations

import datetime
import uuid

from django.db import connection
from django.utils import timezone

from civility.feedback.models import Channel, RatingKey, ServiceRating
from civility.feedback.partitions import (
    ensure_current_partitions,
    ensure_rating_partitions,
    prune_rating_keys,
)


def store(counter, day: datetime.date, *, client_id=None, dossier_code: str = "") -> None:
    """A plain SQL INSERT, as a bulk load or COPY would write (record_ratings is tested in
    test_kiosk_ingest)."""
    rated_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO feedback_servicerating (client_id, counter_id, channel, scale, level,"
            " score, side, reasons, comment, dossier_code, rated_at, rated_on)"
            " VALUES (%s, %s, %s, 'five', 1, 100, 1, '{}', '', %s, %s, %s)",
            [client_id or uuid.uuid4(), counter.pk, Channel.KIOSK, dossier_code, rated_at, day],
        )


def partition_of(client_id) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text FROM feedback_servicerating WHERE client_id = %s",
            [client_id],
        )
        return cursor.fetchone()[0]


def test_a_rating_lands_in_its_months_partition(point):
    today = timezone.localdate()
    ensure_current_partitions(today)
    client_id = uuid.uuid4()

    store(point.counter, today, client_id=client_id)

    assert partition_of(client_id) == f"feedback_servicerating_{today:%Y%m}"


def test_a_month_without_partition_is_kept_in_default_and_moved_when_made(point):
    old_day = datetime.date(2019, 3, 14)
    client_id = uuid.uuid4()
    store(point.counter, old_day, client_id=client_id)
    assert partition_of(client_id) == "feedback_servicerating_default"

    names = ensure_rating_partitions(old_day, old_day)

    assert names == ["feedback_servicerating_201903"]
    assert partition_of(client_id) == "feedback_servicerating_201903"
    assert ServiceRating.objects.filter(rated_on=old_day).count() == 1


def test_making_a_partition_twice_changes_nothing(point):
    day = timezone.localdate()
    first = ensure_rating_partitions(day, day + datetime.timedelta(days=40))
    second = ensure_rating_partitions(day, day + datetime.timedelta(days=40))

    assert first == second
    assert len(first) in (2, 3)


def test_the_same_client_id_is_stored_once_by_any_writer_even_in_another_month(point):
    client_id = uuid.uuid4()
    today = timezone.localdate()
    store(point.counter, today, client_id=client_id)
    store(point.counter, today - datetime.timedelta(days=40), client_id=client_id)

    assert ServiceRating.objects.filter(client_id=client_id).count() == 1
    assert RatingKey.objects.claimed(client_id)


def test_one_rating_per_dossier_across_months(point):
    today = timezone.localdate()
    store(point.counter, today, dossier_code="HS-1")
    store(point.counter, today - datetime.timedelta(days=40), dossier_code="HS-1")

    assert ServiceRating.objects.filter(dossier_code="HS-1").count() == 1
    assert RatingKey.objects.dossier_rated("HS-1")


def test_old_keys_are_pruned_but_dossier_keys_are_kept(point):
    today = timezone.localdate()
    plain, dossier = uuid.uuid4(), uuid.uuid4()
    store(point.counter, today, client_id=plain)
    store(point.counter, today, client_id=dossier, dossier_code="HS-2")

    pruned = prune_rating_keys(timezone.now() + datetime.timedelta(days=365))

    assert pruned == 1
    assert not RatingKey.objects.claimed(plain)
    assert RatingKey.objects.claimed(dossier)
    assert ServiceRating.objects.count() == 2  # pruning keys never touches ratings


def test_day_ranges_read_only_their_months(point):
    today = timezone.localdate()
    ensure_current_partitions(today)
    first = today.replace(day=1)
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN SELECT count(*) FROM feedback_servicerating WHERE rated_on BETWEEN %s AND %s",
            [first, today],
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert f"feedback_servicerating_{today:%Y%m}" in plan
    assert "feedback_servicerating_default" not in plan
