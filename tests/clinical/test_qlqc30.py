"""EORTC QLQ-C30 v3.0 scoring: hand-computed examples, missing items, summary, validation.

Formulas: Fayers PM et al., EORTC QLQ-C30 Scoring Manual, 3rd ed. (EORTC 2001), "Scoring
procedures" (raw score = item mean; functional S = (1 - (RS-1)/range) x 100; symptom and global
S = (RS-1)/range x 100) and "Missing items" (score a scale when at least half of its items are
answered). Summary score: Giesinger et al., J Clin Epidemiol 2016;69:79-88. Worked example
[QLQ05] of clinical-rules.md §3.3; the other numbers are computed by hand beside each test.
"""

from fractions import Fraction

import pytest

from ramunet.clinical.errors import InvalidInput, UnknownTerm
from ramunet.clinical.qlqc30 import (
    SCORE_KEYS,
    change_from_baseline,
    classify_change,
    exact_scores,
    score,
)


def form(**overrides):
    """All 28 four-point items answered 1 ("not at all"), items 29-30 answered 7 ("excellent")."""
    answers = {item: 1 for item in range(1, 29)} | {29: 7, 30: 7}
    answers.update({int(key[1:]): value for key, value in overrides.items()})
    return answers


WORKED = form(q1=2, q2=3, q29=5, q30=4, q10=2, q12=2, q18=3)


def test_score_returns_every_scale_and_the_summary():
    assert tuple(score(form())) == SCORE_KEYS


def test_physical_functioning_worked_example():
    # [QLQ05]: items 2,3,1,1,1 -> RS 1.6 -> (1 - 0.6/3) x 100 = 80.0
    assert exact_scores(WORKED)["PF2"] == 80


def test_global_health_worked_example():
    # [QLQ05]: items 29 = 5, 30 = 4 -> RS 4.5 -> 3.5/6 x 100 = 58.33
    assert exact_scores(WORKED)["QL2"] == Fraction(175, 3)
    assert score(WORKED)["QL2"] == pytest.approx(58.3333333333)


def test_fatigue_worked_example():
    # [QLQ05]: items 2,2,3 -> RS 7/3 -> (4/3)/3 x 100 = 44.44
    assert exact_scores(WORKED)["FA"] == Fraction(400, 9)


def test_best_possible_form_scores_100_function_and_0_symptoms():
    scores = score(form())
    assert [scores[c] for c in ("QL2", "PF2", "RF2", "EF", "CF", "SF")] == [100.0] * 6
    assert [scores[c] for c in ("FA", "NV", "PA", "DY", "SL", "AP", "CO", "DI", "FI")] == [0.0] * 9


def test_worst_possible_form_scores_0_function_and_100_symptoms():
    scores = score({item: 4 for item in range(1, 29)} | {29: 1, 30: 1})
    assert [scores[c] for c in ("QL2", "PF2", "EF", "SUMMARY")] == [0.0, 0.0, 0.0, 0.0]
    assert scores["FA"] == scores["FI"] == 100.0


def test_summary_score_hand_computed():
    # PF 80, RF/EF/CF/SF 100, FA 400/9, other symptoms 0:
    # (80 + 400 + (100 - 400/9) + 7 x 100) / 13 = 11120/117 = 95.04
    assert exact_scores(WORKED)["SUMMARY"] == Fraction(11120, 117)


def test_physical_functioning_with_three_of_five_items_is_scored():
    # half-of-items rule: 3 of 5 answered (2, 3, 1) -> RS 2 -> (1 - 1/3) x 100 = 66.67
    answers = form(q1=2, q2=3, q3=1, q4=None, q5=None)
    assert exact_scores(answers)["PF2"] == Fraction(200, 3)


def test_physical_functioning_with_two_of_five_items_is_missing():
    assert score(form(q3=None, q4=None, q5=None))["PF2"] is None


def test_emotional_functioning_with_exactly_half_the_items_is_scored():
    # EF 2 of 4 answered (3, 2) -> RS 2.5 -> (1 - 1.5/3) x 100 = 50
    assert score(form(q21=3, q22=2, q23=None, q24=None))["EF"] == 50.0


def test_emotional_functioning_with_one_of_four_items_is_missing():
    assert score(form(q22=None, q23=None, q24=None))["EF"] is None


def test_fatigue_with_two_of_three_items_is_scored():
    # FA items 10 = 4, 12 missing, 18 = 3 -> RS 3.5 -> 2.5/3 x 100 = 83.33
    assert exact_scores(form(q10=4, q12=None, q18=3))["FA"] == Fraction(250, 3)


def test_fatigue_with_one_of_three_items_is_missing():
    assert score(form(q10=None, q12=None))["FA"] is None


def test_two_item_scale_with_one_item_is_scored():
    # RF2: item 6 = 3, item 7 missing -> RS 3 -> (1 - 2/3) x 100 = 33.33
    assert exact_scores(form(q6=3, q7=None))["RF2"] == Fraction(100, 3)


def test_two_item_scale_with_no_item_is_missing():
    assert score(form(q29=None, q30=None))["QL2"] is None


def test_single_item_scale_with_its_item_missing_is_missing():
    assert score(form(q8=None))["DY"] is None


def test_absent_items_count_as_missing():
    assert score({29: 4, 30: 4}) == dict.fromkeys(SCORE_KEYS) | {"QL2": 50.0}


def test_summary_needs_all_thirteen_scales():
    assert score(form(q8=None))["SUMMARY"] is None


def test_summary_uses_half_scored_scales():
    assert score(form(q4=None, q5=None))["SUMMARY"] is not None


def test_missing_financial_and_global_items_do_not_prevent_the_summary():
    # Giesinger 2016: QL2 and FI are not part of the summary score
    assert score(form(q28=None, q29=None, q30=None))["SUMMARY"] == 100.0


@pytest.mark.parametrize(
    ("item", "answer", "message"),
    [
        (12, 5, "item 12 answer 5: outside 1..4"),
        (1, 0, "item 1 answer 0: outside 1..4"),
        (28, 5, "item 28 answer 5: outside 1..4"),
        (29, 8, "item 29 answer 8: outside 1..7"),
        (30, 0, "item 30 answer 0: outside 1..7"),
        (5, 2.5, "item 5 answer 2.5: must be a whole number 1..4 or None"),
        (5, True, "item 5 answer True: must be a whole number 1..4 or None"),
        (29, "7", "item 29 answer '7': must be a whole number 1..7 or None"),
    ],
)
def test_answer_outside_its_range_is_refused(item, answer, message):
    with pytest.raises(InvalidInput) as caught:
        score(form() | {item: answer})
    assert (str(caught.value), caught.value.field) == (message, f"item {item} answer")


@pytest.mark.parametrize("answer", [1, 4])
def test_four_point_item_accepts_both_ends(answer):
    assert score(form(q12=answer))["FA"] is not None


@pytest.mark.parametrize("answer", [1, 7])
def test_seven_point_item_accepts_both_ends(answer):
    assert score(form(q29=answer))["QL2"] is not None


@pytest.mark.parametrize(("item", "shown"), [(0, "0"), (31, "31"), ("1", "'1'")])
def test_item_number_outside_the_form_is_refused(item, shown):
    with pytest.raises(InvalidInput) as caught:
        score({item: 1})
    assert str(caught.value) == f"item {shown}: not an item number; expected 1..30"


def test_answers_must_be_a_mapping():
    with pytest.raises(InvalidInput) as caught:
        score([1, 2, 3])
    assert str(caught.value) == "answers 'list': must map item numbers 1..30 to answers"


def test_symptom_decrease_of_ten_points_or_more_is_improvement():
    # FA 44.44 -> 33.33: 11.1 points less fatigue
    assert classify_change("FA", 400 / 9, 100 / 3) == "improved"


def test_functional_decrease_of_exactly_ten_points_is_worsening():
    # Osoba 1998 threshold, inclusive (clinical-rules.md §3.6)
    assert classify_change("PF2", 80.0, 70.0) == "worsened"


def test_functional_decrease_under_ten_points_is_stable():
    assert classify_change("PF2", 80.0, 73.33333333333333) == "stable"


def test_symptom_increase_of_ten_points_is_worsening():
    assert classify_change("PA", 50.0, 60.0) == "worsened"


def test_global_health_increase_under_ten_points_is_stable():
    # QL2 58.33 -> 66.67: 8.33 points
    assert classify_change("QL2", 175 / 3, 200 / 3) == "stable"


def test_summary_increase_of_ten_points_is_improvement():
    assert classify_change("SUMMARY", 70.0, 80.0) == "improved"


def test_float_noise_does_not_decide_the_ten_point_boundary():
    # 0.1 + 0.2 style noise: 43.33.. - 33.33.. must still count as 10 points
    assert classify_change("FA", 130 / 3, 100 / 3 + 1e-14) == "improved"


def test_change_with_a_missing_score_is_not_classified():
    assert classify_change("EF", None, 50.0) is None


def test_custom_threshold():
    # a scale-specific threshold (e.g. Cocks 2012) replaces the flat 10 points
    assert classify_change("PF2", 80.0, 73.0, threshold=5) == "worsened"


def test_unknown_scale_is_refused():
    with pytest.raises(UnknownTerm) as caught:
        classify_change("XX", 50.0, 60.0)
    assert str(caught.value) == f"scale 'XX': not recognised; expected {', '.join(SCORE_KEYS)}"


def test_score_outside_0_100_is_refused():
    with pytest.raises(InvalidInput) as caught:
        classify_change("PF2", 50.0, 101.0)
    assert str(caught.value) == "follow_up 101.0: outside 0..100"


def test_change_from_baseline_classifies_every_scale():
    before = score(WORKED)
    after = score(form())
    changes = change_from_baseline(before, after)
    assert (changes["PF2"], changes["FA"], changes["QL2"], changes["NV"]) == (
        "improved",
        "improved",
        "improved",
        "stable",
    )
