"""Best overall response, unconfirmed and confirmed.

Eisenhauer et al., Eur J Cancer 2009;45:228-247, §4.4.3 (examples), §4.6.1, Table 3;
clinical-rules.md §1.9 (operational algorithm after {admiralonco}) and register §1.13.
"""

from __future__ import annotations

import datetime as dt

import pytest

from ramunet.clinical.errors import InvalidInput
from ramunet.clinical.recist import (
    DEFAULT_RECIST,
    Assessment,
    Baseline,
    Lesion,
    RecistSettings,
    Response,
    confirmed_best_response,
    evaluate,
    unconfirmed_best_response,
)

FIRST_DOSE = dt.date(2024, 1, 8)
CR, PR, SD, PD, NE = Response.CR, Response.PR, Response.SD, Response.PD, Response.NE


def timeline(*points: tuple[int, Response]) -> list[tuple[dt.date, Response]]:
    return [(FIRST_DOSE + dt.timedelta(days=day), response) for day, response in points]


def confirmed(*points: tuple[int, Response]) -> Response:
    return confirmed_best_response(
        timeline(*points), first_dose=FIRST_DOSE, settings=DEFAULT_RECIST
    )


def unconfirmed(*points: tuple[int, Response]) -> Response:
    return unconfirmed_best_response(
        timeline(*points), first_dose=FIRST_DOSE, settings=DEFAULT_RECIST
    )


def test_partial_response_confirmed_exactly_28_days_later():
    assert confirmed((84, PR), (112, PR)) is PR


def test_partial_response_27_days_later_is_not_confirmed():
    # unconfirmed PR on day 84 >= 42 still counts as stable disease
    assert confirmed((84, PR), (111, PR)) is SD


def test_complete_response_confirmed_exactly_28_days_later():
    assert confirmed((84, CR), (112, CR)) is CR


def test_complete_response_27_days_later_is_not_confirmed():
    assert confirmed((84, CR), (111, CR)) is SD


def test_stable_disease_on_day_42_counts():
    assert unconfirmed((42, SD)) is SD
    assert confirmed((42, SD)) is SD


def test_stable_disease_on_day_41_does_not_count():
    assert unconfirmed((41, SD)) is NE
    assert confirmed((41, SD)) is NE


def test_stable_disease_before_the_minimum_then_progression_is_progression():
    # RECIST 1.1 §4.4.3 example
    assert unconfirmed((28, SD), (84, PD)) is PD


def test_sd_pr_pd_gives_partial_response_without_confirmation():
    # RECIST 1.1 §4.4.3 example: SD, PR, PD -> PR (unconfirmed)
    assert unconfirmed((56, SD), (84, PR), (112, PD)) is PR


def test_response_after_progression_is_ignored():
    assert unconfirmed((84, PD), (168, PR)) is PD
    assert confirmed((84, PD), (168, PR), (196, PR)) is PD


def test_no_assessment_is_not_evaluable():
    assert unconfirmed() is NE
    assert confirmed() is NE


def test_unconfirmed_response_needs_no_minimum_interval():
    assert unconfirmed((14, PR)) is PR


# RECIST 1.1 Table 3: first time point, later time point (28 days later) -> confirmed BOR.
# First point on day 56: the SD minimum (day 42) is met.
TABLE_3_MINIMUM_MET = [
    (CR, CR, CR),
    (CR, PR, SD),  # footnote a / register A-R5: SD (+ data query)
    (CR, SD, SD),
    (CR, PD, SD),
    (CR, NE, SD),
    (PR, CR, PR),
    (PR, PR, PR),
    (PR, SD, SD),
    (PR, PD, SD),
    (PR, NE, SD),
    (NE, NE, NE),
]


@pytest.mark.parametrize(("first", "later", "best"), TABLE_3_MINIMUM_MET)
def test_table_3_with_sd_minimum_met(first, later, best):
    assert confirmed((56, first), (84, later)) is best


# The same rows with both points before day 42: "else PD" / "else NE" of Table 3.
TABLE_3_MINIMUM_NOT_MET = [
    (CR, PD, PD),
    (CR, NE, NE),
    (PR, PD, PD),
    (PR, NE, NE),
]


@pytest.mark.parametrize(("first", "later", "best"), TABLE_3_MINIMUM_NOT_MET)
def test_table_3_with_sd_minimum_not_met(first, later, best):
    assert confirmed((7, first), (35, later)) is best


def test_pr_ne_pr_is_confirmed():
    # RECIST 1.1 §4.4.3: PR-NE-PR may be counted as confirmed (one NE allowed)
    assert confirmed((84, PR), (98, NE), (126, PR)) is PR


def test_pr_ne_ne_pr_is_not_confirmed():
    # register A-R7: at most one NE in between
    assert confirmed((84, PR), (98, NE), (112, NE), (140, PR)) is SD


def test_more_ne_allowed_by_setting():
    settings = RecistSettings(max_ne_between=2)
    points = timeline((84, PR), (98, NE), (112, NE), (140, PR))
    assert confirmed_best_response(points, first_dose=FIRST_DOSE, settings=settings) is PR


def test_pr_sd_pr_is_not_confirmed():
    # register A-R6
    assert confirmed((84, PR), (98, SD), (126, PR)) is SD


def test_pr_then_cr_then_pr_is_not_confirmed_by_the_pr():
    # no PR may follow a CR inside the confirmation period (clinical-rules.md §1.9 step 2)
    assert confirmed((84, PR), (98, CR), (112, PR)) is SD


def test_pr_confirmed_by_an_early_cr_and_a_later_pr_is_not():
    assert confirmed((84, PR), (98, PR), (112, PR)) is PR


def test_confirmation_interval_is_a_setting():
    settings = RecistSettings(confirmation_min_days=56)
    points = timeline((84, PR), (112, PR))
    assert confirmed_best_response(points, first_dose=FIRST_DOSE, settings=settings) is SD


def test_sd_minimum_is_a_setting():
    settings = RecistSettings(sd_min_days=56)
    points = timeline((55, SD))
    assert unconfirmed_best_response(points, first_dose=FIRST_DOSE, settings=settings) is NE


def test_non_target_only_stable_best_response_is_non_cr_non_pd():
    points = timeline((84, Response.NON_CR_NON_PD))
    best = unconfirmed_best_response(
        points, first_dose=FIRST_DOSE, settings=DEFAULT_RECIST, non_target_only=True
    )
    assert best is Response.NON_CR_NON_PD


def test_evaluate_reports_both_best_responses():
    baseline = Baseline(FIRST_DOSE, (Lesion("L1", "liver", longest_diameter_mm=40),))
    scans = [
        Assessment(FIRST_DOSE + dt.timedelta(days=84), {"L1": 20}),
        Assessment(FIRST_DOSE + dt.timedelta(days=168), {"L1": 40}),
    ]
    result = evaluate(baseline, scans, first_dose=FIRST_DOSE)
    assert result.best_overall_response is PR
    # the unconfirmed PR on day 84 (>= day 42) counts as stable disease
    assert result.confirmed_best_overall_response is SD
    assert not result.objective_response


def test_evaluate_confirmed_partial_response_is_an_objective_response():
    baseline = Baseline(FIRST_DOSE, (Lesion("L1", "liver", longest_diameter_mm=40),))
    scans = [
        Assessment(FIRST_DOSE + dt.timedelta(days=84), {"L1": 20}),
        Assessment(FIRST_DOSE + dt.timedelta(days=168), {"L1": 20}),
    ]
    result = evaluate(baseline, scans, first_dose=FIRST_DOSE)
    assert result.confirmed_best_overall_response is PR
    assert result.objective_response


def test_negative_setting_is_refused():
    with pytest.raises(InvalidInput) as caught:
        RecistSettings(sd_min_days=-1)
    assert str(caught.value) == "sd_min_days -1: must be a whole number of days >= 0"
