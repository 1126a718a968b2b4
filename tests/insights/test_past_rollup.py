"""A past year's figures roll up through the tree as it was then: the 2023 index of a former
district holds the facts of its former wards (units that existed in 2023 and ended in 2025),
and "Show in today's units" carries each former ward's facts by its own shares, so that
measured shares stay exact; only what the district kept for itself goes by the district's
equal split, and is marked as an estimate."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from civility.awards.models import GoodModel, ModelKind, ModelStatus
from civility.feedback.models import RatingDay, Side
from civility.insights import actions
from civility.insights.figures import children_ranked, in_todays_units
from civility.insights.models import CultureIndex
from civility.insights.periods import Period
from civility.orgs.models import ShareBasis, Succession, UnitKind
from tests.factories import make_official, make_unit

pytestmark = pytest.mark.django_db
TODAY = datetime.datetime(2026, 3, 1, 9, tzinfo=datetime.UTC)
YEAR_2023 = Period.containing("year", datetime.date(2023, 6, 1))
ENDED = datetime.date(2025, 6, 30)


def _ratings(counter, satisfied, dissatisfied, day=datetime.date(2023, 5, 10)):
    for side, count, level in (
        (Side.SATISFIED, satisfied, 5),
        (Side.DISSATISFIED, dissatisfied, 1),
    ):
        RatingDay.objects.create(
            day=day, counter=counter, scale="5", level=level, score=level, side=side, ratings=count
        )


@pytest.fixture
def tu_liem(cast):
    """Former Từ Liêm district and its two former wards, each with a counter rated in 2023;
    Cổ Nhuế went wholly into Tây Hồ, Xuân Đỉnh wholly into Long Biên (by area), and the
    district's own share is the importer's equal split of its wards (an estimate)."""
    district = make_unit(
        "Quận Bắc Từ Liêm", parent=cast.city, kind=UnitKind.FORMER_DISTRICT, valid_to=ENDED
    )
    wards = {}
    for name, successor, rated in (
        ("Phường Cổ Nhuế", cast.a.ward, (80, 20)),
        ("Phường Xuân Đỉnh", cast.b.ward, (45, 5)),
    ):
        ward = make_unit(name, parent=district, kind=UnitKind.WARD, valid_to=ENDED)
        counter = make_unit(f"Quầy {name}", parent=ward, kind=UnitKind.COUNTER, valid_to=ENDED)
        _ratings(counter, *rated)
        Succession.objects.create(
            predecessor=ward, successor=successor, share=1, basis=ShareBasis.AREA
        )
        wards[name] = ward
    for successor in (cast.a.ward, cast.b.ward):
        Succession.objects.create(
            predecessor=district, successor=successor, share="0.5", basis=ShareBasis.ESTIMATE
        )
    return district, wards


def _satisfaction(entry) -> tuple[Decimal, Decimal]:
    (component,) = [c for c in entry.components if c["key"] == "satisfaction"]
    return Decimal(component["numerator"]), Decimal(component["denominator"])


def _mapped(unit):
    rows = in_todays_units(children_ranked(unit, YEAR_2023))
    return {row.unit.name: line for row in rows for line in row.lines if line.key == "satisfaction"}


@time_machine.travel(TODAY, tick=False)
def test_a_former_districts_2023_index_holds_its_former_wards_facts(cast, tu_liem):
    district, wards = tu_liem
    actions.compute_period(period=YEAR_2023, today=TODAY.date())

    entry = CultureIndex.objects.for_period(YEAR_2023).get(unit=district)
    assert _satisfaction(entry) == (125, 150)
    rows = {row.unit.name: row for row in children_ranked(district, YEAR_2023)}
    assert set(rows) == {"Phường Cổ Nhuế", "Phường Xuân Đỉnh"}
    assert _satisfaction(rows["Phường Cổ Nhuế"].entry) == (80, 100)
    assert _satisfaction(rows["Phường Xuân Đỉnh"].entry) == (45, 50)
    city = {row.unit.name for row in children_ranked(cast.city, YEAR_2023) if row.entry}
    assert "Quận Bắc Từ Liêm" in city


@time_machine.travel(TODAY, tick=False)
def test_a_2023_rate_per_100_officials_counts_the_staff_in_post_then(cast, tu_liem):
    """The former ward's twenty officials retired when it ended: they were its staff in
    2023, so its good model of 2023 is 5 per 100 officials, not a figure with no staff."""
    district, wards = tu_liem
    ward = wards["Phường Cổ Nhuế"]
    for number in range(20):
        make_official(f"Nguyễn Văn {number}", unit=ward, left_on=ENDED)
    GoodModel.objects.create(
        kind=ModelKind.MODEL,
        category="one_stop",
        unit=ward,
        name="Một cửa thân thiện",
        started_on=datetime.date(2022, 3, 1),
        status=ModelStatus.RECOGNISED,
        recognised_on=datetime.date(2023, 10, 1),
        recognised_by="UBND quận, QĐ 12/QĐ-UBND",
    )
    actions.compute_period(period=YEAR_2023, today=TODAY.date())

    for unit in (ward, district):
        entry = CultureIndex.objects.for_period(YEAR_2023).get(unit=unit)
        (models,) = [c for c in entry.components if c["key"] == "good_models"]
        assert (Decimal(models["numerator"]), Decimal(models["denominator"])) == (1, 20)
        assert Decimal(models["value"]) == 5


@time_machine.travel(TODAY, tick=False)
def test_todays_units_carry_each_former_wards_facts_by_its_own_measured_share(cast, tu_liem):
    actions.compute_period(period=YEAR_2023, today=TODAY.date())

    mapped = _mapped(cast.city)

    tay_ho, long_bien = mapped["Phường Tây Hồ"], mapped["Phường Long Biên"]
    assert (tay_ho.numerator.value, tay_ho.denominator.value) == (80, 100)
    assert (long_bien.numerator.value, long_bien.denominator.value) == (45, 50)
    assert not tay_ho.estimate and not long_bien.estimate
    assert tay_ho.value == Decimal("80.00") and long_bien.value == Decimal("90.00")


@time_machine.travel(TODAY, tick=False)
def test_what_the_district_kept_for_itself_goes_by_its_split_marked_estimate(cast, tu_liem):
    district, wards = tu_liem
    own = make_unit("Quầy UBND quận", parent=district, kind=UnitKind.COUNTER, valid_to=ENDED)
    _ratings(own, 10, 0)
    actions.compute_period(period=YEAR_2023, today=TODAY.date())

    mapped = _mapped(cast.city)

    tay_ho, long_bien = mapped["Phường Tây Hồ"], mapped["Phường Long Biên"]
    assert (tay_ho.numerator.value, tay_ho.denominator.value) == (85, 105)
    assert (long_bien.numerator.value, long_bien.denominator.value) == (50, 55)
    assert tay_ho.estimate and long_bien.estimate
    total = sum(line.denominator.value for line in mapped.values())
    assert total == 160  # nothing lost or counted twice


@time_machine.travel(TODAY, tick=False)
def test_the_dashboard_shows_2023_in_todays_units_from_the_wards_shares(client, cast, tu_liem):
    actions.compute_period(period=YEAR_2023, today=TODAY.date())
    client.force_login(cast.city_coordinator)

    page = client.get(
        reverse("insights:dashboard"),
        {"unit": cast.city.pk, "period": YEAR_2023.slug, "todays_units": "1"},
    ).content.decode()

    table = page[page.index('id="todays-units-table"') :]
    table = table[: table.index("</table>")]
    assert "80 of 100" in table and "45 of 50" in table
    assert "Quận Bắc Từ Liêm" not in table
