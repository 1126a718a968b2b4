"""Fair rankings: minimum samples (shrink or hide), confidence bands, ties and movement; in
the arithmetic first, then through the rollup job and the pages."""

import datetime
import io
from decimal import Decimal as D

import pytest
import time_machine
from openpyxl import load_workbook

from civility.insights import actions, index
from civility.insights.models import CultureIndex, WeightSet
from civility.insights.periods import Period
from civility.insights.sources import DEFAULT_MIN_SAMPLES, DEFAULT_SCALES, DEFAULT_WEIGHTS
from tests.factories import make_unit
from tests.insights.conftest import counter, officials, rate

ONLY_SATISFACTION = {"satisfaction": 1}
MIN_30 = {"satisfaction": 30}
HANOI = index.Prior(unit_id=1, numerator=D(800), denominator=D(1000))  # 80%


def satisfaction(result):
    return next(c for c in result.components if c.key == "satisfaction")


def scored(satisfied, ratings, *, rule=index.SHRINK, prior=HANOI):
    return index.compute(
        {"satisfaction": (D(satisfied), D(ratings))},
        ONLY_SATISFACTION,
        min_samples=MIN_30,
        rule=rule,
        priors={"satisfaction": prior} if prior else {},
    )


# --- the arithmetic ---------------------------------------------------------------------


def test_a_small_unit_is_pulled_toward_its_parent_and_a_large_one_is_not():
    small = satisfaction(scored(5, 5))  # 100% of 5 ratings
    large = satisfaction(scored(950, 1000))  # 95% of 1,000 ratings

    # 5 own ratings topped up to 30 with 25 at Hanoi's 80%: (5 + 25 * 0.8) / 30
    assert small.treatment == index.SHRUNK and small.toward == HANOI.unit_id
    assert small.value == D("100.00") and small.estimate == D("83.33")
    assert small.score == D("83.33")
    assert large.treatment == index.AS_IS and large.estimate is None
    assert large.score == D("95.00")


def test_the_pull_toward_the_parent_falls_with_the_sample_and_ends_at_the_minimum():
    pulls = [D(100) - satisfaction(scored(n, n)).score for n in (1, 10, 20, 29, 30)]

    assert pulls == sorted(pulls, reverse=True)
    assert pulls[0] > D(19)  # one rating: nearly Hanoi's 80
    assert pulls[3] < D(1)  # 29 of 30: barely moved
    assert pulls[4] == 0


def test_below_the_minimum_the_hide_rule_leaves_the_component_out():
    hidden = scored(5, 5, rule=index.HIDE)
    line = satisfaction(hidden)

    assert line.treatment == index.NOT_ENOUGH and line.missing
    assert line.value == D("100.00")  # still shown as counted
    assert hidden.score is None  # nothing else had data


def test_with_nothing_to_shrink_toward_a_small_sample_is_not_enough_data():
    line = satisfaction(scored(5, 5, prior=None))

    assert line.treatment == index.NOT_ENOUGH and line.score is None


def test_the_prior_is_the_nearest_ancestor_with_the_minimum_sample():
    figures = {
        3: {"satisfaction": (D(9), D(10))},  # the district: too few itself
        2: {"satisfaction": (D(70), D(100))},
        1: {"satisfaction": (D(800), D(1000))},
    }

    prior = index.find_prior("satisfaction", [3, 2, 1], figures, 30)

    assert prior == index.Prior(2, D(70), D(100))
    assert index.find_prior("satisfaction", [3], figures, 30) is None


@pytest.mark.parametrize("key", ["satisfaction", "inspection_score", "violations"])
def test_bands_narrow_as_the_sample_grows(key):
    rates = {
        "satisfaction": lambda n: (D(n) * D("0.8"), D(n)),
        "inspection_score": lambda n: (D(n) * 70, D(n)),
        "violations": lambda n: (D(n) * D("0.05"), D(n)),
    }
    widths = []
    for n in (20, 200, 2000):
        result = index.compute({key: rates[key](n)}, {key: 1})
        line = next(c for c in result.components if c.key == key)
        assert line.score_low <= line.score <= line.score_high
        assert result.low <= result.score <= result.high
        widths.append(line.score_high - line.score_low)
    assert widths[0] > widths[1] > widths[2] > 0


def test_the_wilson_band_of_a_share():
    line = satisfaction(index.compute({"satisfaction": (D(8), D(10))}, ONLY_SATISFACTION))

    # Wilson 95% interval of 8 out of 10: 0.4902 to 0.9433
    assert (line.score_low, line.score_high) == (D("49.02"), D("94.33"))


def test_no_violation_among_few_officials_is_not_a_certain_full_score():
    result = index.compute({"violations": (D(0), D(10))}, {"violations": 1})

    assert result.score == D("100.00")
    assert result.low < D(100) and result.high == D("100.00")


def test_the_index_band_combines_the_components_by_weight():
    figures = {"satisfaction": (D(80), D(100)), "tasks": (D(7), D(10))}
    result = index.compute(figures, {"satisfaction": 1, "tasks": 1})
    lines = {c.key: c for c in result.components}

    half_widths = [(lines[k].score_high - lines[k].score_low) / 2 for k in lines if k in figures]
    combined = sum(w * w for w in half_widths).sqrt() / 2
    assert result.high - result.low == pytest.approx(2 * combined, abs=D("0.03"))
    assert result.high - result.low < max(2 * w for w in half_widths)


def test_two_small_units_with_the_same_estimate_tie():
    first = scored(5, 5).score
    second = scored(5, 5).score
    other = scored(950, 1000).score

    assert index.rank({1: first, 2: second, 3: other}) == {3: 1, 1: 2, 2: 2}


# --- through the rollup job and the pages -----------------------------------------------

MARCH = Period.parse("2026-03")
TODAY = datetime.date(2026, 4, 10)


@pytest.fixture
def frozen():
    with time_machine.travel(datetime.datetime(2026, 4, 10, 9, tzinfo=datetime.UTC)):
        yield


@pytest.fixture
def wards(cast, frozen):
    """Ward A with 6 ratings, all satisfied; ward B with 300, 70% satisfied; the city's
    figure is then (6 + 210) / 306 = 70.59%."""
    rate(counter(cast.a.ward), datetime.date(2026, 3, 3), satisfied=6, dissatisfied=0)
    rate(counter(cast.b.ward), datetime.date(2026, 3, 4), satisfied=210, dissatisfied=90)
    return cast


def settings_for(city, *, rule="shrink"):
    return WeightSet.objects.create(
        unit=city,
        year=2026,
        weights=dict.fromkeys(DEFAULT_WEIGHTS, 0) | ONLY_SATISFACTION,
        min_samples=dict.fromkeys(DEFAULT_MIN_SAMPLES, 0) | MIN_30,
        small_sample_rule=rule,
    )


def entry(unit, period=MARCH):
    return CultureIndex.objects.get(unit=unit, period_kind=period.kind, period_start=period.start)


def test_the_small_ward_is_ranked_on_its_shrunk_figure_toward_the_city(wards):
    settings_for(wards.city)
    actions.refresh(periods=[MARCH], today=TODAY)

    a, b = entry(wards.a.ward), entry(wards.b.ward)
    stored = next(c for c in a.components if c["key"] == "satisfaction")
    assert stored["treatment"] == "shrunk" and stored["toward"] == wards.city.pk
    # (6 + 24 * 216/306) / 30 = 76.47%: still above B's 70%, but far below 100%
    assert stored["estimate"] == "76.47" and a.score == D("76.47")
    assert b.score == D("70.00")
    assert (a.rank, b.rank) == (1, 2)
    assert a.score_low < a.score < a.score_high
    assert b.score_high - b.score_low < a.score_high - a.score_low


def test_with_the_hide_rule_the_small_ward_has_no_figure_and_no_rank(wards):
    settings_for(wards.city, rule="hide")
    actions.refresh(periods=[MARCH], today=TODAY)

    a, b = entry(wards.a.ward), entry(wards.b.ward)
    assert a.score is None and a.rank is None
    assert b.rank == 1 and b.ranked_siblings == 1


def test_the_ranking_page_says_which_cells_are_shrunk_and_shows_the_bands(client, wards):
    settings_for(wards.city)
    actions.refresh(periods=[MARCH], today=TODAY)
    client.force_login(wards.city_coordinator)

    html = client.get(f"/insights/?unit={wards.city.pk}&period=2026-03").content.decode()

    ranking = html[html.index('id="ranking-table"') :]
    row_a = ranking[ranking.index(f'data-unit="{wards.a.ward.pk}"') :]
    row_a = row_a[: row_a.index("</tr>")]
    assert "Shrunk toward Hanoi&#x27;s figure (70.59): 6 ratings, 30 needed." in row_a
    a = entry(wards.a.ward)
    assert f"{a.score_low}–{a.score_high}" in row_a
    assert 'id="method-help"' in html and "Wilson interval" in html


def test_the_unit_page_marks_the_shrunk_cell_with_a_footnote(client, wards):
    settings_for(wards.city)
    actions.refresh(periods=[MARCH], today=TODAY)
    client.force_login(wards.a.head)

    html = client.get(f"/insights/?unit={wards.a.ward.pk}&period=2026-03").content.decode()

    assert 'data-treatment="shrunk"' in html and "ranked on 76.47 %" in html
    assert 'id="note-satisfaction"' in html
    assert 'id="index-band"' in html


def test_the_unit_page_says_not_enough_data_under_the_hide_rule(client, wards):
    settings_for(wards.city, rule="hide")
    actions.refresh(periods=[MARCH], today=TODAY)
    client.force_login(wards.a.head)

    html = client.get(f"/insights/?unit={wards.a.ward.pk}&period=2026-03").content.decode()

    assert 'data-treatment="not_enough"' in html
    assert "Not enough data: 6 ratings, 30 needed." in html


def test_the_downloads_carry_the_band_and_the_small_sample_note(client, wards):
    settings_for(wards.city)
    actions.refresh(periods=[MARCH], today=TODAY)
    client.force_login(wards.city_coordinator)

    response = client.get(
        f"/insights/export/?unit={wards.city.pk}&period=2026-03&table=ranking&format=xlsx"
    )

    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    headers = rows[1]
    by_unit = {row[1]: row for row in rows[2:] if row and row[1]}
    a = by_unit["Phường Tây Hồ"]
    stored = entry(wards.a.ward)
    assert a[headers.index("Band low")] == float(stored.score_low)
    assert a[headers.index("Band high")] == float(stored.score_high)
    assert a[headers.index("Citizens' satisfaction")] == 76.47  # the figure it is ranked on
    assert "Shrunk toward Hanoi's figure" in a[headers.index("Small samples")]


def test_a_coordinator_sets_the_minimum_samples_and_the_rule_on_the_weights_page(client, wards):
    client.force_login(wards.city_coordinator)
    page = client.get(f"/insights/weights/?unit={wards.city.pk}&year=2026").content.decode()
    assert 'name="min_satisfaction"' in page and 'value="30"' in page  # the default
    assert 'name="small_sample_rule"' in page and 'name="scale_complaints"' in page
    form = {f"w_{key}": 0 for key in DEFAULT_WEIGHTS} | {"w_satisfaction": 1}
    form |= {f"min_{key}": 0 for key in DEFAULT_WEIGHTS} | {"min_satisfaction": 30}
    form |= {f"scale_{key}": value for key, value in DEFAULT_SCALES.items()}
    form |= {"small_sample_rule": "hide"}

    response = client.post(f"/insights/weights/?unit={wards.city.pk}&year=2026", form)

    assert response.status_code == 302
    saved = WeightSet.objects.get(unit=wards.city, year=2026)
    assert saved.min_samples["satisfaction"] == 30 and saved.small_sample_rule == "hide"
    form["min_satisfaction"] = -1
    response = client.post(f"/insights/weights/?unit={wards.city.pk}&year=2026", form)
    assert "Ensure this value is greater than or equal to 0." in response.content.decode()


def test_movement_and_the_change_of_score_since_the_last_period(cast, frozen):
    settings_for(cast.city)
    february = Period.parse("2026-02")
    a_counter, b_counter = counter(cast.a.ward), counter(cast.b.ward)
    rate(a_counter, datetime.date(2026, 2, 3), satisfied=40, dissatisfied=10)  # 80%
    rate(b_counter, datetime.date(2026, 2, 4), satisfied=45, dissatisfied=5)  # 90%
    rate(a_counter, datetime.date(2026, 3, 3), satisfied=48, dissatisfied=2)  # 96%
    rate(b_counter, datetime.date(2026, 3, 4), satisfied=30, dissatisfied=20)  # 60%
    actions.refresh(periods=[february, MARCH], today=TODAY)

    a, b = entry(cast.a.ward), entry(cast.b.ward)
    assert (a.previous_rank, a.rank, a.movement) == (2, 1, 1)
    assert (b.previous_rank, b.rank, b.movement) == (1, 2, -1)
    assert a.score_change == D("16.00") and b.score_change == D("-30.00")


def test_a_unit_moved_under_another_parent_starts_without_movement(cast, frozen):
    settings_for(cast.city)
    february = Period.parse("2026-02")
    a_counter = counter(cast.a.ward)
    rate(a_counter, datetime.date(2026, 2, 3), satisfied=40, dissatisfied=10)
    rate(a_counter, datetime.date(2026, 3, 3), satisfied=40, dissatisfied=10)
    actions.refresh(periods=[february], today=TODAY)
    district = make_unit("Quận Tây Hồ", parent=cast.city, kind="district")
    cast.a.ward.parent = district
    cast.a.ward.save()
    actions.refresh(periods=[MARCH], today=TODAY)

    a = entry(cast.a.ward)
    assert a.parent_id == district.pk and a.previous_rank is None and a.movement is None


def test_rankings_use_rates_so_a_bigger_unit_is_not_favoured(cast, frozen):
    settings_for(cast.city)
    WeightSet.objects.filter(unit=cast.city).update(weights={"violations": 1})
    from tests.insights.conftest import violation

    big = officials(cast.a.department, 99)  # 100 officials, 2 violations: 2 per 100
    officials(cast.b.department, 9)  # 10 officials, 1 violation: 10 per 100
    violation(big[0], datetime.date(2026, 3, 5))
    violation(big[1], datetime.date(2026, 3, 6))
    violation(cast.b.official, datetime.date(2026, 3, 7))
    actions.refresh(periods=[MARCH], today=TODAY)

    a, b = entry(cast.a.ward), entry(cast.b.ward)
    assert a.rank == 1 and b.rank == 2  # more violations in A, but fewer per official


def test_the_small_sample_note_writes_the_figure_the_vietnamese_way():
    from django.utils import translation

    from civility.insights.figures import small_sample_note

    data = {
        "key": "satisfaction",
        "treatment": "shrunk",
        "denominator": "6",
        "toward": 1,
        "toward_value": "70.59",
        "min_sample": 30,
    }
    with translation.override("vi"):
        note = small_sample_note(data, {1: "Thành phố Hà Nội"})
    assert "(70,59)" in note and "Thành phố Hà Nội" in note
