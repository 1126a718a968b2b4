"""The index arithmetic: component scores, weights, missing components, ranks and ties."""

from decimal import Decimal as D

from civility.insights import index
from civility.insights.sources import DEFAULT_WEIGHTS

ALL = {
    "inspection_score": (D("170"), D("2")),  # 85
    "satisfaction": (D("90"), D("100")),  # 90%
    "violations": (D("2"), D("40")),  # 5 per 100 -> 50 with the limit at 10
    "commitment": (D("45"), D("50")),  # 90%
    "dissemination": (D("3"), D("4")),  # 75%
    "corrective": (D("4"), D("5")),  # 80%
    "assistance": (D("9"), D("10")),  # 90%
    "tasks": (D("7"), D("10")),  # 70%
    "evaluations": (D("19"), D("20")),  # 95%
    "good_models": (D("1"), D("100")),  # 1 per 100 officials -> 50 with the target at 2
}
# The default weights of these components (components added later do not change the sums).
WEIGHTS = {key: DEFAULT_WEIGHTS[key] for key in ALL}


def test_component_values_are_turned_into_scores():
    result = index.compute(ALL, WEIGHTS)
    scores = {c.key: c.score for c in result.components}
    assert scores["inspection_score"] == D("85.00")
    assert scores["satisfaction"] == D("90.00")
    assert scores["violations"] == D("50.00")
    assert scores["tasks"] == D("70.00")


def test_index_is_the_weighted_mean_of_the_scores():
    result = index.compute(ALL, WEIGHTS)
    # 20*85 + 20*90 + 15*50 + 10*90 + 5*75 + 10*80 + 5*90 + 10*70 + 5*95 + 5*50 = 8200,
    # weights 105
    assert result.score == D("78.10")
    assert result.weight_covered == D("100.00")


def test_a_unit_with_no_data_for_a_component_is_scored_without_it_not_with_zero():
    figures = {key: value for key, value in ALL.items() if key != "satisfaction"}
    figures["satisfaction"] = (D(0), D(0))  # counters with no rating at all
    result = index.compute(figures, WEIGHTS)
    satisfaction = next(c for c in result.components if c.key == "satisfaction")
    assert satisfaction.missing and satisfaction.value is None
    assert satisfaction.effective_weight is None
    # (8200 - 20*90) / 85 = 75.294
    assert result.score == D("75.29")
    assert result.weight_covered == D("80.95")
    inspection = next(c for c in result.components if c.key == "inspection_score")
    assert inspection.effective_weight == D("23.53")  # 20 of the 85 present


def test_zero_violations_with_officials_is_a_full_score_not_missing():
    result = index.compute({"violations": (D(0), D(30))}, {"violations": 1})
    assert result.score == D("100.00")


def test_violations_beyond_the_limit_score_zero_and_the_limit_is_configurable():
    assert index.compute({"violations": (D(6), D(40))}, {"violations": 1}).score == D("0.00")
    relaxed = index.compute(
        {"violations": (D(6), D(40))}, {"violations": 1}, scales={"violations": D(30)}
    )
    assert relaxed.score == D("50.00")  # 15 per 100, half-way to 30


def test_weights_change_the_index():
    only_two = dict.fromkeys(WEIGHTS, 0) | {"inspection_score": 3, "tasks": 1}
    result = index.compute(ALL, only_two)
    assert result.score == D("81.25")  # (3*85 + 70) / 4


def test_too_little_weight_with_data_gives_no_index():
    result = index.compute({"assistance": (D(1), D(1))}, WEIGHTS)
    assert result.score is None
    assert result.weight_covered == D("4.76")


def test_ties_share_a_rank_and_the_next_rank_is_skipped():
    ranks = index.rank({1: D("80"), 2: D("80.001"), 3: D("70"), 4: None, 5: D("90")})
    assert ranks == {5: 1, 1: 2, 2: 2, 3: 4, 4: None}


def test_the_bottom_tenth_is_flagged_with_ties_at_the_cut():
    ranks = index.rank({i: D(100 - i) for i in range(1, 11)} | {11: D(90)})
    assert index.bottom(ranks) == {10, 11}
    tied = index.rank({1: D(90), 2: D(50), 3: D(50)})
    assert index.bottom(tied) == {2, 3}
    assert index.bottom(index.rank({1: D(90), 2: D(50)})) == set()
