"""Exact binomial inference for the primary endpoint: x successes of n patients.

The one-sided exact test of H0: p <= p0 and the confidence intervals reported beside it.

References
----------
.. [1] Clopper CJ, Pearson ES. The use of confidence or fiducial limits illustrated in the case
   of the binomial. Biometrika 1934;26:404-413.
.. [2] Wilson EB. Probable inference, the law of succession, and statistical inference.
   J Am Stat Assoc 1927;22:209-212.
.. [3] Brown LD, Cai TT, DasGupta A. Interval estimation for a binomial proportion.
   Stat Sci 2001;16:101-133 (Section 4.1.2: the Jeffreys interval).
.. [4] A'Hern RP. Sample size tables for exact single-stage phase II designs.
   Stat Med 2001;20:859-866.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy import stats

from ramunet.clinical.errors import InvalidInput
from ramunet.stats.design import AhernDesign, check_probability

IntervalMethod = Literal["clopper-pearson", "wilson", "jeffreys"]


def check_count(field: str, value: int, minimum: int = 0) -> int:
    """Return ``value`` if it is a whole number >= ``minimum``, else raise ``InvalidInput``."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise InvalidInput(field, "must be a whole number", value)
    if value < minimum:
        rule = "must not be negative" if minimum == 0 else f"must be at least {minimum}"
        raise InvalidInput(field, rule, value)
    return int(value)


def check_successes(x: int, n: int) -> tuple[int, int]:
    """Validate ``n >= 1`` patients and ``0 <= x <= n`` successes."""
    n = check_count("n", n, minimum=1)
    x = check_count("x", x)
    if x > n:
        raise InvalidInput("x", f"must not exceed n = {n}", x)
    return x, n


def check_level(level: float) -> float:
    """Validate a confidence level strictly between 0 and 1."""
    return check_probability("level", level)


@dataclass(frozen=True)
class ProportionInterval:
    """A two-sided confidence interval for a binomial proportion.

    Attributes
    ----------
    method
        ``"clopper-pearson"``, ``"wilson"`` or ``"jeffreys"``.
    x, n, level
        The successes, the patients and the two-sided confidence level.
    lower, upper
        The limits, within [0, 1].
    """

    method: IntervalMethod
    x: int
    n: int
    level: float
    lower: float
    upper: float

    def contains(self, p: float) -> bool:
        """Whether ``lower <= p <= upper``."""
        return self.lower <= p <= self.upper

    def as_percent(self, digits: int = 1) -> str:
        """The limits as ``"62.1% to 88.4%"``."""
        return f"{100 * self.lower:.{digits}f}% to {100 * self.upper:.{digits}f}%"


def exact_p_value(x: int, n: int, p0: float) -> float:
    """One-sided exact p-value P(X >= x | p0) for X ~ Binomial(n, p0).

    The test of H0: p <= p0 against p > p0 used by the single-stage design (A'Hern 2001).

    Raises
    ------
    InvalidInput
        ``n < 1``, ``x`` outside 0..n, or ``p0`` outside (0, 1).
    """
    x, n = check_successes(x, n)
    p0 = check_probability("p0", p0)
    return float(stats.binom.sf(x - 1, n, p0))


def clopper_pearson(x: int, n: int, level: float = 0.95) -> ProportionInterval:
    """Exact (Clopper-Pearson) interval from beta quantiles.

    lower = B(a/2; x, n - x + 1), upper = B(1 - a/2; x + 1, n - x) with a = 1 - level; the
    lower limit is 0 when x = 0 and the upper is 1 when x = n (Clopper & Pearson 1934).
    This is the interval of R's ``binom.test``.
    """
    x, n = check_successes(x, n)
    tail = (1.0 - check_level(level)) / 2.0
    lower = 0.0 if x == 0 else float(stats.beta.ppf(tail, x, n - x + 1))
    upper = 1.0 if x == n else float(stats.beta.ppf(1.0 - tail, x + 1, n - x))
    return ProportionInterval("clopper-pearson", x, n, level, lower, upper)


def wilson(x: int, n: int, level: float = 0.95) -> ProportionInterval:
    """Wilson score interval (Wilson 1927), without continuity correction.

    centre = (x + z^2/2) / (n + z^2), half-width = z sqrt(x (n - x) / n + z^2/4) / (n + z^2),
    with z the 1 - (1 - level)/2 normal quantile (Brown, Cai & DasGupta 2001, eq. 4).
    """
    x, n = check_successes(x, n)
    z = float(stats.norm.ppf(1.0 - (1.0 - check_level(level)) / 2.0))
    denominator = n + z * z
    centre = (x + z * z / 2.0) / denominator
    half_width = z * math.sqrt(x * (n - x) / n + z * z / 4.0) / denominator
    lower = 0.0 if x == 0 else max(0.0, centre - half_width)
    upper = 1.0 if x == n else min(1.0, centre + half_width)
    return ProportionInterval("wilson", x, n, level, lower, upper)


def jeffreys(x: int, n: int, level: float = 0.95) -> ProportionInterval:
    """Equal-tailed Jeffreys interval: quantiles of Beta(x + 1/2, n - x + 1/2).

    As recommended by Brown, Cai & DasGupta (2001), Section 4.1.2, the lower limit is set to
    0 when x = 0 and the upper limit to 1 when x = n.
    """
    x, n = check_successes(x, n)
    tail = (1.0 - check_level(level)) / 2.0
    lower = 0.0 if x == 0 else float(stats.beta.ppf(tail, x + 0.5, n - x + 0.5))
    upper = 1.0 if x == n else float(stats.beta.ppf(1.0 - tail, x + 0.5, n - x + 0.5))
    return ProportionInterval("jeffreys", x, n, level, lower, upper)


@dataclass(frozen=True)
class PrimaryAnalysis:
    """The primary endpoint analysis of a single-stage exact design.

    Attributes
    ----------
    x, n
        Successes and patients in the analysis set.
    design
        The planned design (p0, alpha, n and r).
    rate
        x / n.
    p_value
        One-sided exact P(X >= x | p0).
    cp90, cp95, wilson95, jeffreys95
        Clopper-Pearson 90% and 95%, Wilson 95% and Jeffreys 95% intervals.
    rejects_h0
        The decision. With the planned ``n``: ``x >= r``. With another ``n`` the planned ``r``
        no longer applies and the exact test decides: ``p_value <= alpha``.
    decision_rule
        ``"x >= r"`` or ``"p <= alpha"``: which of the two rules gave the decision.
    """

    x: int
    n: int
    design: AhernDesign
    rate: float
    p_value: float
    cp90: ProportionInterval
    cp95: ProportionInterval
    wilson95: ProportionInterval
    jeffreys95: ProportionInterval
    rejects_h0: bool
    decision_rule: Literal["x >= r", "p <= alpha"]

    def summary(self) -> str:
        """One line for a report, e.g. ``34/45 (75.6%), p = 0.0199: H0 rejected``."""
        verdict = "H0 rejected" if self.rejects_h0 else "H0 not rejected"
        return (
            f"{self.x}/{self.n} ({100 * self.rate:.1f}%), one-sided exact p = "
            f"{self.p_value:.4f}, 95% CI {self.cp95.as_percent()}: {verdict}"
        )


def primary_analysis(x: int, n: int, design: AhernDesign) -> PrimaryAnalysis:
    """Analyse x successes of n against a single-stage exact design.

    Parameters
    ----------
    x, n
        Successes (RamuNET: disease control at 6 months) and patients in the analysis set.
    design
        The planned design, e.g. ``ahern(0.60, 0.80, 0.05, 0.10)`` (n = 45, r = 33).

    Returns
    -------
    PrimaryAnalysis
        Rate, one-sided exact p-value against ``design.p0``, intervals and the decision.

    References
    ----------
    A'Hern RP. Stat Med 2001;20:859-866; Clopper & Pearson 1934; Wilson 1927;
    Brown, Cai & DasGupta 2001.
    """
    x, n = check_successes(x, n)
    p_value = exact_p_value(x, n, design.p0)
    if n == design.n:
        rejects, rule = design.rejects(x), "x >= r"
    else:
        rejects, rule = p_value <= design.alpha, "p <= alpha"
    return PrimaryAnalysis(
        x=x,
        n=n,
        design=design,
        rate=x / n,
        p_value=p_value,
        cp90=clopper_pearson(x, n, 0.90),
        cp95=clopper_pearson(x, n, 0.95),
        wilson95=wilson(x, n, 0.95),
        jeffreys95=jeffreys(x, n, 0.95),
        rejects_h0=rejects,
        decision_rule="x >= r" if rule == "x >= r" else "p <= alpha",
    )
