"""Properties of the index arithmetic that must hold for any figures and weights."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from civility.insights.index import compute, rank
from civility.insights.sources import COMPONENTS

KEYS = [component.key for component in COMPONENTS]
counts = st.integers(min_value=0, max_value=10_000).map(Decimal)
figures = st.dictionaries(
    st.sampled_from(KEYS),
    st.tuples(counts, counts).filter(lambda pair: pair[0] <= pair[1] or pair[1] == 0),
)
weights = st.dictionaries(st.sampled_from(KEYS), st.integers(min_value=0, max_value=50))


@settings(max_examples=300, deadline=None)
@given(figures=figures, weights=weights)
def test_the_index_lies_between_the_lowest_and_highest_component_present(figures, weights):
    result = compute(figures, weights)

    if result.score is not None:
        present = [c.score for c in result.components if not c.missing and c.weight]
        assert min(present) - Decimal("0.01") <= result.score <= max(present) + Decimal("0.01")
        assert Decimal(0) <= result.score <= Decimal(100)


@settings(max_examples=300, deadline=None)
@given(figures=figures, weights=weights)
def test_a_component_with_no_data_counts_as_absent_not_as_zero(figures, weights):
    missing = next((key for key in KEYS if key not in figures), None)
    if missing is None:
        return
    with_weight = compute(figures, {**weights, missing: 40})
    without = compute(figures, {key: w for key, w in weights.items() if key != missing})

    if without.score is not None and with_weight.score is not None:
        assert with_weight.score == without.score


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.integers(1, 200), st.none() | st.decimals(0, 100, places=2)))
def test_a_higher_index_never_ranks_below_a_lower_one_and_ties_share_a_rank(scores):
    ranks = rank(scores)

    ranked = [(unit, score) for unit, score in scores.items() if score is not None]
    assert all(ranks[unit] is None for unit, score in scores.items() if score is None)
    for unit, score in ranked:
        for other, other_score in ranked:
            if score > other_score:
                assert ranks[unit] < ranks[other]
            if score == other_score:
                assert ranks[unit] == ranks[other]
