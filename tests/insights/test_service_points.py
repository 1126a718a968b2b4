"""Since July 2025 Hanoi's one-stop points belong to the city's Service Center, not to the
communes whose citizens they serve: their ratings and calls count for the commune served
(and still for the Center), and for the city once."""

import datetime

import pytest
import time_machine

from civility.feedback.figures import per_counter, per_official, rating_figures
from civility.insights import actions
from civility.insights.models import ComponentFigure
from civility.insights.periods import Period
from civility.orgs.models import UnitKind
from tests.factories import make_unit
from tests.insights.conftest import rate, without_minimum_samples

MARCH = Period.parse("2026-03")
NOW = datetime.datetime(2026, 4, 10, 9, tzinfo=datetime.UTC)


def satisfaction(unit):
    row = (
        ComponentFigure.objects.for_period(MARCH)
        .filter(unit=unit, component="satisfaction")
        .first()
    )
    return None if row is None else (int(row.numerator), int(row.denominator))


@pytest.fixture
def center(cast):
    center = make_unit(
        "Trung tâm Phục vụ hành chính công", parent=cast.city, kind=UnitKind.SERVICE_CENTER
    )
    point_a = make_unit(
        "Điểm phục vụ Tây Hồ", parent=center, kind=UnitKind.SERVICE_POINT, serves=cast.a.ward
    )
    point_b = make_unit(
        "Điểm phục vụ Long Biên", parent=center, kind=UnitKind.SERVICE_POINT, serves=cast.b.ward
    )
    # One counter names the commune itself, the other only through its service point.
    counter_a = make_unit("Quầy số 1", parent=point_a, kind=UnitKind.COUNTER, serves=cast.a.ward)
    counter_b = make_unit("Quầy số 1", parent=point_b, kind=UnitKind.COUNTER)
    rate(counter_a, datetime.date(2026, 3, 3), satisfied=8, dissatisfied=2)
    rate(counter_b, datetime.date(2026, 3, 4), satisfied=3, dissatisfied=1)
    without_minimum_samples(cast.city)
    return center, counter_a, counter_b


@time_machine.travel(NOW)
def test_a_communes_index_counts_the_ratings_of_the_service_point_serving_it(cast, center):
    center_unit, _counter_a, _counter_b = center
    actions.refresh(periods=[MARCH], today=NOW.date())

    assert satisfaction(cast.a.ward) == (8, 10)
    assert satisfaction(cast.b.ward) == (3, 4)
    assert satisfaction(center_unit) == (11, 14)
    assert satisfaction(cast.city) == (11, 14)  # each rating once, by either way up


@time_machine.travel(NOW)
def test_a_communes_figures_and_counters_include_the_counters_serving_it(cast, center):
    _center_unit, counter_a, _counter_b = center
    figures = rating_figures(start=MARCH.start, end=MARCH.end, unit=cast.a.ward)
    assert (figures.ratings, figures.satisfied) == (10, 8)
    assert [
        row["counter_id"] for row in per_counter(unit=cast.a.ward, start=MARCH.start, end=MARCH.end)
    ] == [counter_a.pk]
    assert rating_figures(start=MARCH.start, end=MARCH.end, unit=cast.city).ratings == 14


@time_machine.travel(NOW)
def test_a_commune_head_sees_the_serving_counter_on_the_dashboard_without_a_link_to_it(
    client, cast, center
):
    _center_unit, counter_a, counter_b = center
    actions.refresh(periods=[MARCH], today=NOW.date())
    client.force_login(cast.a.head)

    page = client.get("/insights/", {"unit": cast.a.ward.pk, "period": "2026-03"})

    html = page.content.decode()
    assert page.status_code == 200
    assert "Điểm phục vụ Tây Hồ" in html
    assert "Điểm phục vụ Long Biên" not in html
    assert f"?unit={counter_a.pk}&amp;" not in html
    assert client.get("/insights/", {"unit": counter_b.pk}).status_code == 404


@time_machine.travel(NOW)
def test_a_commune_head_sees_the_serving_counters_figures_but_not_their_staff_one_by_one(
    client, cast, center
):
    from civility.feedback.models import RatingDay
    from tests.factories import make_official

    _center_unit, counter_a, _counter_b = center
    clerk = make_official("Trần Thị Quầy", unit=counter_a)
    RatingDay.objects.filter(counter=counter_a).update(official=clerk)
    client.force_login(cast.a.head)

    page = client.get(
        "/feedback/", {"unit": cast.a.ward.pk, "start": "2026-03-01", "end": "2026-03-31"}
    )

    html = page.content.decode()
    assert page.status_code == 200
    assert "Quầy số 1" in html
    assert "Trần Thị Quầy" not in html
    rows = per_official(unit=counter_a.parent, start=MARCH.start, end=MARCH.end)
    assert [row["name"] for row in rows] == ["Trần Thị Quầy"]
