"""The "good models adopted" component: models recognised and replications taken up in the
period, per 100 officials, rolled up the tree and linked to the records."""

import datetime
from decimal import Decimal as D

import pytest
import time_machine

from civility.awards.models import GoodModel, ModelStatus, Replication, ReplicationStatus
from civility.insights import actions, index
from civility.insights.models import ComponentFigure, CultureIndex
from civility.insights.periods import Period
from tests.insights.conftest import officials, without_minimum_samples

Q1 = Period.parse("2026-Q1")
TODAY = datetime.date(2026, 4, 10)
pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen():
    with time_machine.travel(datetime.datetime(2026, 4, 10, 9, tzinfo=datetime.UTC)):
        yield


def model(unit, *, recognised_on=None, name="Một cửa thân thiện"):
    return GoodModel.objects.create(
        category="one_stop",
        unit=unit,
        name=name,
        started_on=datetime.date(2025, 6, 1),
        status=ModelStatus.RECOGNISED if recognised_on else ModelStatus.PILOT,
        recognised_on=recognised_on,
    )


def figure(unit, key="good_models"):
    row = ComponentFigure.objects.for_period(Q1).filter(unit=unit, component=key).first()
    return None if row is None else (row.numerator, row.denominator)


@pytest.fixture
def data(cast):
    officials(cast.a.department, 19)  # 20 officials in ward A
    officials(cast.b.department, 39)  # 40 in ward B
    started = model(cast.a.department, recognised_on=datetime.date(2026, 2, 10))
    model(cast.a.department, recognised_on=datetime.date(2025, 12, 1), name="Cũ")  # before
    model(cast.b.department, name="Chưa công nhận")  # a pilot is not counted
    Replication.objects.create(model=started, unit=cast.b.department, adopted_on="2026-03-01")
    Replication.objects.create(
        model=started,
        unit=cast.b.ward,
        adopted_on="2026-03-02",
        status=ReplicationStatus.STOPPED,
    )
    without_minimum_samples(cast.city)
    actions.refresh(periods=[Q1], today=TODAY)


def test_recognitions_and_replications_count_per_100_officials_up_the_tree(cast, data):
    assert figure(cast.a.ward) == (D(1), D(20))  # its own model recognised in the quarter
    assert figure(cast.b.ward) == (D(1), D(40))  # one live replication; the stopped one not
    assert figure(cast.city) == (D(2), D(60))


def test_the_component_is_a_rate_scored_against_the_province_target(cast, data):
    a = CultureIndex.objects.get(unit=cast.a.ward, period_kind="quarter", period_start=Q1.start)
    line = next(c for c in a.components if c["key"] == "good_models")
    assert line["value"] == "5.00"  # per 100 officials
    assert line["score"] == "100.00"  # at or above the target of 2 per 100
    b = CultureIndex.objects.get(unit=cast.b.ward, period_kind="quarter", period_start=Q1.start)
    line = next(c for c in b.components if c["key"] == "good_models")
    assert line["value"] == "2.50" and line["score"] == "100.00"
    half_target = index.compute({"good_models": (D(1), D(100))}, {"good_models": 1})
    assert half_target.score == D("50.00")


def test_the_unit_page_links_the_component_to_the_good_models(client, cast, data):
    client.force_login(cast.a.head)
    html = client.get(f"/insights/?unit={cast.a.ward.pk}&period=2026-Q1").content.decode()
    row = html[html.index('data-component="good_models"') :]
    row = row[: row.index("</tr>")]
    assert "Good models adopted per 100 officials" in row
    assert f"/awards/models/?unit={cast.a.ward.pk}" in row
