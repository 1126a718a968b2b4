"""A past period's figures seen in today's units: the counts of a former ward (ratings,
inspections) shared among the wards it went into, rates recomputed from the shared counts,
index and mean scores not mappable, and every figure from an equal split labelled
"estimate"."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from civility.insights.figures import children_ranked, has_former_units, in_todays_units
from civility.insights.models import CultureIndex
from civility.insights.periods import Period
from civility.orgs.models import ShareBasis, Succession, UnitKind
from tests.factories import make_unit

pytestmark = pytest.mark.django_db
TODAY = datetime.datetime(2026, 3, 1, 9, tzinfo=datetime.UTC)
PAST = Period.containing("quarter", datetime.date(2024, 11, 15))


def _component(key, numerator, denominator, value):
    return {
        "key": key,
        "numerator": str(numerator),
        "denominator": str(denominator),
        "value": str(value),
        "score": str(value),
        "weight": "20",
    }


def _entry(unit, parent, score, *components):
    return CultureIndex.objects.create(
        unit=unit,
        parent=parent,
        period_kind=PAST.kind,
        period_start=PAST.start,
        score=Decimal(score),
        weight_covered=Decimal("0.4"),
        components=list(components),
    )


@pytest.fixture
def past_quarter(cast):
    """The fourth quarter of 2024 in Hanoi: Tây Hồ and a former ward, Nhật Tân, whose
    territory went half to Tây Hồ and half to Long Biên (an equal split: no area known)."""
    nhat_tan = make_unit(
        "Phường Nhật Tân",
        parent=cast.city,
        kind=UnitKind.WARD,
        valid_to=datetime.date(2025, 6, 30),
    )
    for successor in (cast.a.ward, cast.b.ward):
        Succession.objects.create(
            predecessor=nhat_tan, successor=successor, share="0.5", basis=ShareBasis.ESTIMATE
        )
    _entry(
        nhat_tan,
        cast.city,
        "70",
        _component("satisfaction", 80, 100, "80.00"),
        _component("inspection_score", 240, 3, "80.00"),
    )
    _entry(cast.a.ward, cast.city, "85", _component("satisfaction", 45, 50, "90.00"))
    return nhat_tan


@time_machine.travel(TODAY, tick=False)
def test_counts_of_a_former_ward_go_into_todays_wards_and_rates_are_recomputed(cast, past_quarter):
    rows = children_ranked(cast.city, PAST)
    assert has_former_units(rows)

    mapped = {
        (row.unit.name, line.key): line for row in in_todays_units(rows) for line in row.lines
    }

    tay_ho = mapped[("Phường Tây Hồ", "satisfaction")]
    assert (tay_ho.numerator.value, tay_ho.denominator.value) == (85, 100)
    assert tay_ho.value == Decimal("85.00") and tay_ho.estimate
    long_bien = mapped[("Phường Long Biên", "satisfaction")]
    assert (long_bien.numerator.value, long_bien.denominator.value) == (40, 50)
    assert long_bien.value == Decimal("80.00") and long_bien.estimate
    # A mean score does not add up: its inspections are shared, its score is not mappable.
    inspections = mapped[("Phường Tây Hồ", "inspection_score")]
    assert not inspections.mappable and inspections.value is None
    assert inspections.denominator.value == Decimal("1.5")
    assert not any(row.unit == past_quarter for row in in_todays_units(rows))


@time_machine.travel(TODAY, tick=False)
def test_a_measured_share_is_not_labelled_estimate(cast, past_quarter):
    Succession.objects.filter(predecessor=past_quarter).update(basis=ShareBasis.AREA)
    (line,) = [
        line
        for row in in_todays_units(children_ranked(cast.city, PAST))
        if row.unit == cast.b.ward
        for line in row.lines
        if line.key == "satisfaction"
    ]
    assert not line.estimate


@time_machine.travel(TODAY, tick=False)
def test_the_dashboard_toggles_a_past_quarter_into_todays_units_with_estimates(
    client, cast, past_quarter
):
    client.force_login(cast.city_coordinator)
    url = reverse("insights:dashboard")
    page = client.get(url, {"unit": cast.city.pk, "period": PAST.slug}).content.decode()
    assert "Show in today's units" in page and 'id="todays-units-table"' not in page

    page = client.get(
        url, {"unit": cast.city.pk, "period": PAST.slug, "todays_units": "1"}
    ).content.decode()

    table = page[page.index('id="todays-units-table"') :]
    table = table[: table.index("</table>")]
    assert "Phường Long Biên" in table and "Phường Nhật Tân" not in table
    assert "40 of 50" in table and "80 %" in table
    assert "estimate" in table and "not mappable" in table
    assert "Show in the units of the time" in page


@time_machine.travel(TODAY, tick=False)
def test_a_period_of_todays_units_only_offers_no_toggle(client, cast):
    _entry(cast.a.ward, cast.city, "85", _component("satisfaction", 45, 50, "90.00"))
    client.force_login(cast.city_coordinator)
    page = client.get(
        reverse("insights:dashboard"), {"unit": cast.city.pk, "period": PAST.slug}
    ).content.decode()
    assert "todays-units" not in page
