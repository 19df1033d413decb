"""Log-rank test of equal survival in k groups, equal to R's ``survival::survdiff`` (rho = 0).

References
----------
.. [1] Mantel N. Evaluation of survival data and two new rank order statistics arising in
   its consideration. Cancer Chemother Rep 1966;50:163-170.
.. [2] Peto R, Peto J. Asymptotically efficient rank invariant test procedures.
   J R Stat Soc A 1972;135:185-207.
.. [3] Therneau TM. A Package for Survival Analysis in R, version 3.5 (``survdiff``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

from ramunet.clinical.errors import InvalidInput
from ramunet.stats.survival_data import (
    FloatArray,
    IntArray,
    check_groups,
    check_survival_data,
)


@dataclass(frozen=True, eq=False)
class LogRankResult:
    """The log-rank test: observed and expected events per group and the chi-square test.

    Attributes
    ----------
    groups
        Group labels in sorted order (R's factor levels).
    n
        Subjects per group.
    observed, expected
        Observed events and events expected under equal hazards, per group.
    variance
        The k x k hypergeometric variance-covariance matrix of observed - expected.
    chisq, df, p_value
        The test statistic, its degrees of freedom (groups with expected > 0, minus one) and
        the upper-tail chi-square probability.
    """

    groups: tuple[str, ...]
    n: IntArray
    observed: IntArray
    expected: FloatArray
    variance: FloatArray
    chisq: float
    df: int
    p_value: float


def logrank(
    times: Sequence[float] | FloatArray,
    events: Sequence[int] | IntArray,
    groups: Sequence[str] | Sequence[int],
) -> LogRankResult:
    """Log-rank (Mantel-Haenszel) test comparing survival between groups.

    Parameters
    ----------
    times, events
        Follow-up times (>= 0) and event indicators (1 event, 0 censored), one per subject.
    groups
        The group of each subject (two or more distinct labels).

    Returns
    -------
    LogRankResult
        Equal to R's ``survdiff(Surv(time, status) ~ group)`` [3]_ to 1e-6.

    Raises
    ------
    InvalidInput
        Invalid times/events (see ``kaplan_meier``), a groups length mismatch, fewer than two
        groups, or data without any event.

    Notes
    -----
    At each event time t_j with n_j at risk and d_j events, group g expects
    d_j n_gj / n_j events, with variance d_j (n_j - d_j)/(n_j - 1) (n_gj/n_j)(delta_gh -
    n_hj/n_j) [1]_ [2]_. The statistic is (O - E)' V^-1 (O - E) over the groups with E > 0
    less one, as ``survdiff`` computes it.
    """
    data = check_survival_data(times, events)
    labels, codes = check_groups(groups, data.n_subjects, minimum=2, maximum=None)
    if not data.events.any():
        raise InvalidInput("events", "has no event; the log-rank test needs at least one")
    k = len(labels)
    event_times, index = np.unique(data.times[data.events == 1], return_inverse=True)
    # subjects of each group at risk at each event time: time >= t_j
    at_risk = np.empty((k, event_times.size))
    deaths = np.zeros((k, event_times.size))
    for code in range(k):
        in_group = codes == code
        sorted_times = np.sort(data.times[in_group])
        at_risk[code] = sorted_times.size - np.searchsorted(sorted_times, event_times, "left")
        group_events = in_group[data.events == 1]
        deaths[code] = np.bincount(index[group_events], minlength=event_times.size)
    n_total = at_risk.sum(axis=0)
    d_total = deaths.sum(axis=0)
    share = at_risk / n_total
    expected = (share * d_total).sum(axis=1)
    spread = np.divide(
        d_total * (n_total - d_total),
        n_total - 1,
        out=np.zeros_like(n_total),
        where=n_total > 1,
    )
    variance = np.diag((share * spread).sum(axis=1)) - (share * spread) @ share.T
    observed = deaths.sum(axis=1)
    used = np.flatnonzero(expected > 0)
    df = used.size - 1
    difference = (observed - expected)[used][1:]
    sub_variance = variance[np.ix_(used, used)][1:, 1:]
    chisq = float(difference @ np.linalg.solve(sub_variance, difference)) if df > 0 else 0.0
    p_value = float(stats.chi2.sf(chisq, df)) if df > 0 else 1.0
    return LogRankResult(
        groups=labels,
        n=np.bincount(codes, minlength=k).astype(np.int64),
        observed=observed.astype(np.int64),
        expected=expected,
        variance=variance,
        chisq=chisq,
        df=int(df),
        p_value=p_value,
    )
