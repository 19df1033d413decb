"""Logistic regression of response on one biomarker, by maximum likelihood (Newton-Raphson).

Refuses where the numbers cannot support a model: fewer than 10 patients in the smaller
outcome class (Peduzzi et al. 1996) or a covariate that separates responders from
non-responders (no finite maximum-likelihood estimate; Albert & Anderson 1984).

References
----------
.. [1] Hosmer DW, Lemeshow S, Sturdivant RX. Applied Logistic Regression, 3rd ed. Wiley 2013,
   §1.2-1.3 (likelihood, Wald test and interval).
.. [2] Peduzzi P, Concato J, Kemper E, Holford TR, Feinstein AR. A simulation study of the
   number of events per variable in logistic regression analysis. J Clin Epidemiol
   1996;49:1373-1379.
.. [3] Albert A, Anderson JA. On the existence of maximum likelihood estimates in logistic
   regression models. Biometrika 1984;71:1-10.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import special, stats

from ramunet.clinical.errors import InvalidInput
from ramunet.stats.binomial import check_level
from ramunet.stats.biomarkers import check_flags, check_numbers

#: Fewest patients in the smaller outcome class for a one-covariate model (Peduzzi 1996).
MIN_EVENTS = 10
STEP_TOLERANCE = 1e-12
MAX_ITERATIONS = 100


@dataclass(frozen=True)
class LogisticResult:
    """log(p / (1 - p)) = intercept + coef x covariate, fitted by maximum likelihood.

    Attributes
    ----------
    n, responders
        Patients and responders.
    intercept, coef, se
        The estimates and the standard error of ``coef`` (inverse observed information).
    z, p_value
        Wald statistic and two-sided p-value of ``coef``.
    odds_ratio, lower, upper, level
        exp(coef) per unit of the covariate with its Wald interval at ``level``.
    loglik
        The maximised log-likelihood.
    iterations
        Newton-Raphson steps.
    """

    n: int
    responders: int
    intercept: float
    coef: float
    se: float
    z: float
    p_value: float
    odds_ratio: float
    lower: float
    upper: float
    level: float
    loglik: float
    iterations: int


def _refuse_unless_estimable(x: list[float], y: list[bool], min_events: int) -> None:
    responders = sum(y)
    others = len(y) - responders
    if min(responders, others) < min_events:
        raise InvalidInput(
            "responded",
            f"has {responders} responders and {others} non-responders; a logistic model "
            f"needs at least {min_events} of each (Peduzzi et al. 1996)",
        )
    if len(set(x)) == 1:
        raise InvalidInput("covariate", "has the same value for every patient; nothing to fit")
    high = [value for value, flag in zip(x, y, strict=True) if flag]
    low = [value for value, flag in zip(x, y, strict=True) if not flag]
    if max(low) <= min(high) or max(high) <= min(low):
        raise InvalidInput(
            "covariate",
            "separates responders from non-responders (the odds ratio has no finite "
            "maximum-likelihood estimate; Albert & Anderson 1984)",
        )


def logistic_regression(
    covariate: Sequence[float],
    responded: Sequence[bool],
    level: float = 0.95,
    min_events: int = MIN_EVENTS,
) -> LogisticResult:
    """Maximum-likelihood logistic regression with one covariate; odds ratio and Wald CI.

    Parameters
    ----------
    covariate
        The biomarker of each patient (finite numbers; the odds ratio is per unit).
    responded
        Whether each patient responded (True/1) or not (False/0).
    level
        Confidence level of the odds-ratio interval.
    min_events
        Fewest patients in the smaller outcome class; 10 by default [2]_.

    Returns
    -------
    LogisticResult
        Equal to R's ``glm(y ~ x, family = binomial)`` at tight convergence.

    Raises
    ------
    InvalidInput
        Non-numbers, a length mismatch, too few responders or non-responders, a constant
        covariate, or (quasi-)complete separation [3]_.
    """
    confidence = check_level(level)
    x_values = check_numbers(covariate, "covariate")
    flags = check_flags(responded, "responded", len(x_values))
    _refuse_unless_estimable(x_values, flags, min_events)
    design = np.column_stack([np.ones(len(x_values)), np.array(x_values)])
    y = np.array(flags, dtype=np.float64)
    beta = np.zeros(2)
    iterations = 0
    information = np.eye(2)
    for iterations in range(1, MAX_ITERATIONS + 1):  # noqa: B007 - iterations is reported
        p = special.expit(design @ beta)
        information = design.T @ (design * (p * (1 - p))[:, None])
        step = np.linalg.solve(information, design.T @ (y - p))
        beta = beta + step
        if float(np.max(np.abs(step))) < STEP_TOLERANCE:
            break
    p = special.expit(design @ beta)
    information = design.T @ (design * (p * (1 - p))[:, None])
    covariance = np.linalg.inv(information)
    coef = float(beta[1])
    se = math.sqrt(float(covariance[1, 1]))
    z = coef / se
    z_level = float(stats.norm.ppf(1 - (1 - confidence) / 2))
    eta = design @ beta
    loglik = float(np.sum(y * eta - np.logaddexp(0.0, eta)))
    return LogisticResult(
        n=len(x_values),
        responders=int(y.sum()),
        intercept=float(beta[0]),
        coef=coef,
        se=se,
        z=z,
        p_value=float(2 * stats.norm.sf(abs(z))),
        odds_ratio=math.exp(coef),
        lower=math.exp(coef - z_level * se),
        upper=math.exp(coef + z_level * se),
        level=confidence,
        loglik=loglik,
        iterations=iterations,
    )
