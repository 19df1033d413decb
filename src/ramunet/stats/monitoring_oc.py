"""Operating characteristics of a curtailed single-stage design: exact and simulated.

The trial stops as soon as its decision is certain: at the ``r``-th success (H0 rejected) or
at the ``(n - r + 1)``-th failure (H0 not rejected). The number of patients at stopping is a
stopping time of negative-binomial form, so its distribution is exact:

- P(stop at patient t with rejection) = C(t - 1, r - 1) p^r (1 - p)^(t - r), t = r..n;
- P(stop at patient t without rejection) = C(t - 1, F - 1) (1 - p)^F p^(t - F), F = n - r + 1,
  t = F..n.

Curtailment does not change the decision, so the rejection probability is P(X >= r) with
X ~ Binomial(n, p), as without curtailment.

References
----------
.. [1] A'Hern RP. Sample size tables for exact single-stage phase II designs.
   Stat Med 2001;20:859-866.
.. [2] Lachin JM. A review of methods for futility stopping based on conditional power.
   Stat Med 2005;24:2747-2764 (deterministic curtailment).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import stats

from ramunet.stats.binomial import check_count
from ramunet.stats.design import AhernDesign, ahern, check_probability
from ramunet.stats.monitoring import RAMUNET_N, RAMUNET_R, check_design_size, check_progress

#: Cells (trials x patients) simulated per block, to bound memory.
_SIMULATION_CELLS = 12_000_000


@dataclass(frozen=True)
class CurtailedOC:
    """Exact operating characteristics of the curtailed design for one true rate ``p``.

    Attributes
    ----------
    p, n, r, successes, failures
        The true rate, the design and the outcomes already known (0, 0 at the start).
    rejection_probability
        P(H0 rejected | p, outcomes so far).
    expected_n
        Expected number of patients with an outcome when the trial stops (the known ones
        included).
    stopping_probabilities
        ``stopping_probabilities[t]`` = P(the trial stops with t patients), t = 0..n.
    """

    p: float
    n: int
    r: int
    successes: int
    failures: int
    rejection_probability: float
    expected_n: float
    stopping_probabilities: tuple[float, ...]

    @property
    def expected_saving(self) -> float:
        """Patients saved on average by curtailment: ``n - expected_n``."""
        return self.n - self.expected_n

    def early_stop_probability(self) -> float:
        """P(the trial stops before all ``n`` patients have an outcome)."""
        return float(sum(self.stopping_probabilities[: self.n]))


def curtailed_operating_characteristics(
    p: float,
    n: int = RAMUNET_N,
    r: int = RAMUNET_R,
    successes: int = 0,
    failures: int = 0,
) -> CurtailedOC:
    """Exact rejection probability and expected sample size under curtailment.

    From the current state (``successes``, ``failures``), ``a = r - successes`` more successes
    reject H0 and ``b = n - r + 1 - failures`` more failures end the trial without rejection;
    the extra patients until one of the two happens follow the negative-binomial laws in the
    module docstring.

    Parameters
    ----------
    p
        True success rate, in (0, 1).
    n, r
        The design (RamuNET: 45, 33).
    successes, failures
        Outcomes already known.

    Raises
    ------
    InvalidInput
        ``p`` outside (0, 1), ``r`` outside 1..n, negative counts or counts above ``n``.
    """
    p = check_probability("p", p)
    n, r = check_design_size(n, r)
    successes, failures = check_progress(successes, failures, n)
    known = successes + failures
    stop = np.zeros(n + 1)
    need_successes = r - successes
    need_failures = n - r + 1 - failures
    if need_successes <= 0 or need_failures <= 0:
        stop[known] = 1.0
        rejection = 1.0 if need_successes <= 0 else 0.0
    else:
        extra = np.arange(0, n - known + 1)
        # the a-th success at extra patient t: t - a failures before it (negative binomial)
        by_success = stats.nbinom.pmf(extra - need_successes, need_successes, p)
        by_failure = stats.nbinom.pmf(extra - need_failures, need_failures, 1.0 - p)
        stop[known:] = by_success + by_failure
        rejection = float(by_success.sum())
    expected = float(np.dot(np.arange(n + 1), stop))
    return CurtailedOC(
        p=p,
        n=n,
        r=r,
        successes=successes,
        failures=failures,
        rejection_probability=rejection,
        expected_n=expected,
        stopping_probabilities=tuple(float(v) for v in stop),
    )


@dataclass(frozen=True)
class SimulatedOC:
    """Monte Carlo estimates of the curtailed design's operating characteristics.

    Attributes
    ----------
    p, n, r, successes, failures
        As in ``CurtailedOC``.
    n_trials, seed
        Simulated trials and the seed of ``numpy.random.default_rng``.
    rejection_probability, rejection_se
        Proportion of simulated trials rejecting H0 and its Monte Carlo standard error.
    expected_n, expected_n_se
        Mean number of patients at stopping and its Monte Carlo standard error.
    """

    p: float
    n: int
    r: int
    successes: int
    failures: int
    n_trials: int
    seed: int
    rejection_probability: float
    rejection_se: float
    expected_n: float
    expected_n_se: float

    def agrees_with(self, exact: CurtailedOC, z: float = 4.0) -> bool:
        """Whether both estimates lie within ``z`` Monte Carlo SEs of the exact figures.

        A zero SE (a certain outcome) requires exact equality.
        """
        return _within(
            self.rejection_probability, exact.rejection_probability, self.rejection_se, z
        ) and _within(self.expected_n, exact.expected_n, self.expected_n_se, z)


def _within(estimate: float, exact: float, se: float, z: float) -> bool:
    return abs(estimate - exact) <= z * se + 1e-12


def _simulate_block(
    rng: np.random.Generator, rows: int, p: float, need_successes: int, need_failures: int
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.int64]]:
    """Simulate ``rows`` curtailed trials: (rejected, extra patients at stopping)."""
    width = need_successes + need_failures - 1  # at most this many further outcomes
    outcomes = rng.random((rows, width)) < p
    counts = np.int16 if width < np.iinfo(np.int16).max else np.int64
    cum_successes: npt.NDArray[np.signedinteger[Any]] = np.cumsum(outcomes, axis=1, dtype=counts)
    patients: npt.NDArray[np.signedinteger[Any]] = np.arange(1, width + 1, dtype=counts)
    cum_failures = patients[None, :] - cum_successes
    decided = (cum_successes >= need_successes) | (cum_failures >= need_failures)
    first = np.argmax(decided, axis=1)  # the last column is always decided
    rejected = cum_successes[np.arange(rows), first] >= need_successes
    return rejected, first.astype(np.int64) + 1


def simulate_curtailed_trials(
    p: float,
    n: int = RAMUNET_N,
    r: int = RAMUNET_R,
    n_trials: int = 100_000,
    seed: int = 20190601,
    successes: int = 0,
    failures: int = 0,
) -> SimulatedOC:
    """Vectorised Monte Carlo of the curtailed design (numpy, seeded ``Generator``).

    Each simulated trial draws Bernoulli(``p``) outcomes one patient at a time and stops as
    soon as the decision is certain; blocks of trials are simulated as boolean matrices.
    The estimates should agree with ``curtailed_operating_characteristics`` within a few
    Monte Carlo standard errors.

    Raises
    ------
    InvalidInput
        As ``curtailed_operating_characteristics``, or ``n_trials`` below 1.
    """
    p = check_probability("p", p)
    n, r = check_design_size(n, r)
    successes, failures = check_progress(successes, failures, n)
    n_trials = check_count("n_trials", n_trials, minimum=1)
    seed = check_count("seed", seed)
    known = successes + failures
    need_successes = r - successes
    need_failures = n - r + 1 - failures
    if need_successes <= 0 or need_failures <= 0:
        certain = 1.0 if need_successes <= 0 else 0.0
        return SimulatedOC(p, n, r, successes, failures, n_trials, seed, certain, 0.0, known, 0.0)
    rng = np.random.default_rng(seed)
    rejections = 0
    total = 0.0
    total_sq = 0.0
    done = 0
    block = max(1, _SIMULATION_CELLS // (need_successes + need_failures - 1))
    while done < n_trials:
        rows = min(block, n_trials - done)
        rejected, extra = _simulate_block(rng, rows, p, need_successes, need_failures)
        rejections += int(rejected.sum())
        sizes = (extra + known).astype(np.float64)
        total += float(sizes.sum())
        total_sq += float(np.dot(sizes, sizes))
        done += rows
    rate = rejections / n_trials
    mean = total / n_trials
    variance = max(0.0, total_sq / n_trials - mean * mean) * n_trials / max(1, n_trials - 1)
    return SimulatedOC(
        p=p,
        n=n,
        r=r,
        successes=successes,
        failures=failures,
        n_trials=n_trials,
        seed=seed,
        rejection_probability=rate,
        rejection_se=math.sqrt(rate * (1.0 - rate) / n_trials),
        expected_n=mean,
        expected_n_se=math.sqrt(variance / n_trials),
    )


@dataclass(frozen=True)
class CurtailmentPlan:
    """A single-stage design with its curtailed operating characteristics under p0 and p1.

    Attributes
    ----------
    design
        The A'Hern design.
    under_p0, under_p1
        Exact curtailed operating characteristics at the two hypothesised rates.
    futility_failures
        Failures that end the trial without rejection: ``n - r + 1``.
    """

    design: AhernDesign
    under_p0: CurtailedOC
    under_p1: CurtailedOC
    futility_failures: int

    def at(self, p: float) -> CurtailedOC:
        """Exact curtailed operating characteristics at any true rate ``p``."""
        return curtailed_operating_characteristics(p, self.design.n, self.design.r)


def curtailment_plan(
    p0: float = 0.60, p1: float = 0.80, alpha: float = 0.05, beta: float = 0.10
) -> CurtailmentPlan:
    """The A'Hern design for (p0, p1, alpha, beta) with curtailed operating characteristics.

    Defaults are RamuNET's: H0 p <= 0.60, H1 p >= 0.80, alpha 0.05, beta 0.10 (n = 45,
    r = 33, 13 failures end the trial).

    Raises
    ------
    InvalidInput
        ``p0 >= p1`` or any argument outside (0, 1), naming the argument.
    """
    design = ahern(p0, p1, alpha, beta)
    return CurtailmentPlan(
        design=design,
        under_p0=curtailed_operating_characteristics(p0, design.n, design.r),
        under_p1=curtailed_operating_characteristics(p1, design.n, design.r),
        futility_failures=design.n - design.r + 1,
    )
