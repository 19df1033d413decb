"""ORR and DCR with exact intervals.

Reference intervals: R 4.2.2 ``binom.test(x, n)$conf.int`` (Clopper-Pearson), printed by
tests/data/survival/make_reference.R into summaries_reference.csv.
"""

from __future__ import annotations

import pytest

from ramunet.clinical.errors import InvalidInput, UnknownTerm
from ramunet.stats.response import response_rates

# 45 patients: 2 CR, 9 PR, 22 SD, 1 NON-CR/NON-PD, 8 PD, 3 NE
RAMUNET_LIKE = ["CR"] * 2 + ["PR"] * 9 + ["SD"] * 22 + ["NON-CR/NON-PD"] + ["PD"] * 8 + ["NE"] * 3


def test_orr_counts_complete_and_partial_responses():
    rates = response_rates(RAMUNET_LIKE)
    assert (rates.objective_response.x, rates.objective_response.n) == (11, 45)


def test_dcr_counts_stable_and_non_cr_non_pd():
    rates = response_rates(RAMUNET_LIKE)
    assert rates.disease_control.x == 34


def test_not_evaluable_patients_stay_in_denominator():
    rates = response_rates(["PR", "NE"])
    assert rates.orr == 0.5


def test_orr_interval_equals_r_binom_test():
    rates = response_rates(RAMUNET_LIKE)
    # R: binom.test(11, 45)$conf.int (summaries_reference.csv, orr_lower/orr_upper)
    assert rates.objective_response.lower == pytest.approx(0.128822814603508, abs=1e-9)
    assert rates.objective_response.upper == pytest.approx(0.395370928759827, abs=1e-9)


def test_dcr_interval_equals_r_binom_test():
    rates = response_rates(RAMUNET_LIKE)
    # R: binom.test(34, 45)$conf.int (summaries_reference.csv, dcr_lower/dcr_upper)
    assert rates.disease_control.lower == pytest.approx(0.604629071240173, abs=1e-9)
    assert rates.disease_control.upper == pytest.approx(0.871177185396492, abs=1e-9)


def test_counts_list_every_code_including_zero():
    rates = response_rates(["PD"])
    assert rates.counts == (
        ("CR", 0),
        ("PR", 0),
        ("SD", 0),
        ("NON-CR/NON-PD", 0),
        ("PD", 1),
        ("NE", 0),
    )


def test_no_responder_gives_lower_limit_zero():
    assert response_rates(["PD", "SD"]).objective_response.lower == 0.0


def test_unknown_code_is_refused_with_its_position():
    with pytest.raises(UnknownTerm) as caught:
        response_rates(["PR", "uCR"])
    assert str(caught.value) == (
        "best_responses[1] 'uCR': not recognised; expected CR, PR, SD, NON-CR/NON-PD, PD, NE"
    )


def test_missing_best_response_is_refused():
    with pytest.raises(UnknownTerm) as caught:
        response_rates(["PR", None])
    assert str(caught.value) == (
        "best_responses[1]: not recognised; expected CR, PR, SD, NON-CR/NON-PD, PD, NE"
    )


def test_empty_analysis_set_is_refused():
    with pytest.raises(InvalidInput) as caught:
        response_rates([])
    assert str(caught.value) == "best_responses: must hold at least one patient"
