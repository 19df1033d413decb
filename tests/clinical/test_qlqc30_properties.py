"""Property tests of QLQ-C30 scoring (hypothesis): valid forms never crash, bad ones are refused."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ramunet.clinical.errors import InvalidInput
from ramunet.clinical.qlqc30 import SCALES, SCORE_KEYS, classify_change, exact_scores, score


def answer(item):
    top = 7 if item >= 29 else 4
    return st.one_of(st.none(), st.integers(min_value=1, max_value=top))


valid_forms = st.fixed_dictionaries({item: answer(item) for item in range(1, 31)})


@given(valid_forms)
def test_valid_form_scores_within_0_100_or_missing(answers):
    scores = score(answers)
    assert tuple(scores) == SCORE_KEYS
    assert all(value is None or 0 <= value <= 100 for value in scores.values())


@given(valid_forms)
def test_scale_is_missing_exactly_when_fewer_than_half_its_items_are_answered(answers):
    scores = score(answers)
    for scale in SCALES:
        answered = sum(answers[item] is not None for item in scale.items)
        assert (scores[scale.code] is None) == (2 * answered < len(scale.items))


@given(valid_forms)
def test_summary_is_the_mean_of_its_thirteen_scales(answers):
    exact = exact_scores(answers)
    parts = [exact[c] for c in ("PF2", "RF2", "EF", "CF", "SF")]
    symptoms = ("FA", "PA", "NV", "DY", "SL", "AP", "CO", "DI")
    parts += [None if exact[c] is None else 100 - exact[c] for c in symptoms]
    expected = None if None in parts else sum(parts, Fraction(0)) / 13
    assert exact["SUMMARY"] == expected


@given(
    valid_forms,
    st.integers(min_value=1, max_value=30),
    st.one_of(st.integers(min_value=-5, max_value=0), st.integers(min_value=8, max_value=50)),
)
def test_answer_out_of_range_is_refused_naming_the_item(answers, item, bad):
    top = 7 if item >= 29 else 4
    with pytest.raises(InvalidInput) as caught:
        score(answers | {item: bad})
    assert str(caught.value) == f"item {item} answer {bad}: outside 1..{top}"


@given(
    st.sampled_from(SCORE_KEYS),
    st.floats(min_value=0, max_value=100),
    st.floats(min_value=0, max_value=100),
)
def test_change_classification_is_antisymmetric(scale, before, after):
    flipped = {"improved": "worsened", "worsened": "improved", "stable": "stable"}
    assert classify_change(scale, after, before) == flipped[classify_change(scale, before, after)]
