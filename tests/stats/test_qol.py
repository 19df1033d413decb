"""QLQ-C30 change from baseline with the 10-point rule (Osoba 1998; clinical-rules.md §3.6)."""

from __future__ import annotations

import pytest

from ramunet.clinical.errors import InvalidInput, UnknownTerm
from ramunet.stats.qol import (
    HIGHER_IS_BETTER,
    HIGHER_IS_WORSE,
    classify_change,
    qol_change_summary,
)


def test_functional_gain_of_exactly_10_points_is_improvement():
    assert classify_change(50.0, 60.0, HIGHER_IS_BETTER) == "improved"


def test_functional_gain_just_under_10_points_is_stable():
    assert classify_change(50.0, 59.99, HIGHER_IS_BETTER) == "stable"


def test_functional_loss_of_exactly_10_points_is_worsening():
    assert classify_change(60.0, 50.0, HIGHER_IS_BETTER) == "worsened"


def test_functional_loss_just_under_10_points_is_stable():
    assert classify_change(60.0, 50.01, HIGHER_IS_BETTER) == "stable"


def test_symptom_increase_of_10_points_is_worsening():
    assert classify_change(30.0, 40.0, HIGHER_IS_WORSE) == "worsened"


def test_symptom_decrease_of_10_points_is_improvement():
    assert classify_change(40.0, 30.0, HIGHER_IS_WORSE) == "improved"


def test_thirds_that_differ_by_ten_exactly_count_as_ten():
    # scores in thirds (e.g. 58.333...) carry binary rounding: 10 points up to 1e-9 count as 10
    assert classify_change(175 / 3, 175 / 3 + 10, HIGHER_IS_BETTER) == "improved"
    assert classify_change(100 / 3, 100 / 3 - 10 + 1e-12, HIGHER_IS_BETTER) == "worsened"


SCORES = [
    ("P01", "baseline", "QL2", 50.0),
    ("P01", "week12", "QL2", 66.6666666667),  # +16.7 improved
    ("P02", "baseline", "QL2", 75.0),
    ("P02", "week12", "QL2", 58.3333333333),  # -16.7 worsened
    ("P03", "baseline", "QL2", 50.0),
    ("P03", "week12", "QL2", 50.0),  # stable
    ("P04", "week12", "QL2", 50.0),  # no baseline: not counted
    ("P01", "baseline", "FA", 44.4444444444),
    ("P01", "week12", "FA", 22.2222222222),  # fatigue -22.2: improved
    ("P02", "baseline", "FA", None),  # not scored at baseline
    ("P02", "week12", "FA", 33.3333333333),
    ("P01", "week24", "QL2", 41.6666666667),  # -8.3 stable
]


def test_summary_counts_patients_with_both_scores():
    row = qol_change_summary(SCORES).row("week12", "QL2")
    assert (row.n, row.improved, row.stable, row.worsened) == (3, 1, 1, 1)


def test_summary_mean_change_is_average_of_score_minus_baseline():
    row = qol_change_summary(SCORES).row("week12", "QL2")
    assert row.mean_change == pytest.approx((16.6666666667 - 16.6666666667 + 0) / 3)


def test_symptom_scale_decrease_is_summarised_as_improvement():
    row = qol_change_summary(SCORES).row("week12", "FA")
    assert (row.n, row.improved, row.percent("improved")) == (1, 1, 100.0)


def test_visits_follow_first_appearance_after_baseline():
    summary = qol_change_summary(SCORES)
    assert [row.visit for row in summary.rows[::15]] == ["week12", "week24"]


def test_scale_without_data_has_empty_row():
    row = qol_change_summary(SCORES).row("week24", "DY")
    assert (row.n, row.mean_change, row.percent("stable")) == (0, None, None)


def test_custom_threshold_changes_the_classification():
    row = qol_change_summary(SCORES, threshold=20).row("week12", "FA")
    assert row.improved == 1  # 22.2 points >= 20
    row = qol_change_summary(SCORES, threshold=25).row("week12", "FA")
    assert row.stable == 1


def test_unknown_scale_is_refused():
    with pytest.raises(UnknownTerm) as caught:
        qol_change_summary([("P01", "baseline", "XX", 1.0)])
    assert str(caught.value).startswith("scores[0].scale 'XX': not recognised; expected QL2, PF2")


@pytest.mark.parametrize("score", [-0.1, 100.1])
def test_score_outside_0_to_100_is_refused(score):
    with pytest.raises(InvalidInput) as caught:
        qol_change_summary([("P01", "baseline", "QL2", score)])
    assert str(caught.value) == f"scores[0].score {score!r}: must lie from 0 to 100"


def test_repeated_score_is_refused():
    entry = ("P01", "baseline", "QL2", 50.0)
    with pytest.raises(InvalidInput) as caught:
        qol_change_summary([entry, entry])
    assert str(caught.value) == (
        f"scores[1] {entry!r}: repeats a (patient, visit, scale) already given"
    )


def test_non_positive_threshold_is_refused():
    with pytest.raises(InvalidInput) as caught:
        qol_change_summary(SCORES, threshold=0)
    assert str(caught.value) == "threshold 0: must be a positive number of points"


def test_baseline_in_visit_list_is_refused():
    with pytest.raises(InvalidInput) as caught:
        qol_change_summary(SCORES, visits=["baseline"])
    assert str(caught.value) == "visits 'baseline': must list post-baseline visits only"
