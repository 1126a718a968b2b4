"""The "complaints per 1,000 dossiers" component: follow-up cases over dossiers received,
only where dossier statistics cover the period and the day of the case."""

import datetime
import uuid
from decimal import Decimal as D

import pytest
import time_machine

from civility.feedback.models import DossierStat, FollowUpCase, ServiceRating
from civility.insights import actions
from civility.insights.models import ComponentFigure, CultureIndex
from civility.insights.periods import Period
from civility.orgs.models import UnitKind
from tests.factories import make_unit
from tests.insights.conftest import at, counter, rate, without_minimum_samples

MARCH = Period.parse("2026-03")
TODAY = datetime.date(2026, 4, 10)
pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen():
    with time_machine.travel(datetime.datetime(2026, 4, 10, 9, tzinfo=datetime.UTC)):
        yield


def stat(unit, start, end, received):
    return DossierStat.objects.create(
        unit=unit,
        period_start=start,
        period_end=end,
        received=received,
        processed=0,
        early=0,
        on_time=0,
        late=0,
        online=0,
    )


def cases(service_point, desk, day, count):
    rate(desk, day, satisfied=0, dissatisfied=count)
    for rating in ServiceRating.objects.filter(counter=desk, rated_on=day)[:count]:
        FollowUpCase.objects.create(
            receipt=uuid.uuid4().hex[:9],
            unit=service_point,
            counter=desk,
            rating=rating,
            rating_client_id=rating.client_id,
            rated_on=day,
            channel=rating.channel,
            contact_phone="0901234567",
            due_at=at(day + datetime.timedelta(days=5)),
        )


def figure(unit):
    row = ComponentFigure.objects.for_period(MARCH).filter(unit=unit, component="complaints")
    row = row.first()
    return None if row is None else (row.numerator, row.denominator)


@pytest.fixture
def data(cast):
    point_a = make_unit("Bộ phận một cửa Tây Hồ", parent=cast.a.ward, kind=UnitKind.SERVICE_POINT)
    point_b = make_unit(
        "Bộ phận một cửa Long Biên", parent=cast.b.ward, kind=UnitKind.SERVICE_POINT
    )
    desk_a, desk_b = counter(point_a), counter(point_b)
    stat(point_a, datetime.date(2026, 3, 1), datetime.date(2026, 3, 31), 2000)
    stat(point_a, datetime.date(2026, 2, 15), datetime.date(2026, 3, 15), 999)  # straddles
    cases(point_a, desk_a, datetime.date(2026, 3, 5), 3)
    cases(point_a, desk_a, datetime.date(2026, 2, 20), 1)  # the month before
    cases(point_b, desk_b, datetime.date(2026, 3, 6), 2)  # no dossier statistics at B
    without_minimum_samples(cast.city)
    actions.refresh(periods=[MARCH], today=TODAY)
    return point_a, point_b


def test_complaints_count_per_1000_dossiers_only_where_statistics_exist(cast, data):
    point_a, point_b = data
    assert figure(point_a) == (D(3), D(2000))
    assert figure(cast.a.ward) == figure(cast.city) == (D(3), D(2000))
    assert figure(point_b) is None and figure(cast.b.ward) is None  # no data, not zero


def test_the_component_is_scored_against_the_province_limit(cast, data):
    entry = CultureIndex.objects.get(
        unit=cast.a.ward, period_kind="month", period_start=MARCH.start
    )
    line = next(c for c in entry.components if c["key"] == "complaints")
    assert line["value"] == "1.50"  # per 1,000 dossiers
    assert line["score"] == "85.00"  # 0 at 10 per 1,000
    assert D(line["score_low"]) < D(85) < D(line["score_high"])
