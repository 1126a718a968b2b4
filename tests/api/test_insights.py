"""The culture index in the API (issue 22): a unit's index with its components and band,
and the ranking of a unit's children with confidence bands, read from what the index job
stored (nothing computed), scoped like the dashboard."""

from __future__ import annotations

import datetime
from decimal import Decimal

from civility.insights.models import CultureIndex

MARCH = datetime.date(2026, 3, 1)


def _entry(unit, parent, *, score, low, high, rank, components=()):
    return CultureIndex.objects.create(
        unit=unit,
        parent=parent,
        period_kind="month",
        period_start=MARCH,
        score=score,
        score_low=low,
        score_high=high,
        rank=rank,
        ranked_siblings=2,
        weight_covered=Decimal("0.40"),
        components=list(components),
    )


SATISFACTION = {
    "key": "satisfaction",
    "weight": "0.40",
    "effective_weight": "1.00",
    "numerator": "40",
    "denominator": "50",
    "value": "80.00",
    "score": "80.00",
    "score_low": "68.50",
    "score_high": "88.70",
}


def test_the_index_of_a_unit_has_its_band_rank_and_components(client, cast):
    _entry(
        cast.a.ward,
        cast.city,
        score=80,
        low=Decimal("68.5"),
        high=Decimal("88.7"),
        rank=1,
        components=[SATISFACTION],
    )
    client.force_login(cast.a.head)

    data = client.get("/api/v1/insights/index", {"unit": cast.a.ward.pk, "period": "2026-03"})

    assert data.status_code == 200, data.content
    body = data.json()
    assert (body["score"], body["score_low"], body["score_high"]) == ("80.00", "68.50", "88.70")
    assert body["rank"] == 1 and body["period"] == "2026-03"
    components = {c["key"]: c for c in body["components"]}
    assert components["satisfaction"]["score"] == "80.00"
    assert components["violations"]["score"] is None  # no data: to be assessed, not a level


def test_a_unit_without_an_index_is_to_be_assessed(client, cast):
    client.force_login(cast.a.head)

    body = client.get(
        "/api/v1/insights/index", {"unit": cast.a.ward.pk, "period": "2026-03"}
    ).json()

    assert body["score"] is None and body["rank"] is None


def test_the_ranking_lists_the_children_with_their_bands(client, cast):
    _entry(cast.a.ward, cast.city, score=80, low=Decimal("70"), high=Decimal("88"), rank=1)
    _entry(cast.b.ward, cast.city, score=60, low=Decimal("50"), high=Decimal("69"), rank=2)
    client.force_login(cast.city_coordinator)

    body = client.get(
        "/api/v1/insights/rankings", {"unit": cast.city.pk, "period": "2026-03"}
    ).json()

    assert [(r["name"], r["rank"], r["score_low"], r["score_high"]) for r in body["rows"]] == [
        ("Phường Tây Hồ", 1, "70.00", "88.00"),
        ("Phường Long Biên", 2, "50.00", "69.00"),
    ]


def test_another_wards_index_is_not_found_and_a_bad_period_names_the_field(client, cast):
    client.force_login(cast.a.head)

    other = client.get("/api/v1/insights/index", {"unit": cast.b.ward.pk, "period": "2026-03"})
    bad = client.get("/api/v1/insights/index", {"unit": cast.a.ward.pk, "period": "March"})

    assert other.status_code == 404
    assert bad.status_code == 422 and bad.json()["field"] == "period"
