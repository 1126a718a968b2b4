"""Rankings and figures of one province never include the other's units: provinces are not
ranked against each other, wards only among their own province's, and neither coordinator
reaches the other's dashboard."""

from __future__ import annotations

import datetime
from decimal import Decimal as D

import pytest

from civility.insights import actions
from civility.insights.models import ComponentFigure, CultureIndex, WeightSet
from civility.insights.periods import Period
from tests.factories import make_unit

MARCH = Period.containing("month", datetime.date(2026, 3, 1))


def _satisfaction(unit, satisfied: int, ratings: int = 100) -> None:
    ComponentFigure.objects.create(
        unit=unit,
        period_kind=MARCH.kind,
        period_start=MARCH.start,
        component="satisfaction",
        numerator=D(satisfied),
        denominator=D(ratings),
    )


@pytest.fixture
def ranked(cast, sonla):
    """Satisfaction only, no minimum sample, in both provinces; Son La's second ward scores
    between Hanoi's two, so any mixing would show in the ranks."""
    for province in (cast.city, sonla.province):
        WeightSet.objects.create(
            unit=province,
            year=2026,
            weights={"satisfaction": 1},
            min_samples={"satisfaction": 0},
        )
    chieng_an = make_unit("Phường Chiềng An", parent=sonla.province, kind="ward", code="03667")
    for unit, satisfied in (
        (cast.city, 80),
        (cast.a.ward, 90),
        (cast.b.ward, 70),
        (sonla.province, 75),
        (sonla.ward, 60),
        (chieng_an, 85),
    ):
        _satisfaction(unit, satisfied)
    actions.compute_index(period=MARCH)
    return {entry.unit_id: entry for entry in CultureIndex.objects.for_period(MARCH)}


def test_each_province_is_ranked_alone_and_wards_among_their_own_province(cast, sonla, ranked):
    for province in (cast.city, sonla.province):
        assert (ranked[province.pk].rank, ranked[province.pk].ranked_siblings) == (1, 1)
    assert (ranked[cast.a.ward.pk].rank, ranked[cast.b.ward.pk].rank) == (1, 2)
    assert ranked[cast.a.ward.pk].ranked_siblings == 2
    assert (ranked[sonla.ward.pk].rank, ranked[sonla.ward.pk].ranked_siblings) == (2, 2)


@pytest.mark.parametrize("side", ["son_la", "hanoi"])
def test_a_coordinators_dashboard_and_ranking_show_only_their_province(
    client, cast, sonla, ranked, side
):
    if side == "son_la":
        user, own, own_ward = sonla.coordinator, sonla.province, sonla.ward
        other_wards = (cast.a.ward, cast.b.ward)
    else:
        user, own, own_ward, other_wards = (
            cast.city_coordinator,
            cast.city,
            cast.a.ward,
            (sonla.ward,),
        )
    client.force_login(user)

    page = client.get(f"/insights/?unit={own.pk}&period=2026-03").content.decode()
    ranking = client.get(
        f"/insights/export/?unit={own.pk}&period=2026-03&table=ranking&format=csv"
    ).content.decode()
    assert own_ward.display_name in page and own_ward.display_name in ranking
    for ward in other_wards:
        assert ward.display_name not in page and ward.display_name not in ranking
    other = sonla.province if side == "hanoi" else cast.city
    assert client.get(f"/insights/?unit={other.pk}&period=2026-03").status_code == 404
