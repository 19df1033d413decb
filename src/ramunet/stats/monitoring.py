"""Live monitoring of a single-stage exact design: curtailment and predictive probability.

With ``n`` patients and H0 rejected iff at least ``r`` succeed, the final decision is certain
as soon as ``r`` successes are in (H0 will be rejected) or ``n - r + 1`` failures are in (it
cannot be). RamuNET: n = 45, r = 33, so 33 successes or 13 failures decide.

References
----------
.. [1] A'Hern RP. Sample size tables for exact single-stage phase II designs.
   Stat Med 2001;20:859-866.
.. [2] Lachin JM. A review of methods for futility stopping based on conditional power.
   Stat Med 2005;24:2747-2764 (deterministic curtailment).
.. [3] Lee JJ, Liu DD. A predictive probability design for phase II cancer clinical trials.
   Clin Trials 2008;5:93-106 (beta-binomial predictive probability).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from scipy import stats

from ramunet.clinical.errors import InvalidInput
from ramunet.stats.binomial import check_count

Decision = Literal["reject H0", "do not reject H0", "open"]

#: RamuNET: 45 patients, H0 rejected with at least 33 successes (PROTOCOL-NOTES "Design figures").
RAMUNET_N = 45
RAMUNET_R = 33


def check_design_size(n: int, r: int) -> tuple[int, int]:
    """Validate ``n >= 1`` patients and a boundary ``1 <= r <= n``."""
    n = check_count("n", n, minimum=1)
    r = check_count("r", r, minimum=1)
    if r > n:
        raise InvalidInput("r", f"must not exceed n = {n}", r)
    return n, r


def check_progress(successes: int, failures: int, n: int) -> tuple[int, int]:
    """Validate non-negative counts whose sum does not exceed ``n``."""
    successes = check_count("successes", successes)
    failures = check_count("failures", failures)
    if successes + failures > n:
        raise InvalidInput("successes + failures", f"must not exceed n = {n}", successes + failures)
    return successes, failures


def check_prior(field: str, value: float) -> float:
    """Validate a beta prior parameter: a finite number above 0."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(field, "must be a number above 0", value)
    if not (math.isfinite(value) and value > 0):
        raise InvalidInput(field, "must be a finite number above 0", value)
    return float(value)


def futility_failures(n: int, r: int) -> int:
    """Failures that make rejection impossible: ``n - r + 1`` (RamuNET: 13)."""
    n, r = check_design_size(n, r)
    return n - r + 1


def curtailed_decision(successes: int, failures: int, n: int, r: int) -> Decision:
    """The decision if it is already certain, else ``"open"`` (deterministic curtailment).

    ``"reject H0"`` once ``successes >= r``; ``"do not reject H0"`` once
    ``failures >= n - r + 1``; ``"open"`` otherwise.
    """
    n, r = check_design_size(n, r)
    successes, failures = check_progress(successes, failures, n)
    if successes >= r:
        return "reject H0"
    if failures >= n - r + 1:
        return "do not reject H0"
    return "open"


def predictive_probability(
    successes: int,
    failures: int,
    n: int = RAMUNET_N,
    r: int = RAMUNET_R,
    prior_a: float = 1.0,
    prior_b: float = 1.0,
) -> float:
    """Bayesian predictive probability of ending with at least ``r`` successes of ``n``.

    With a Beta(a, b) prior the posterior after s successes and f failures is
    Beta(a + s, b + f); the successes among the m = n - s - f patients still to come are
    beta-binomial(m, a + s, b + f), and the predictive probability is
    P(S_future >= r - s) (Lee & Liu 2008). It is 1 or 0 once the decision is
    certain.

    Raises
    ------
    InvalidInput
        Negative counts, ``successes + failures > n``, ``r`` outside 1..n, or a prior
        parameter that is not above 0.
    """
    n, r = check_design_size(n, r)
    successes, failures = check_progress(successes, failures, n)
    a = check_prior("prior_a", prior_a) + successes
    b = check_prior("prior_b", prior_b) + failures
    needed = r - successes
    remaining = n - successes - failures
    if needed <= 0:
        return 1.0
    if needed > remaining:
        return 0.0
    return float(stats.betabinom.sf(needed - 1, remaining, a, b))


@dataclass(frozen=True)
class InterimStatus:
    """Where a single-stage trial stands after some patients' outcomes are known.

    Attributes
    ----------
    successes, failures, n, r, prior_a, prior_b
        The inputs.
    decision
        ``"reject H0"`` / ``"do not reject H0"`` when certain, else ``"open"``.
    successes_needed
        Further successes needed to reject H0 (0 once reached).
    failures_to_futility
        Further failures that make rejection impossible (0 once reached).
    remaining
        Patients whose outcome is still to come: ``n - successes - failures``.
    predictive_probability
        Bayesian predictive probability of ending with at least ``r`` successes.
    """

    successes: int
    failures: int
    n: int
    r: int
    prior_a: float
    prior_b: float
    decision: Decision
    successes_needed: int
    failures_to_futility: int
    remaining: int
    predictive_probability: float

    @property
    def decided(self) -> bool:
        """Whether the final decision is already certain."""
        return self.decision != "open"


def interim_status(
    successes: int,
    failures: int,
    n: int = RAMUNET_N,
    r: int = RAMUNET_R,
    prior_a: float = 1.0,
    prior_b: float = 1.0,
) -> InterimStatus:
    """Curtailment decision and predictive probability for the outcomes known so far.

    Parameters
    ----------
    successes, failures
        Patients with a known primary endpoint outcome so far.
    n, r
        The design: RamuNET n = 45, r = 33 (A'Hern 2001; PROTOCOL-NOTES "Design figures").
    prior_a, prior_b
        Beta prior for the success rate; default Beta(1, 1) (uniform).
    """
    n, r = check_design_size(n, r)
    successes, failures = check_progress(successes, failures, n)
    return InterimStatus(
        successes=successes,
        failures=failures,
        n=n,
        r=r,
        prior_a=prior_a,
        prior_b=prior_b,
        decision=curtailed_decision(successes, failures, n, r),
        successes_needed=max(0, r - successes),
        failures_to_futility=max(0, n - r + 1 - failures),
        remaining=n - successes - failures,
        predictive_probability=predictive_probability(successes, failures, n, r, prior_a, prior_b),
    )
