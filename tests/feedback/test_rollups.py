"""Daily rollups, computed by the background job, equal the raw records exactly."""

from __future__ import annotations

import datetime
import random
import uuid
from collections import Counter

import time_machine
from django.utils import timezone

from civility.feedback import figures
from civility.feedback.actions import RatingInput, record_ratings, rollup_days
from civility.feedback.models import RatingDay, Reason, ReasonDay, ServiceRating
from civility.feedback.tasks import roll_up_ratings
from tests.factories import make_official


def _seed(point, count=400, seed=7):
    rng = random.Random(seed)
    other = make_official("Đỗ Minh Khoa", unit=point.counter2)
    now = timezone.now()
    for counter, official in (
        (point.counter, point.clerk_official.pk),
        (point.counter2, other.pk),
        (point.counter2, None),
    ):
        items = [
            RatingInput(
                client_id=uuid.uuid4(),
                level=rng.randint(1, 5),
                reasons=rng.sample(Reason.values, rng.randint(0, 3)),
                rated_at=now - datetime.timedelta(hours=rng.randint(0, 24 * 9)),
            )
            for _ in range(count)
        ]
        record_ratings(counter=counter, ratings=items, channel="kiosk", official_id=official)
    return other


def test_the_job_rolls_up_every_day_that_received_ratings_and_matches_raw_counts(point):
    _seed(point)
    roll_up_ratings(int(timezone.now().timestamp()))

    raw = Counter(
        (r.rated_on, r.counter_id, r.official_id, r.level) for r in ServiceRating.objects.all()
    )
    rolled = Counter(
        {(r.day, r.counter_id, r.official_id, r.level): r.ratings for r in RatingDay.objects.all()}
    )
    assert rolled == raw
    assert sum(rolled.values()) == 1200

    raw_reasons = Counter(
        (r.rated_on, r.counter_id, r.official_id, reason)
        for r in ServiceRating.objects.all()
        for reason in r.reasons
    )
    rolled_reasons = Counter()
    for r in ReasonDay.objects.all():
        rolled_reasons[(r.day, r.counter_id, r.official_id, r.reason)] += r.ratings
    assert rolled_reasons == raw_reasons


def test_running_the_rollup_twice_changes_nothing(point):
    _seed(point, count=50)
    days = list(ServiceRating.objects.values_list("rated_on", flat=True).distinct())
    rollup_days(days=days)
    fields = ("day", "counter", "official", "level", "ratings")
    first = Counter(RatingDay.objects.values_list(*fields))
    rollup_days(days=days)
    assert Counter(RatingDay.objects.values_list(*fields)) == first


def test_a_late_offline_backlog_is_rolled_up_on_the_next_run(point):
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        roll_up_ratings(int(now.timestamp()))
    old = now - datetime.timedelta(days=6)
    record_ratings(
        counter=point.counter,
        ratings=[RatingInput(client_id=uuid.uuid4(), level=5, rated_at=old)],
        channel="kiosk",
    )
    roll_up_ratings(int(timezone.now().timestamp()))

    assert RatingDay.objects.get(day=timezone.localdate(old)).ratings == 1


def test_figures_for_any_period_unit_and_official_equal_the_raw_records(point):
    other = _seed(point)
    roll_up_ratings(int(timezone.now().timestamp()))
    end = timezone.localdate()
    start = end - datetime.timedelta(days=4)

    def raw_for(qs):
        qs = qs.filter(rated_on__gte=start, rated_on__lte=end)
        return qs.count(), qs.filter(side=1).count()

    cases = [
        (
            figures.rating_figures(start=start, end=end, unit=point.point),
            ServiceRating.objects.all(),
        ),
        (
            figures.rating_figures(start=start, end=end, unit=point.counter2),
            ServiceRating.objects.filter(counter=point.counter2),
        ),
        (
            figures.rating_figures(start=start, end=end, official=other),
            ServiceRating.objects.filter(official=other),
        ),
    ]
    for result, raw in cases:
        total, satisfied = raw_for(raw)
        assert result.ratings == total > 0
        assert result.satisfied == satisfied
        assert result.satisfaction_rate == round(100 * satisfied / total, 1)
        assert sum(share.ratings for share in result.levels) == total


def test_figures_stay_comparable_across_scale_profiles(point, settings):
    now = timezone.now()
    record_ratings(
        counter=point.counter,
        ratings=[RatingInput(client_id=uuid.uuid4(), level=2, rated_at=now)],  # Satisfied of 5
        channel="kiosk",
    )
    settings.FEEDBACK_RATING_SCALE = "three"
    record_ratings(
        counter=point.counter,
        ratings=[
            RatingInput(client_id=uuid.uuid4(), level=1, rated_at=now),  # Satisfied of 3
            RatingInput(client_id=uuid.uuid4(), level=3, rated_at=now),  # Dissatisfied of 3
        ],
        channel="kiosk",
    )
    rollup_days(days=[timezone.localdate(now)])
    today = timezone.localdate(now)

    result = figures.rating_figures(start=today, end=today, unit=point.counter)
    assert (result.ratings, result.satisfied, result.dissatisfied) == (3, 2, 1)
    assert result.mean_score == round((75 + 100 + 0) / 3, 1)
