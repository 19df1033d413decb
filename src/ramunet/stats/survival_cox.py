"""Cox proportional hazards model for one two-group covariate, Efron ties, as R ``coxph``.

References
----------
.. [1] Cox DR. Regression models and life-tables. J R Stat Soc B 1972;34:187-220.
.. [2] Efron B. The efficiency of Cox's likelihood function for censored data.
   J Am Stat Assoc 1977;72:557-565.
.. [3] Therneau TM, Grambsch PM. Modeling Survival Data: Extending the Cox Model.
   Springer 2000, §3.3 (ties), §3.4 (Wald, score and likelihood-ratio tests).
.. [4] Therneau TM. A Package for Survival Analysis in R, version 3.5 (``coxph``,
   ``ties = "efron"``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

from ramunet.clinical.errors import InvalidInput, UnknownTerm
from ramunet.stats.survival_data import (
    FloatArray,
    IntArray,
    check_groups,
    check_survival_data,
)

#: Newton-Raphson stops when a step changes the log hazard ratio by less than this.
STEP_TOLERANCE = 1e-12
MAX_ITERATIONS = 50
#: A log hazard ratio beyond this means the likelihood is monotone (no finite estimate).
LARGEST_LOG_HR = 20.0


@dataclass(frozen=True)
class CoxTwoGroupResult:
    """Hazard ratio of ``compared`` against ``reference`` with its three tests.

    Attributes
    ----------
    reference, compared
        The reference group (covariate 0) and the compared group (covariate 1).
    coef, se
        The log hazard ratio and its standard error (inverse observed information).
    hazard_ratio, lower, upper, level
        exp(coef) and its Wald interval exp(coef -/+ z se) at ``level``.
    z, p_value
        Wald statistic coef / se and its two-sided normal p-value.
    loglik_null, loglik
        Efron partial log-likelihood at coef = 0 and at the estimate.
    lr_chisq, lr_p_value
        Likelihood-ratio test 2 (loglik - loglik_null), one degree of freedom.
    score_chisq, score_p_value
        Score (log-rank-like) test U(0)^2 / I(0), one degree of freedom.
    iterations
        Newton-Raphson steps taken.
    """

    reference: str
    compared: str
    coef: float
    se: float
    hazard_ratio: float
    lower: float
    upper: float
    level: float
    z: float
    p_value: float
    loglik_null: float
    loglik: float
    lr_chisq: float
    lr_p_value: float
    score_chisq: float
    score_p_value: float
    iterations: int


@dataclass(frozen=True, eq=False)
class _RiskSets:
    """Per event time and per Efron step l = 0..d-1: the counts Efron's formula needs."""

    at_risk_0: FloatArray  # covariate-0 subjects at risk
    at_risk_1: FloatArray  # covariate-1 subjects at risk
    deaths_0: FloatArray
    deaths_1: FloatArray
    fraction: FloatArray  # l / d
    deaths_1_total: float


def _risk_sets(times: FloatArray, events: IntArray, covariate: IntArray) -> _RiskSets:
    event_times, index = np.unique(times[events == 1], return_inverse=True)
    counts = []
    for value in (0, 1):
        chosen = np.sort(times[covariate == value])
        at_risk = chosen.size - np.searchsorted(chosen, event_times, "left")
        deaths = np.bincount(index[covariate[events == 1] == value], minlength=event_times.size)
        counts.append((at_risk.astype(np.float64), deaths.astype(np.float64)))
    (n0, d0), (n1, d1) = counts
    d = (d0 + d1).astype(np.int64)
    step = np.repeat(np.arange(event_times.size), d)
    fraction = (np.arange(step.size) - np.repeat(np.cumsum(d) - d, d)) / d[step]
    return _RiskSets(n0[step], n1[step], d0[step], d1[step], fraction, float(d1.sum()))


def _efron(sets: _RiskSets, coef: float) -> tuple[float, float, float]:
    """Efron partial log-likelihood, score and information at ``coef`` [2]_."""
    risk = math.exp(coef)
    # Efron: remove the fraction l/d of the tied deaths' risk at step l
    s0 = (
        sets.at_risk_0
        + sets.at_risk_1 * risk
        - sets.fraction * (sets.deaths_0 + sets.deaths_1 * risk)
    )
    s1 = sets.at_risk_1 * risk - sets.fraction * sets.deaths_1 * risk
    mean = s1 / s0  # the covariate is 0/1, so s2 = s1
    loglik = coef * sets.deaths_1_total - float(np.log(s0).sum())
    score = sets.deaths_1_total - float(mean.sum())
    information = float((mean - mean**2).sum())
    return loglik, score, information


def cox_two_group(
    times: Sequence[float] | FloatArray,
    events: Sequence[int] | IntArray,
    groups: Sequence[str] | Sequence[int],
    reference: str | None = None,
    level: float = 0.95,
) -> CoxTwoGroupResult:
    """Cox model with one binary covariate (group), Efron's approximation for ties.

    Parameters
    ----------
    times, events
        Follow-up times (>= 0) and event indicators (1 event, 0 censored), one per subject.
    groups
        Exactly two distinct labels, one per subject.
    reference
        The reference group; by default the first label in sorted order, as R's factor.
    level
        Confidence level of the hazard-ratio interval.

    Returns
    -------
    CoxTwoGroupResult
        Equal to R's ``coxph(Surv(time, status) ~ group, ties = "efron")`` [4]_ to 1e-6.

    Raises
    ------
    InvalidInput
        Invalid times/events, not exactly two groups, a level outside (0, 1), or data whose
        likelihood has no finite maximum (e.g. no event in one group); ``UnknownTerm`` for
        a ``reference`` that is not one of the groups.

    Notes
    -----
    Newton-Raphson from coef = 0 with step-halving, stopped when a step is below
    ``STEP_TOLERANCE`` (tighter than ``coxph``'s relative log-likelihood change of 1e-9).
    """
    data = check_survival_data(times, events)
    labels, codes = check_groups(groups, data.n_subjects, minimum=2, maximum=2)
    if reference is not None and reference not in labels:
        raise UnknownTerm("reference", reference, labels)
    if isinstance(level, bool) or not isinstance(level, int | float) or not 0 < level < 1:
        raise InvalidInput("level", "must lie strictly between 0 and 1", level)
    if not data.events.any():
        raise InvalidInput("events", "has no event; the hazard ratio needs at least one")
    covariate = codes if reference in (None, labels[0]) else 1 - codes
    compared, base = (labels[1], labels[0]) if reference in (None, labels[0]) else labels
    sets = _risk_sets(data.times, data.events, covariate)
    loglik_null, score_null, information_null = _efron(sets, 0.0)
    coef, loglik, score, information = 0.0, loglik_null, score_null, information_null
    iterations = 0
    while iterations < MAX_ITERATIONS:
        if information <= 0:
            break
        step = score / information
        iterations += 1
        trial = coef + step
        trial_loglik, trial_score, trial_information = _efron(sets, trial)
        while trial_loglik < loglik and abs(step) > STEP_TOLERANCE:  # step-halving
            step /= 2
            trial = coef + step
            trial_loglik, trial_score, trial_information = _efron(sets, trial)
        coef, loglik, score, information = trial, trial_loglik, trial_score, trial_information
        if abs(step) < STEP_TOLERANCE or abs(coef) > LARGEST_LOG_HR:
            break
    if abs(coef) > LARGEST_LOG_HR or information <= 0 or information_null <= 0:
        raise InvalidInput(
            "groups",
            "the hazard ratio has no finite estimate (monotone likelihood: "
            "e.g. every event in one group)",
        )
    se = 1 / math.sqrt(information)
    z = coef / se
    z_level = float(stats.norm.ppf(1 - (1 - level) / 2))
    lr_chisq = 2 * (loglik - loglik_null)
    score_chisq = score_null**2 / information_null
    return CoxTwoGroupResult(
        reference=base,
        compared=compared,
        coef=coef,
        se=se,
        hazard_ratio=math.exp(coef),
        lower=math.exp(coef - z_level * se),
        upper=math.exp(coef + z_level * se),
        level=float(level),
        z=z,
        p_value=float(2 * stats.norm.sf(abs(z))),
        loglik_null=loglik_null,
        loglik=loglik,
        lr_chisq=lr_chisq,
        lr_p_value=float(stats.chi2.sf(lr_chisq, 1)),
        score_chisq=score_chisq,
        score_p_value=float(stats.chi2.sf(score_chisq, 1)),
        iterations=iterations,
    )
