"""Recruitment projection from the actual registration dates: a Bayesian Poisson accrual model.

Patients arrive as a Poisson process with rate lambda per day. With a Gamma(a0, b0) prior on
lambda (shape, rate) and k arrivals seen over T days, the posterior is Gamma(a0 + k, b0 + T)
(Gajewski, Simon & Carlson 2008). The days W from the cut-off until m more patients arrive is
Gamma(m, lambda) given lambda; over the posterior, W / (b0 + T) follows a beta-prime
distribution with shapes (m, a0 + k), so its quantiles are exact (no simulation). The prior
follows Gajewski et al.: shape = P x target, rate = P x planned days, with the certainty
weight P (default 0: the data alone).

The RamuNET protocol gives three inconsistent recruitment plans (12 months, 24 months,
5 patients per centre per year), so the projection uses the observed dates
(PROTOCOL-NOTES.md, Design figures).

References
----------
.. [1] Gajewski BJ, Simon SD, Carlson SE. Predicting accrual in clinical trials with Bayesian
   posterior predictive distributions. Stat Med 2008;27:2328-2340.
.. [2] Anisimov VV, Fedorov VV. Modelling, prediction and adaptive adjustment of recruitment
   in multicentre trials. Stat Med 2007;26:4958-4975 (Poisson-gamma accrual).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

from ramunet.clinical.errors import InvalidInput
from ramunet.stats.binomial import check_level

#: Days per month for rates shown per month (365.25 / 12).
DAYS_PER_MONTH = 30.4375
#: The RamuNET sample size (A'Hern design, PROTOCOL-NOTES.md).
RAMUNET_TARGET = 45

Registration = tuple[str, dt.date]
"""One registered patient: (centre, registration date)."""


@dataclass(frozen=True)
class CentreAccrual:
    """One centre's observed accrual.

    ``rate_per_month`` is its patients over the trial's observed period (origin to cut-off),
    in patients per month of 30.4375 days.
    """

    centre: str
    n: int
    first: dt.date
    last: dt.date
    rate_per_month: float
    cumulative: tuple[tuple[dt.date, int], ...]


@dataclass(frozen=True)
class ProjectedArrival:
    """When the ``n``-th patient is expected: posterior predictive median and interval."""

    n: int
    median: dt.date
    lower: dt.date
    upper: dt.date


@dataclass(frozen=True)
class RecruitmentProjection:
    """Observed accrual and the projected date of the target patient.

    Attributes
    ----------
    registrations
        The input, sorted by date.
    origin, as_of
        Start of the observed period and the cut-off date.
    target, level
        The target number of patients and the interval level.
    arrivals, exposure_days
        Arrivals counted in the observed period and its length in days.
    posterior_shape, posterior_rate
        Gamma posterior of the accrual rate per day (shape, rate).
    cumulative
        The observed cumulative curve: (date, patients registered up to that date).
    centres
        Per-centre accrual, by centre name.
    projected
        For each future patient up to the target: median and interval of its date; empty if
        the target is reached.
    reached_on
        The registration date of the target-th patient, if reached.
    """

    registrations: tuple[Registration, ...]
    origin: dt.date
    as_of: dt.date
    target: int
    level: float
    arrivals: int
    exposure_days: int
    posterior_shape: float
    posterior_rate: float
    cumulative: tuple[tuple[dt.date, int], ...]
    centres: tuple[CentreAccrual, ...]
    projected: tuple[ProjectedArrival, ...]
    reached_on: dt.date | None

    @property
    def n_registered(self) -> int:
        """Patients registered up to the cut-off."""
        return len(self.registrations)

    @property
    def rate_per_month(self) -> float:
        """Posterior mean accrual rate, patients per month."""
        return self.posterior_shape / self.posterior_rate * DAYS_PER_MONTH

    @property
    def target_date(self) -> ProjectedArrival | None:
        """Median and interval of the target patient's date (``None`` if reached)."""
        return self.projected[-1] if self.projected else None

    def mean_days_to_target(self) -> float:
        """Posterior predictive mean of the days from the cut-off to the target patient.

        b m / (a - 1) for a > 1, infinite otherwise; 0 when the target is reached.
        """
        remaining = self.target - self.n_registered
        if remaining <= 0:
            return 0.0
        if self.posterior_shape <= 1:
            return math.inf
        return self.posterior_rate * remaining / (self.posterior_shape - 1)


def _check_registrations(registrations: Sequence[Registration]) -> list[Registration]:
    if len(registrations) == 0:
        raise InvalidInput("registrations", "must hold at least one registered patient")
    checked: list[Registration] = []
    for index, entry in enumerate(registrations):
        field = f"registrations[{index}]"
        if not isinstance(entry, tuple) or len(entry) != 2:
            raise InvalidInput(field, "must be a (centre, date) pair", entry)
        centre, day = entry
        if not isinstance(centre, str) or not centre.strip():
            raise InvalidInput(f"{field}.centre", "must name the centre", centre)
        if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
            raise InvalidInput(f"{field}.date", "must be a date (datetime.date)", day)
        checked.append((centre, day))
    return sorted(checked, key=lambda item: item[1])


def _cumulative(days: Sequence[dt.date]) -> tuple[tuple[dt.date, int], ...]:
    per_day = Counter(days)
    total = 0
    points = []
    for day in sorted(per_day):
        total += per_day[day]
        points.append((day, total))
    return tuple(points)


def _plus_days(day: dt.date, days: float) -> dt.date:
    return day + dt.timedelta(days=math.floor(days + 0.5))  # nearest day, halves up


def project_recruitment(
    registrations: Sequence[Registration],
    target: int = RAMUNET_TARGET,
    as_of: dt.date | None = None,
    start: dt.date | None = None,
    level: float = 0.95,
    prior_weight: float = 0.0,
    planned_days: float | None = None,
) -> RecruitmentProjection:
    """Project the date of the ``target``-th patient from the registrations so far [1]_ [2]_.

    Parameters
    ----------
    registrations
        (centre, date) of every registered patient.
    target
        The number of patients to reach (45 in RamuNET).
    as_of
        The data cut-off (the end of the observed period); the last registration by default.
    start
        The date the trial opened. When omitted, the first registration is the origin and
        only the later registrations count as arrivals.
    level
        Level of the predictive intervals.
    prior_weight, planned_days
        Gajewski's certainty weight P >= 0 and the planned accrual period in days for
        ``target`` patients; the prior is Gamma(P x target, P x planned_days). P = 0 (default)
        uses the data alone; P > 0 needs ``planned_days``.

    Raises
    ------
    InvalidInput
        No registrations, a malformed entry, a datetime instead of a date, ``as_of`` before
        the last registration, ``start`` after the first, a target < 1, a bad prior, or an
        observed period that leaves the rate undefined (no arrival or zero days, no prior).

    Notes
    -----
    Dates are rounded to whole days from the fractional predictive quantiles.
    """
    ordered = _check_registrations(registrations)
    confidence = check_level(level)
    if isinstance(target, bool) or not isinstance(target, int) or target < 1:
        raise InvalidInput("target", "must be a whole number of patients >= 1", target)
    first, last = ordered[0][1], ordered[-1][1]
    cut_off = last if as_of is None else as_of
    if cut_off < last:
        raise InvalidInput("as_of", f"must not precede the last registration {last}", cut_off)
    if start is not None and start > first:
        raise InvalidInput("start", f"must not follow the first registration {first}", start)
    if isinstance(prior_weight, bool) or not prior_weight >= 0:
        raise InvalidInput("prior_weight", "must be a number >= 0", prior_weight)
    if prior_weight > 0 and (planned_days is None or not planned_days > 0):
        raise InvalidInput("planned_days", "must be > 0 when prior_weight > 0", planned_days)
    origin = first if start is None else start
    arrivals = len(ordered) - (1 if start is None else 0)
    exposure = (cut_off - origin).days
    shape = prior_weight * target + arrivals
    rate = prior_weight * (planned_days or 0.0) + exposure
    if not (shape > 0 and rate > 0):
        raise InvalidInput(
            "registrations",
            f"give {arrivals} arrivals over {exposure} days; the accrual rate needs at least "
            "one arrival over a positive period (or a prior)",
        )
    days = [day for _centre, day in ordered]
    months = exposure / DAYS_PER_MONTH
    centres = []
    for centre in sorted({name for name, _day in ordered}):
        own = [day for name, day in ordered if name == centre]
        centres.append(
            CentreAccrual(
                centre=centre,
                n=len(own),
                first=own[0],
                last=own[-1],
                rate_per_month=len(own) / months if months > 0 else math.nan,
                cumulative=_cumulative(own),
            )
        )
    remaining = np.arange(1, max(target - len(ordered), 0) + 1)
    tail = (1 - confidence) / 2
    projected = tuple(
        ProjectedArrival(
            n=len(ordered) + int(m),
            median=_plus_days(cut_off, rate * median),
            lower=_plus_days(cut_off, rate * low),
            upper=_plus_days(cut_off, rate * high),
        )
        for m, low, median, high in zip(
            remaining,
            stats.betaprime.ppf(tail, remaining, shape),
            stats.betaprime.ppf(0.5, remaining, shape),
            stats.betaprime.ppf(1 - tail, remaining, shape),
            strict=True,
        )
    )
    return RecruitmentProjection(
        registrations=tuple(ordered),
        origin=origin,
        as_of=cut_off,
        target=target,
        level=confidence,
        arrivals=arrivals,
        exposure_days=exposure,
        posterior_shape=float(shape),
        posterior_rate=float(rate),
        cumulative=_cumulative(days),
        centres=tuple(centres),
        projected=projected,
        reached_on=days[target - 1] if len(days) >= target else None,
    )
