"""Log-rank and two-group Cox model against R (tests/data/survival, made by make_reference.R).

Expected numbers: survdiff.csv is R 4.2.2 / survival 3.5-3 ``survdiff(Surv(time, status) ~
group)``; coxph.csv is ``coxph(Surv(time, status) ~ x, ties = "efron")`` with x the indicator
of the second group in sorted order, and its ``summary()`` (Wald, likelihood-ratio, score).
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pytest

from ramunet.clinical.errors import InvalidInput, UnknownTerm
from ramunet.stats.survival import cox_two_group, logrank

DATA = Path(__file__).resolve().parents[1] / "data" / "survival"
TOLERANCE = 1e-6


def read_csv(name: str) -> list[dict[str, str]]:
    with (DATA / name).open() as handle:
        return [
            {key: value.strip() for key, value in row.items()} for row in csv.DictReader(handle)
        ]


def load_input(name: str) -> tuple[list[float], list[int], list[str]]:
    rows = read_csv(f"input_{name}.csv")
    return (
        [float(row["time"]) for row in rows],
        [int(row["status"]) for row in rows],
        [row["group"] for row in rows],
    )


@pytest.mark.parametrize("dataset", ["aml", "lung", "ties", "lung_ecog"])
def test_logrank_equals_r_survdiff(dataset):
    expected = [row for row in read_csv("survdiff.csv") if row["dataset"] == dataset]
    result = logrank(*load_input(dataset))
    assert result.groups == tuple(row["group"] for row in expected)
    assert result.n.tolist() == [int(row["n"]) for row in expected]
    assert result.observed.tolist() == [int(row["observed"]) for row in expected]
    np.testing.assert_allclose(
        result.expected, [float(row["expected"]) for row in expected], rtol=0, atol=TOLERANCE
    )
    np.testing.assert_allclose(
        np.diag(result.variance), [float(row["variance"]) for row in expected], atol=TOLERANCE
    )
    assert result.chisq == pytest.approx(float(expected[0]["chisq"]), abs=TOLERANCE)
    assert result.df == int(expected[0]["df"])
    assert result.p_value == pytest.approx(float(expected[0]["p"]), abs=TOLERANCE)


def test_logrank_aml_chisq_is_3_4_on_one_df():
    result = logrank(*load_input("aml"))  # R survdiff(Surv(time, status) ~ x, aml): 3.4, p 0.07
    assert (round(result.chisq, 1), result.df, round(result.p_value, 2)) == (3.4, 1, 0.07)


def test_logrank_of_identical_groups_is_zero():
    result = logrank([1, 2, 1, 2], [1, 1, 1, 1], ["a", "a", "b", "b"])
    assert result.chisq == pytest.approx(0.0, abs=1e-15)


def test_logrank_expected_events_add_up_to_observed():
    result = logrank(*load_input("lung"))
    assert result.expected.sum() == pytest.approx(result.observed.sum())


def test_logrank_needs_two_groups():
    with pytest.raises(InvalidInput) as caught:
        logrank([1, 2], [1, 1], ["a", "a"])
    assert str(caught.value) == "groups: has 1 distinct groups (a); at least 2 needed"


def test_logrank_needs_an_event():
    with pytest.raises(InvalidInput) as caught:
        logrank([1, 2], [0, 0], ["a", "b"])
    assert str(caught.value) == "events: has no event; the log-rank test needs at least one"


def test_logrank_groups_length_must_match():
    with pytest.raises(InvalidInput) as caught:
        logrank([1, 2], [1, 1], ["a"])
    assert str(caught.value) == "groups: has 1 values but times has 2; one per subject"


def test_missing_group_label_is_refused():
    with pytest.raises(InvalidInput) as caught:
        logrank([1, 2], [1, 1], ["a", None])
    assert str(caught.value) == "groups[1]: must name a group, not be missing"


COX_FIELDS = {
    "coef": "coef",
    "hazard_ratio": "hr",
    "se": "se",
    "z": "z",
    "p_value": "p",
    "lower": "lower",
    "upper": "upper",
    "loglik_null": "loglik_null",
    "loglik": "loglik",
    "lr_chisq": "lr",
    "lr_p_value": "lr_p",
    "score_chisq": "score",
    "score_p_value": "score_p",
}


@pytest.mark.parametrize("field", COX_FIELDS)
@pytest.mark.parametrize("dataset", ["aml", "lung", "ties"])
def test_cox_equals_r_coxph_efron(dataset, field):
    expected = next(row for row in read_csv("coxph.csv") if row["dataset"] == dataset)
    result = cox_two_group(*load_input(dataset))
    assert (result.reference, result.compared) == (expected["reference"], expected["compared"])
    assert getattr(result, field) == pytest.approx(float(expected[COX_FIELDS[field]]), abs=1e-6)


def test_cox_aml_hazard_ratio_is_2_5():
    result = cox_two_group(*load_input("aml"))  # coxph.csv: exp(coef) 2.498 (Nonmaintained)
    assert round(result.hazard_ratio, 3) == 2.498


def test_cox_with_other_reference_inverts_the_hazard_ratio():
    forward = cox_two_group(*load_input("aml"))
    backward = cox_two_group(*load_input("aml"), reference="nonmaintained")
    assert backward.compared == "maintained"
    assert backward.coef == pytest.approx(-forward.coef, abs=1e-12)
    assert backward.se == pytest.approx(forward.se, abs=1e-12)


def test_cox_hazard_ratio_interval_follows_level():
    result = cox_two_group(*load_input("aml"), level=0.90)
    assert math.log(result.upper) - result.coef == pytest.approx(1.6448536269514722 * result.se)


def test_cox_refuses_monotone_likelihood():
    with pytest.raises(InvalidInput) as caught:
        cox_two_group([1, 2, 3, 4], [1, 1, 0, 0], ["a", "a", "b", "b"])
    assert str(caught.value) == (
        "groups: the hazard ratio has no finite estimate "
        "(monotone likelihood: e.g. every event in one group)"
    )


def test_cox_needs_exactly_two_groups():
    with pytest.raises(InvalidInput) as caught:
        cox_two_group([1, 2, 3], [1, 1, 1], ["a", "b", "c"])
    assert str(caught.value) == "groups: has 3 distinct groups (a, b, c); exactly 2 needed"


def test_cox_unknown_reference_is_refused():
    with pytest.raises(UnknownTerm) as caught:
        cox_two_group([1, 2], [1, 1], ["a", "b"], reference="c")
    assert str(caught.value) == "reference 'c': not recognised; expected a, b"


def test_cox_needs_an_event():
    with pytest.raises(InvalidInput) as caught:
        cox_two_group([1, 2], [0, 0], ["a", "b"])
    assert str(caught.value) == "events: has no event; the hazard ratio needs at least one"
