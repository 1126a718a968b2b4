"""Every list page and API collection of insights reads the same number of queries for two
rows as for six: nothing is fetched row by row."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

import pytest

from civility.insights.models import CultureIndex, Delivery, JobStatus, ReportJob, Subscription
from civility.insights.periods import Period
from civility.orgs.models import OrgUnit, UnitKind
from tests.factories import make_official, make_unit
from tests.insights.conftest import counter
from tests.query_counts import Get, each_row, reader, reads_with_more

MARCH = Period.parse("2026-03")


def _no_more_with_more(get: Get, add: Callable[[], object]) -> None:
    """Two rows, then six: the second count is not higher than the first."""
    two, six = reads_with_more(get, each_row(lambda _number: add()))
    assert six.count <= two.count, f"{two.count} queries for 2 rows, {six.count} for 6"


@pytest.fixture
def ranked_wards(cast):
    """Adds a ward under the city with its index for March, one of its figures shrunk
    toward the city's (a small-sample note in the ranking)."""
    made: list[OrgUnit] = []

    def add() -> OrgUnit:
        ward = make_unit(f"Phường Thử {len(made)}", parent=cast.city, kind=UnitKind.WARD)
        CultureIndex.objects.create(
            unit=ward,
            parent=cast.city,
            period_kind=MARCH.kind,
            period_start=MARCH.start,
            score=Decimal(70 - len(made)),
            weight_covered=Decimal(100),
            rank=len(made) + 1,
            ranked_siblings=6,
            previous_rank=len(made) + 2,
            previous_score=Decimal(60),
            components=[
                {
                    "key": "satisfaction",
                    "weight": "20",
                    "numerator": "8",
                    "denominator": "10",
                    "value": "80.00",
                    "score": "75.00",
                    "treatment": "shrunk",
                    "estimate": "75.00",
                    "toward": cast.city.pk,
                    "toward_value": "70.00",
                    "min_sample": 30,
                    "score_low": "60.00",
                    "score_high": "85.00",
                }
            ],
        )
        made.append(ward)
        return ward

    return add


def test_the_dashboards_ranking_does_not_grow_with_the_wards(client, cast, ranked_wards):
    client.force_login(cast.city_coordinator)
    _no_more_with_more(
        reader(client, "/insights/", {"unit": cast.city.pk, "period": MARCH.slug}), ranked_wards
    )


def test_the_ranking_download_does_not_grow_with_the_wards(client, cast, ranked_wards):
    client.force_login(cast.city_coordinator)
    params = {"unit": cast.city.pk, "period": MARCH.slug, "table": "ranking", "format": "csv"}
    _no_more_with_more(reader(client, "/insights/export/", params), ranked_wards)


def test_the_rankings_api_does_not_grow_with_the_wards(client, cast, ranked_wards):
    client.force_login(cast.city_coordinator)
    params = {"unit": cast.city.pk, "period": MARCH.slug}
    _no_more_with_more(reader(client, "/api/v1/insights/rankings", params), ranked_wards)


def test_a_wards_dashboard_does_not_grow_with_its_counters_and_officials(client, cast):
    names = iter(range(100))

    def add() -> None:
        n = next(names)
        counter(cast.a.ward, name=f"Quầy số {n}")
        make_official(f"Trần Thị Thử {n}", unit=cast.a.ward)

    client.force_login(cast.city_coordinator)
    params = {"unit": cast.a.ward.pk, "period": MARCH.slug}
    _no_more_with_more(reader(client, "/insights/", params), add)


def test_the_report_list_does_not_grow_with_the_reports(client, cast):
    starts = iter(range(1, 13))

    def add() -> None:
        ReportJob.objects.create(
            unit=cast.city,
            period_kind="month",
            period_start=datetime.date(2025, next(starts), 1),
            requested_by=cast.city_coordinator,
            status=JobStatus.DONE,
        )

    client.force_login(cast.city_coordinator)
    _no_more_with_more(reader(client, "/insights/reports/", {"unit": cast.city.pk}), add)


def test_the_subscription_list_does_not_grow_with_the_subscriptions(client, cast):
    made: list[Subscription] = []

    def add() -> None:
        ward = make_unit(f"Phường Đăng Ký {len(made)}", parent=cast.city, kind=UnitKind.WARD)
        subscription = Subscription.objects.create(
            user=cast.city_coordinator, unit=ward, kind="month", format="docx"
        )
        Delivery.objects.create(subscription=subscription, period_start=MARCH.start)
        made.append(subscription)

    client.force_login(cast.city_coordinator)
    _no_more_with_more(reader(client, "/insights/subscriptions/"), add)


def test_the_public_scorecard_list_does_not_grow_with_the_units(client, cast):
    names = iter(range(100))

    def add() -> None:
        make_unit(f"Phường Công Khai {next(names)}", parent=cast.city, kind=UnitKind.WARD)

    _no_more_with_more(reader(client, "/scorecards/", {"q": "cong khai"}), add)
