"""Kaplan-Meier estimate with Greenwood standard errors, R ``survfit`` conventions throughout.

The step table, standard errors, pointwise confidence limits and the median with its interval
equal R's ``survival::survfit(Surv(time, status) ~ 1)`` (survival 3.5) to 1e-6 for the three
interval types ``"log-log"`` (our default), ``"log"`` (R's default) and ``"plain"``.

References
----------
.. [1] Kaplan EL, Meier P. Nonparametric estimation from incomplete observations.
   J Am Stat Assoc 1958;53:457-481.
.. [2] Greenwood M. The natural duration of cancer. Rep Public Health Med Subj 1926;33:1-26.
.. [3] Kalbfleisch JD, Prentice RL. The Statistical Analysis of Failure Time Data, 2nd ed.
   Wiley 2002, §1.3 (log-log limits).
.. [4] Brookmeyer R, Crowley J. A confidence interval for the median survival time.
   Biometrics 1982;38:29-41 (median limits from the pointwise limits).
.. [5] Therneau TM. A Package for Survival Analysis in R, version 3.5 (``survfit.formula``,
   ``survfit_confint``, ``print.survfit``/``survmean``, ``summary.survfit``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy import stats

from ramunet.clinical.errors import InvalidInput, UnknownTerm
from ramunet.stats.survival_data import (
    FloatArray,
    IntArray,
    check_survival_data,
    check_times,
)

ConfType = Literal["log-log", "log", "plain"]
CONF_TYPES: tuple[str, ...] = ("log-log", "log", "plain")

#: R's ``sqrt(.Machine$double.eps)``: survival values this close to 0.5 count as 0.5.
MEDIAN_TOLERANCE = math.sqrt(np.finfo(np.float64).eps)


@dataclass(frozen=True)
class MedianSurvival:
    """Median survival time and its confidence interval; ``None`` where R prints ``NA``.

    Attributes
    ----------
    estimate
        The median, ``None`` if the curve never reaches 0.5.
    lower, upper
        The limits from the lower and upper pointwise confidence curves.
    level
        The confidence level, e.g. 0.95.
    """

    estimate: float | None
    lower: float | None
    upper: float | None
    level: float


@dataclass(frozen=True, eq=False)
class SurvivalAt:
    """The Kaplan-Meier curve read at chosen times (R ``summary(fit, times, extend=TRUE)``).

    Attributes
    ----------
    time
        The query times, as given.
    n_at_risk
        Subjects with follow-up time >= each query time.
    survival, std_err, lower, upper
        The curve and its limits at each time (NaN where R reports ``NA``).
    """

    time: FloatArray
    n_at_risk: IntArray
    survival: FloatArray
    std_err: FloatArray
    lower: FloatArray
    upper: FloatArray


@dataclass(frozen=True, eq=False)
class KaplanMeierResult:
    """A Kaplan-Meier curve: the inputs, the step table at every distinct time and the median.

    Attributes
    ----------
    times, events
        The validated inputs, one per subject.
    conf_type, level
        The pointwise interval type and confidence level.
    time
        Distinct observed times (events and censorings), ascending.
    n_at_risk, n_events, n_censored
        Subjects at risk just before each time, events and censorings at it.
    survival
        The product-limit estimate S(t) just after each time.
    std_err
        Standard error of S(t): S(t) times the square root of Greenwood's sum (R's
        ``summary.survfit`` column ``std.err``); NaN once S(t) = 0.
    std_err_cumhaz
        Square root of Greenwood's sum, the standard error of -log S(t) (R's
        ``survfit()$std.err``); infinite once S(t) = 0.
    lower, upper
        Pointwise confidence limits (NaN where R reports ``NA``).
    median
        The median survival time with its interval, by R's ``print.survfit`` rule.
    """

    times: FloatArray
    events: IntArray
    conf_type: ConfType
    level: float
    time: FloatArray
    n_at_risk: IntArray
    n_events: IntArray
    n_censored: IntArray
    survival: FloatArray
    std_err: FloatArray
    std_err_cumhaz: FloatArray
    lower: FloatArray
    upper: FloatArray
    median: MedianSurvival

    def at_risk(self, at: Sequence[float] | FloatArray) -> IntArray:
        """Numbers at risk (follow-up time >= t) at each time ``t`` in ``at``, for plots.

        Raises
        ------
        InvalidInput
            Naming ``at[i]`` for a negative, infinite or NaN time.
        """
        query = check_times(at, "at")
        first_index = np.searchsorted(self.time, query, side="left")
        padded = np.append(self.n_at_risk, 0)
        return padded[first_index]

    def survival_at(self, at: Sequence[float] | FloatArray) -> SurvivalAt:
        """The curve, its standard error and limits at each time in ``at``.

        Equals R's ``summary(fit, times = at, extend = TRUE)``: the step function is
        right-continuous (an event at ``t`` counts at ``t``); before the first observed time
        S = 1 with standard error 0 and both limits 1 (R's convention there, also for
        log-log); past the last time the last values carry on with nobody at risk.

        Raises
        ------
        InvalidInput
            Naming ``at[i]`` for a negative, infinite or NaN time.
        """
        query = check_times(at, "at")
        row = np.searchsorted(self.time, query, side="right") - 1
        before = row < 0
        safe = np.where(before, 0, row)

        def pick(values: FloatArray, start: float) -> FloatArray:
            return np.where(before, start, values[safe])

        return SurvivalAt(
            time=query,
            n_at_risk=self.at_risk(query),
            survival=pick(self.survival, 1.0),
            std_err=pick(self.std_err, 0.0),
            lower=pick(self.lower, 1.0),
            upper=pick(self.upper, 1.0),
        )


def _check_level(level: float) -> float:
    if isinstance(level, bool) or not isinstance(level, int | float) or not 0 < level < 1:
        raise InvalidInput("level", "must lie strictly between 0 and 1", level)
    return float(level)


def pointwise_limits(
    survival: FloatArray, std_err_cumhaz: FloatArray, conf_type: ConfType, level: float
) -> tuple[FloatArray, FloatArray]:
    """Pointwise confidence limits of S(t) exactly as R's ``survfit_confint`` computes them.

    With z the normal quantile and se the standard error of -log S:

    - ``"plain"``: S -/+ z se S, clipped to [0, 1];
    - ``"log"``: S exp(-/+ z se), the upper limit capped at 1; undefined where S = 0;
    - ``"log-log"``: exp(-exp(log(-log S) -/+ z se / log S)); undefined where S is 0 or 1.

    Undefined limits are NaN (R's ``NA``).
    """
    z = float(stats.norm.ppf(1 - (1 - level) / 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        if conf_type == "plain":
            half_width = std_err_cumhaz * survival * z
            return np.maximum(survival - half_width, 0.0), np.minimum(survival + half_width, 1.0)
        if conf_type == "log":
            positive = np.where(survival == 0, np.nan, survival)
            return (
                np.exp(np.log(positive) - z * std_err_cumhaz),
                np.minimum(np.exp(np.log(positive) + z * std_err_cumhaz), 1.0),
            )
        inner = np.where((survival == 0) | (survival == 1), np.nan, survival)
        shift = z * std_err_cumhaz / np.log(inner)
        loglog = np.log(-np.log(inner))
        return np.exp(-np.exp(loglog - shift)), np.exp(-np.exp(loglog + shift))


def first_time_at_or_below_half(time: FloatArray, curve: FloatArray) -> float | None:
    """The first time a step curve is <= 0.5, by R's ``print.survfit`` rule (``survmean``).

    Rows where the curve is NaN are skipped. If the curve first reaches exactly 0.5 (within
    ``MEDIAN_TOLERANCE``) and later drops below it, the answer is the mid-point between the
    time it reached 0.5 and the time of that later drop; if it stays at 0.5 to the end, the
    time it reached 0.5. ``None`` when the curve never reaches 0.5.

    R's ``quantile.survfit`` differs in one case only: a curve that ends exactly at 0.5 gives
    the mid-point to the last observed time there; we follow ``print.survfit``.
    """
    keep = ~np.isnan(curve) & (curve < 0.5 + MEDIAN_TOLERANCE)
    if not keep.any():
        return None
    kept_time, kept_curve = time[keep], curve[keep]
    if abs(kept_curve[0] - 0.5) < MEDIAN_TOLERANCE:
        lower_rows = np.flatnonzero(kept_curve < kept_curve[0])
        if lower_rows.size:
            return float((kept_time[0] + kept_time[lower_rows[0]]) / 2)
    return float(kept_time[0])


def kaplan_meier(
    times: Sequence[float] | FloatArray,
    events: Sequence[int] | IntArray,
    conf_type: ConfType = "log-log",
    level: float = 0.95,
) -> KaplanMeierResult:
    """Kaplan-Meier estimate with Greenwood variance, pointwise limits and the median.

    Parameters
    ----------
    times
        Follow-up time of each subject (>= 0, any unit).
    events
        1 if the subject's time is an event (death, progression), 0 if censored.
    conf_type
        ``"log-log"`` (default, Kalbfleisch & Prentice [3]_), ``"log"`` (R's default) or
        ``"plain"``; see :func:`pointwise_limits`.
    level
        Confidence level of the pointwise limits and of the median's interval.

    Returns
    -------
    KaplanMeierResult
        The step table at each distinct time, equal to R's ``survfit`` [5]_ to 1e-6.

    Raises
    ------
    InvalidInput
        Empty data, length mismatch, a negative/infinite/NaN time, an event other than 0/1,
        or a level outside (0, 1); ``UnknownTerm`` for another ``conf_type``.

    Notes
    -----
    S(t) = prod over event times t_j <= t of (1 - d_j / n_j) [1]_; Greenwood's sum
    sum d_j / (n_j (n_j - d_j)) [2]_ is the variance of -log S(t). The median and its limits
    are the first times the curve and the limit curves reach 0.5 (Brookmeyer & Crowley [4]_),
    with R's mid-point rule on a flat stretch at exactly 0.5.
    """
    if conf_type not in CONF_TYPES:
        raise UnknownTerm("conf_type", conf_type, CONF_TYPES)
    confidence = _check_level(level)
    data = check_survival_data(times, events)
    time, index = np.unique(data.times, return_inverse=True)
    n_total = np.bincount(index, minlength=time.size)
    n_events = np.bincount(index, weights=data.events, minlength=time.size).astype(np.int64)
    n_at_risk = data.n_subjects - np.cumsum(n_total) + n_total
    survivors = n_at_risk - n_events
    with np.errstate(divide="ignore", invalid="ignore"):
        survival: FloatArray = np.cumprod(survivors / n_at_risk, dtype=np.float64)
        greenwood_terms = np.where(n_events == 0, 0.0, n_events / (n_at_risk * survivors))
        std_err_cumhaz = np.sqrt(np.cumsum(greenwood_terms))
        std_err = survival * std_err_cumhaz
    lower, upper = pointwise_limits(survival, std_err_cumhaz, conf_type, confidence)
    median = MedianSurvival(
        estimate=first_time_at_or_below_half(time, survival),
        lower=first_time_at_or_below_half(time, lower),
        upper=first_time_at_or_below_half(time, upper),
        level=confidence,
    )
    n_censored = n_total - n_events
    arrays = (time, n_at_risk, n_events, n_censored, survival, std_err)
    for array in (*arrays, std_err_cumhaz, lower, upper):
        array.flags.writeable = False
    return KaplanMeierResult(
        times=data.times,
        events=data.events,
        conf_type=conf_type,
        level=confidence,
        time=time,
        n_at_risk=n_at_risk,
        n_events=n_events,
        n_censored=n_censored,
        survival=survival,
        std_err=std_err,
        std_err_cumhaz=std_err_cumhaz,
        lower=lower,
        upper=upper,
        median=median,
    )
