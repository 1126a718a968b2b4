"""GET /api/v1/insights/figures (issue 22): the figures the pages show for a unit and a
period, read from the same functions (the scorecard's measures, evaluations' and awards'
figures), with sample sizes, bands and "not enough data", scoped to the caller."""

from __future__ import annotations

import time_machine

from civility.insights import scorecards
from civility.insights.periods import Period
from tests.insights.conftest import NOW, TODAY


def _figures(client, unit, period="2026-Q4"):
    with time_machine.travel(NOW, tick=False):
        return client.get("/api/v1/insights/figures", {"unit": unit.pk, "period": period})


def test_a_wards_figures_are_its_scorecards_with_samples_and_bands(client, wards):
    client.force_login(wards.a.head)

    body = _figures(client, wards.a.ward).json()

    measures = {m["key"]: m for m in body["measures"]}
    assert body["period"] == "2026-Q4" and body["period_start"] == "2026-10-01"
    assert (measures["satisfaction"]["value"], measures["satisfaction"]["sample"]) == ("75.0", 40)
    assert measures["reports"]["meeting"] == 9 and measures["reports"]["sample"] == 12
    assert measures["assistance"]["value"] == "80.0"
    card = scorecards.measures(wards.a.ward, Period.parse("2026-Q4"), today=TODAY)
    for measure in card:
        assert measures[measure.key]["band_low"] == (
            None if measure.low is None else str(measure.low)
        )
    assert [month["month"] for month in body["evaluations"]] == [
        "2026-10-01",
        "2026-11-01",
        "2026-12-01",
    ]
    assert body["awards"]["decisions"] == 0 and body["awards"]["good_models"] == []


def test_a_small_sample_is_not_enough_data_without_a_value(client, wards):
    client.force_login(wards.admin)

    measures = {m["key"]: m for m in _figures(client, wards.b.ward).json()["measures"]}

    satisfaction = measures["satisfaction"]
    assert satisfaction["status"] == "not_enough" and satisfaction["value"] is None
    assert satisfaction["sample"] == 5 and satisfaction["min_sample"] == 30
    assert measures["reports"]["status"] == "no_data"


def test_another_wards_figures_are_not_found_and_a_bad_period_names_the_field(client, wards):
    client.force_login(wards.a.head)

    other = _figures(client, wards.b.ward)
    bad = _figures(client, wards.a.ward, period="2026-Q5")

    assert other.status_code == 404
    assert bad.status_code == 422 and bad.json()["field"] == "period"


def _span(client, unit, **params):
    with time_machine.travel(NOW, tick=False):
        return client.get("/api/v1/insights/figures", {"unit": unit.pk, **params})


def test_any_span_of_days_is_counted_from_the_sources(client, wards):
    client.force_login(wards.a.head)

    body = _span(client, wards.a.ward, start="2026-11-01", end="2026-11-10").json()

    measures = {m["key"]: m for m in body["measures"]}
    assert (body["period"], body["period_start"], body["period_end"]) == (
        "2026-11-01/2026-11-10",
        "2026-11-01",
        "2026-11-10",
    )
    assert (measures["satisfaction"]["value"], measures["satisfaction"]["sample"]) == ("75.0", 40)
    assert measures["reports"]["meeting"] == 9 and measures["reports"]["sample"] == 12
    assert measures["assistance"]["value"] == "80.0"
    assert measures["index"]["status"] == measures["rank"]["status"] == "no_data"
    assert [month["month"] for month in body["evaluations"]] == ["2026-11-01"]


def test_a_span_covering_a_quarter_gives_the_quarters_stored_figures(client, wards):
    client.force_login(wards.a.head)

    span = _span(client, wards.a.ward, start="2026-10-01", end="2026-12-31").json()
    quarter = _figures(client, wards.a.ward, period="2026-Q4").json()

    def figures(body):
        return {
            m["key"]: (m["status"], m["value"], m["band_low"], m["band_high"], m["sample"])
            for m in body["measures"]
            if m["key"] not in ("index", "rank")
        }

    assert figures(span) == figures(quarter)


def test_a_span_without_the_days_figures_has_no_data_and_a_small_one_not_enough(client, wards):
    client.force_login(wards.admin)

    empty = _span(client, wards.a.ward, start="2026-11-04", end="2026-11-19").json()
    small = _span(client, wards.b.ward, start="2026-11-01", end="2026-11-30").json()

    assert {m["status"] for m in empty["measures"]} == {"no_data"}
    satisfaction = next(m for m in small["measures"] if m["key"] == "satisfaction")
    assert satisfaction["status"] == "not_enough" and satisfaction["value"] is None
    assert satisfaction["sample"] == 5 and satisfaction["min_sample"] == 30


def test_a_span_needs_both_ends_in_order_and_no_period(client, wards):
    client.force_login(wards.a.head)
    ward = wards.a.ward

    only_start = _span(client, ward, start="2026-11-01")
    backwards = _span(client, ward, start="2026-11-10", end="2026-11-01")
    both = _span(client, ward, start="2026-11-01", end="2026-11-10", period="2026-Q4")

    assert (only_start.status_code, only_start.json()["field"]) == (422, "end")
    assert (backwards.status_code, backwards.json()["field"]) == (422, "end")
    assert (both.status_code, both.json()["field"]) == (422, "period")
