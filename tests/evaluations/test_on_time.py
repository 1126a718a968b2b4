"""Self-assessed "on time" is one rule: the day of submission, read in Vietnam's time zone,
is at most the period's self-assessment deadline. The model method answers for one
evaluation and the QuerySet methods for many (the culture index counts them per unit)."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import Count, Q
from django.utils import timezone

from civility.evaluations.models import Evaluation

pytestmark = pytest.mark.django_db


def test_the_queryset_and_the_model_agree_on_who_was_on_time(open_period):
    period = open_period()
    first, second, third = Evaluation.objects.filter(period=period).order_by("pk")[:3]
    zone = timezone.get_current_timezone()
    deadline = period.self_deadline
    # 23:30 on the deadline in Hanoi; 00:30 the day after is still the deadline's date in UTC.
    on_time = datetime.datetime.combine(deadline, datetime.time(23, 30), tzinfo=zone)
    late = datetime.datetime.combine(
        deadline + datetime.timedelta(days=1), datetime.time(0, 30), tzinfo=zone
    )
    Evaluation.objects.filter(pk=first.pk).update(self_submitted_at=on_time)
    Evaluation.objects.filter(pk=second.pk).update(self_submitted_at=late)
    evaluations = Evaluation.objects.filter(pk__in=[first.pk, second.pk, third.pk])

    assert list(evaluations.submitted_on_time()) == [first]
    annotated = {row.pk: row.is_submitted_on_time for row in evaluations.with_submitted_on_time()}
    assert annotated == {
        row.pk: row.submitted_on_time() for row in evaluations.select_related("period")
    }
    assert annotated == {first.pk: True, second.pk: False, third.pk: None}


def test_counts_per_unit_use_the_annotation(open_period):
    period = open_period()
    evaluations = Evaluation.objects.filter(period=period)
    first = evaluations.order_by("pk").first()
    zone = timezone.get_current_timezone()
    submitted = datetime.datetime.combine(period.self_deadline, datetime.time(9), tzinfo=zone)
    Evaluation.objects.filter(pk=first.pk).update(self_submitted_at=submitted)
    day_after = period.self_deadline + datetime.timedelta(days=1)

    rows = (
        evaluations.self_assessments_due(day_after)
        .with_submitted_on_time()
        .values("unit_id")
        .annotate(n=Count("pk"), on_time=Count("pk", filter=Q(is_submitted_on_time=True)))
        .order_by()
    )

    counts = {row["unit_id"]: (row["on_time"], row["n"]) for row in rows}
    assert sum(n for _on_time, n in counts.values()) == evaluations.count()
    assert counts[first.unit_id][0] == 1
    assert sum(on_time for on_time, _n in counts.values()) == 1
    assert not evaluations.self_assessments_due(period.self_deadline).exclude(pk=first.pk)
