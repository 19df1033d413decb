"""Exact single-arm phase II designs: A'Hern's single stage and Simon's two stages.

Both designs test H0: p <= p0 against H1: p >= p1 for a binary response with exact binomial
probabilities, never a normal approximation.

References
----------
.. [1] A'Hern RP. Sample size tables for exact single-stage phase II designs.
   Stat Med 2001;20:859-866.
.. [2] Simon R. Optimal two-stage designs for phase II clinical trials.
   Control Clin Trials 1989;10:1-10.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
from numpy.lib.stride_tricks import sliding_window_view
from scipy import stats

from ramunet.clinical.errors import InvalidInput

FloatArray = npt.NDArray[np.float64]
SimonKind = Literal["optimal", "minimax"]
SIMON_KINDS: tuple[str, ...] = ("optimal", "minimax")

#: Largest total sample size any design search looks at.
MAX_SEARCH_N = 5000


def check_probability(field: str, value: float) -> float:
    """Return ``value`` as a float if it lies strictly between 0 and 1, else raise.

    Raises
    ------
    InvalidInput
        Naming ``field``, e.g. ``alpha 1.5: must lie strictly between 0 and 1``.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(field, "must be a number strictly between 0 and 1", value)
    if not 0.0 < value < 1.0:  # also rejects nan
        raise InvalidInput(field, "must lie strictly between 0 and 1", value)
    return float(value)


def check_hypotheses(p0: float, p1: float, alpha: float, beta: float) -> None:
    """Validate the four design inputs: rates and error rates in (0, 1), ``p0 < p1``.

    Raises
    ------
    InvalidInput
        Naming the first offending argument.
    """
    check_probability("p0", p0)
    check_probability("p1", p1)
    check_probability("alpha", alpha)
    check_probability("beta", beta)
    if not p0 < p1:
        raise InvalidInput("p0", f"must be below p1 = {p1!r} (H1 is a higher response rate)", p0)


def rejection_probability_single_stage(n: int, r: int, p: float) -> float:
    """P(X >= r) for X ~ Binomial(n, p): the chance that a single-stage design rejects H0."""
    return float(stats.binom.sf(r - 1, n, p))


@dataclass(frozen=True)
class AhernDesign:
    """An exact single-stage design: reject H0 iff at least ``r`` of ``n`` respond.

    Attributes
    ----------
    p0, p1, alpha, beta
        The inputs: response rates under H0 and H1, the one-sided type I error and the type II
        error allowed.
    n, r
        The sample size and the smallest number of responses that rejects H0.
    alpha_actual, power_actual
        P(X >= r | p0) and P(X >= r | p1).
    """

    p0: float
    p1: float
    alpha: float
    beta: float
    n: int
    r: int
    alpha_actual: float
    power_actual: float

    def rejects(self, successes: int) -> bool:
        """Whether ``successes`` responses of ``n`` reject H0 (``successes >= r``)."""
        return successes >= self.r

    def rejection_probability(self, p: float) -> float:
        """P(X >= r | p): the chance of rejecting H0 when the true rate is ``p``."""
        return rejection_probability_single_stage(self.n, self.r, check_probability("p", p))


def smallest_rejecting_r(
    n: npt.NDArray[np.int64], p0: float, alpha: float
) -> npt.NDArray[np.int64]:
    """For each ``n``, the smallest r with P(X >= r | n, p0) <= ``alpha``.

    Starts from scipy's inverse survival function and then checks the two neighbouring
    boundaries with the exact tail, stepping until P(X >= r) <= alpha < P(X >= r - 1), so a
    rounding slip in the quantile cannot move the boundary.
    """
    r = np.asarray(stats.binom.isf(alpha, n, p0), dtype=np.int64) + 1
    while True:
        too_high = (r > 0) & (stats.binom.sf(r - 2, n, p0) <= alpha)
        too_low = stats.binom.sf(r - 1, n, p0) > alpha
        if not (too_high.any() or too_low.any()):
            return r
        r = r - too_high + too_low


def _single_stage_block(
    n_lo: int, n_hi: int, p0: float, p1: float, alpha: float, beta: float
) -> tuple[int, int] | None:
    """The first (n, r) in ``n_lo..n_hi`` meeting both error constraints, or None."""
    n = np.arange(n_lo, n_hi + 1, dtype=np.int64)
    r = smallest_rejecting_r(n, p0, alpha)
    # P(X >= r | p1); for r = n + 1 (no rejection possible) scipy gives 0.
    power = stats.binom.sf(r - 1, n, p1)
    feasible = np.flatnonzero(power >= 1.0 - beta)
    if feasible.size == 0:
        return None
    first = int(feasible[0])
    return int(n[first]), int(r[first])


def ahern(p0: float, p1: float, alpha: float, beta: float) -> AhernDesign:
    """The smallest exact single-stage design for H0: p <= p0 against H1: p >= p1.

    Finds the smallest ``n`` for which some ``r`` gives P(X >= r | p0) <= ``alpha`` and
    P(X >= r | p1) >= 1 - ``beta``, with X ~ Binomial(n, p); ``r`` is the smallest number of
    responses meeting the type I error constraint. This is the table construction of A'Hern
    (2001), Table 1.

    Parameters
    ----------
    p0, p1
        Response rate under H0 and under H1, ``0 < p0 < p1 < 1``.
    alpha, beta
        One-sided type I error and type II error (1 - power), each in (0, 1).

    Returns
    -------
    AhernDesign
        The design and its exact error rates. For RamuNET (0.60, 0.80, 0.05, 0.10):
        n = 45, r = 33, actual alpha 0.0446, power 0.9005.

    Raises
    ------
    InvalidInput
        An argument outside (0, 1), ``p0 >= p1``, or no design up to ``MAX_SEARCH_N``.

    References
    ----------
    A'Hern RP. Stat Med 2001;20:859-866.
    """
    check_hypotheses(p0, p1, alpha, beta)
    n_lo, n_hi = 1, 128
    while n_lo <= MAX_SEARCH_N:
        found = _single_stage_block(n_lo, min(n_hi, MAX_SEARCH_N), p0, p1, alpha, beta)
        if found is not None:
            n, r = found
            return AhernDesign(
                p0=p0,
                p1=p1,
                alpha=alpha,
                beta=beta,
                n=n,
                r=r,
                alpha_actual=rejection_probability_single_stage(n, r, p0),
                power_actual=rejection_probability_single_stage(n, r, p1),
            )
        n_lo, n_hi = n_hi + 1, 2 * n_hi
    raise InvalidInput("p1", f"leaves no design with n <= {MAX_SEARCH_N}; p1 - p0 too small", p1)


@dataclass(frozen=True)
class SimonDesign:
    """An exact two-stage design in Simon's convention.

    Stage 1 treats ``n1`` patients and stops for futility when at most ``r1`` respond;
    otherwise ``n - n1`` more are treated and H0 is rejected when more than ``r`` of all ``n``
    respond (Simon 1989).

    Attributes
    ----------
    p0, p1, alpha, beta, kind
        The inputs and the criterion (``"optimal"``: smallest EN under p0; ``"minimax"``:
        smallest n, then smallest EN under p0).
    r1, n1, r, n
        The stopping boundaries and stage sizes.
    en0, pet0
        Expected sample size and probability of early termination under p0.
    alpha_actual, power_actual
        Exact probability of rejecting H0 under p0 and under p1.
    n_max
        The largest total sample size the search looked at.
    """

    p0: float
    p1: float
    alpha: float
    beta: float
    kind: SimonKind
    r1: int
    n1: int
    r: int
    n: int
    en0: float
    pet0: float
    alpha_actual: float
    power_actual: float
    n_max: int

    def early_termination_probability(self, p: float) -> float:
        """P(X1 <= r1 | p): the chance of stopping after stage 1."""
        return float(stats.binom.cdf(self.r1, self.n1, check_probability("p", p)))

    def expected_sample_size(self, p: float) -> float:
        """n1 + (1 - PET(p)) (n - n1): expected number of patients treated."""
        return self.n1 + (1.0 - self.early_termination_probability(p)) * (self.n - self.n1)

    def rejection_probability(self, p: float) -> float:
        """P(X1 > r1 and X1 + X2 > r | p), the chance of rejecting H0: 1 - Simon 1989, eq. 1."""
        return _two_stage_rejection(self.r1, self.n1, self.r, self.n, check_probability("p", p))


def _two_stage_rejection(r1: int, n1: int, r: int, n: int, p: float) -> float:
    x1 = np.arange(r1 + 1, n1 + 1)
    return float(np.sum(stats.binom.pmf(x1, n1, p) * stats.binom.sf(r - x1, n - n1, p)))


def _tail_table(n_max: int, p: float) -> FloatArray:
    """``table[m, k + n_max] = P(Y > k)``, Y ~ Binomial(m, p); m in 0..n_max, k in -n_max..n_max."""
    m = np.arange(n_max + 1)[:, None]
    k = np.arange(-n_max, n_max + 1)[None, :]
    return np.asarray(stats.binom.sf(k, m, p), dtype=np.float64)


def _stage_one_pmf(n: int, p: float) -> FloatArray:
    """``pmf[i, x1] = P(X1 = x1)`` for n1 = i + 1 in 1..n-1 and x1 in 0..n-1."""
    n1 = np.arange(1, n)[:, None]
    x1 = np.arange(n)[None, :]
    return np.asarray(stats.binom.pmf(x1, n1, p), dtype=np.float64)


def _rejection_cube(
    n: int, pmf1: FloatArray, tails: FloatArray, n_max: int, r_top: int
) -> FloatArray:
    """``cube[i, r1, r]``: P(X1 > r1, X1 + X2 > r) for n1 = i + 1, r1 in 0..n-2, r in 0..r_top."""
    # second[i, x1, r] = P(X2 > r - x1) with X2 ~ Binomial(n - n1, p): a Toeplitz block per
    # n1, read as a strided view of the reversed tail rows instead of gathered by index.
    reversed_rows = tails[n - np.arange(1, n), ::-1]
    windows = sliding_window_view(reversed_rows, r_top + 1, axis=1)
    start = n_max - r_top
    second = windows[:, start : start + n, ::-1]
    # P(X1 = x1) P(X2 > r - x1), then summed over x1 > r1 by a reversed cumulative sum.
    terms = pmf1[:, :, None] * second
    tail_sums = np.cumsum(terms[:, ::-1, :], axis=1)[:, ::-1, :]
    return tail_sums[:, 1:, :]


def _best_at_n(
    n: int,
    p0: float,
    p1: float,
    alpha: float,
    beta: float,
    tails0: FloatArray,
    tails1: FloatArray,
    n_max: int,
) -> tuple[float, int, int, int] | None:
    """The smallest-EN0 design with total ``n`` as (en0, n1, r1, r), or None if none is feasible."""
    # Rejecting needs X1 + X2 > r, so the power is at most P(X > r | n, p1): no r above
    # r_top can reach 1 - beta.
    single_stage_power = tails1[n, n_max : n_max + n]
    r_top = int(np.count_nonzero(single_stage_power >= 1.0 - beta)) - 1
    if n < 2 or r_top < 0:
        return None
    pmf0 = _stage_one_pmf(n, p0)
    reject0 = _rejection_cube(n, pmf0, tails0, n_max, r_top)
    reject1 = _rejection_cube(n, _stage_one_pmf(n, p1), tails1, n_max, r_top)
    # For each (n1, r1) the rejection probability falls as r rises, so the best r is the
    # smallest one with alpha_actual <= alpha; it is also the most powerful admissible one.
    r_best = (reject0 > alpha).sum(axis=2)
    valid = r_best <= r_top
    power = np.take_along_axis(reject1, np.minimum(r_best, r_top)[:, :, None], axis=2)[:, :, 0]
    n1 = np.arange(1, n)[:, None]
    r1 = np.arange(n - 1)[None, :]
    feasible = valid & (power >= 1.0 - beta) & (r1 < n1)
    if not feasible.any():
        return None
    pet0 = np.cumsum(pmf0[:, : n - 1], axis=1)
    en0 = np.where(feasible, n1 + (1.0 - pet0) * (n - n1), np.inf)
    i, j = np.unravel_index(int(np.argmin(en0)), en0.shape)
    return float(en0[i, j]), int(i + 1), int(j), int(r_best[i, j])


def simon(
    p0: float,
    p1: float,
    alpha: float,
    beta: float,
    kind: str = "optimal",
    n_max: int | None = None,
) -> SimonDesign:
    """Simon's optimal or minimax exact two-stage design for H0: p <= p0 against H1: p >= p1.

    Every total ``n`` up to ``n_max``, first-stage size ``n1`` in 1..n-1 and futility
    boundary ``r1`` in 0..n1-1 is examined; for each, the final boundary ``r`` is the smallest
    with P(reject | p0) <= ``alpha``, and the design is feasible when P(reject | p1) >=
    1 - ``beta``. The *optimal* design minimises EN0 = n1 + (1 - PET0)(n - n1); the *minimax*
    design has the smallest feasible ``n`` and, among those, the smallest EN0 (the two
    criteria of Simon 1989). Ties keep the smaller ``n``, then ``n1``, then ``r1``.

    Parameters
    ----------
    p0, p1
        Response rate under H0 and under H1, ``0 < p0 < p1 < 1``.
    alpha, beta
        One-sided type I error and type II error, each in (0, 1).
    kind
        ``"optimal"`` or ``"minimax"``.
    n_max
        Largest total sample size searched; default 1.5 times A'Hern's single-stage ``n``
        plus 10, which holds Simon's published optimal designs.

    Returns
    -------
    SimonDesign

    Raises
    ------
    InvalidInput
        Invalid rates or error rates, an unknown ``kind``, ``n_max`` below 2, or no design.

    References
    ----------
    Simon R. Optimal two-stage designs for phase II clinical trials.
    Control Clin Trials 1989;10:1-10, Tables 1 and 2.
    """
    check_hypotheses(p0, p1, alpha, beta)
    if kind not in SIMON_KINDS:
        raise InvalidInput("kind", f"not recognised; expected {', '.join(SIMON_KINDS)}", kind)
    if n_max is None:
        n_max = math.ceil(1.5 * ahern(p0, p1, alpha, beta).n) + 10
    elif isinstance(n_max, bool) or not isinstance(n_max, int) or not 2 <= n_max <= MAX_SEARCH_N:
        raise InvalidInput("n_max", f"must be a whole number from 2 to {MAX_SEARCH_N}", n_max)
    tails0 = _tail_table(n_max, p0)
    tails1 = _tail_table(n_max, p1)
    best: tuple[float, int, int, int, int] | None = None
    for n in range(2, n_max + 1):
        found = _best_at_n(n, p0, p1, alpha, beta, tails0, tails1, n_max)
        if found is None:
            continue
        en0, n1, r1, r = found
        if best is None or en0 < best[0]:
            best = (en0, n1, r1, r, n)
        if kind == "minimax":
            break
    if best is None:
        raise InvalidInput("n_max", "leaves no feasible two-stage design; raise it", n_max)
    en0, n1, r1, r, n = best
    return SimonDesign(
        p0=p0,
        p1=p1,
        alpha=alpha,
        beta=beta,
        kind="optimal" if kind == "optimal" else "minimax",
        r1=r1,
        n1=n1,
        r=r,
        n=n,
        en0=en0,
        pet0=float(stats.binom.cdf(r1, n1, p0)),
        alpha_actual=_two_stage_rejection(r1, n1, r, n, p0),
        power_actual=_two_stage_rejection(r1, n1, r, n, p1),
        n_max=n_max,
    )
