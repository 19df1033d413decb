"""Logistic regression on one covariate against R 4.2.2 ``glm(y ~ x, family = binomial,
control = glm.control(epsilon = 1e-14))`` (summaries_reference.csv, input_logistic.csv, both
written by tests/data/survival/make_reference.R)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from ramunet.clinical.errors import InvalidInput
from ramunet.stats.logistic import logistic_regression

DATA = Path(__file__).resolve().parents[1] / "data" / "survival"


def load() -> tuple[list[float], list[int]]:
    with (DATA / "input_logistic.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    return [float(r["covariate"]) for r in rows], [int(r["responder"]) for r in rows]


def reference() -> dict[str, float]:
    with (DATA / "summaries_reference.csv").open() as handle:
        return {row["key"]: float(row["value"]) for row in csv.DictReader(handle)}


@pytest.mark.parametrize(
    ("field", "key"),
    [
        ("intercept", "logistic_intercept"),
        ("coef", "logistic_coef"),
        ("se", "logistic_se"),
        ("z", "logistic_z"),
        ("p_value", "logistic_p"),
        ("odds_ratio", "logistic_or"),
        ("lower", "logistic_or_lower"),
        ("upper", "logistic_or_upper"),
        ("loglik", "logistic_loglik"),
    ],
)
def test_logistic_fit_equals_r_glm(field, key):
    result = logistic_regression(*load())
    assert getattr(result, field) == pytest.approx(reference()[key], abs=1e-6)


def test_logistic_odds_ratio_is_per_unit_of_covariate():
    result = logistic_regression(*load())
    assert (result.n, result.responders, round(result.odds_ratio, 3)) == (45, 21, 1.605)


def ten_and_ten() -> tuple[list[float], list[int]]:
    # 10 responders and 10 non-responders with overlapping values
    x = [float(i) for i in range(20)]
    y = [0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1]
    return x, y


def test_ten_responders_and_ten_non_responders_are_enough():
    assert logistic_regression(*ten_and_ten()).n == 20


def test_nine_responders_are_too_few():
    x, y = ten_and_ten()
    with pytest.raises(InvalidInput) as caught:
        logistic_regression(x[:-1], y[:-1])
    assert str(caught.value) == (
        "responded: has 9 responders and 10 non-responders; a logistic model needs at "
        "least 10 of each (Peduzzi et al. 1996)"
    )


def test_complete_separation_is_refused():
    x = [float(i) for i in range(20)]
    y = [0] * 10 + [1] * 10
    with pytest.raises(InvalidInput) as caught:
        logistic_regression(x, y)
    assert str(caught.value) == (
        "covariate: separates responders from non-responders (the odds ratio has no finite "
        "maximum-likelihood estimate; Albert & Anderson 1984)"
    )


def test_quasi_complete_separation_with_one_shared_value_is_refused():
    x = [float(i) for i in range(10)] + [float(i) for i in range(9, 19)]
    y = [0] * 10 + [1] * 10
    with pytest.raises(InvalidInput, match="separates responders"):
        logistic_regression(x, y)


def test_constant_covariate_is_refused():
    with pytest.raises(InvalidInput) as caught:
        logistic_regression([1.0] * 20, ten_and_ten()[1])
    assert str(caught.value) == ("covariate: has the same value for every patient; nothing to fit")
