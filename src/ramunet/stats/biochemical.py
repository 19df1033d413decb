"""Chromogranin A (CgA) biochemical response rates, compared in exact decimal arithmetic.

There is no universal CgA response standard; the thresholds are settings. Defaults follow
clinical-rules.md §5: only patients whose baseline CgA is elevated (> 1 x ULN) are assessed;
a fall of at least 50% from baseline at any on-treatment measurement is a response, a rise
of at least 25% (without response) is progression, anything else is stable; both thresholds
inclusive. An elevated patient without an on-treatment value is "not evaluable" and stays in
the denominator (counted as a non-responder).

References
----------
.. [1] clinical-rules.md §5 (definitions seen in NET trials; defaults >= 50% fall, >= 25% rise).
.. [2] RamuNET protocol (Krug et al., BMC Cancer 2021;21:1159): secondary endpoint
   biochemical response, chromogranin A change from baseline (PROTOCOL-NOTES.md, Endpoints).
.. [3] Clopper CJ, Pearson ES. Biometrika 1934;26:404-413 (exact intervals).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from ramunet.clinical.errors import InvalidInput
from ramunet.clinical.units import Number, to_decimal
from ramunet.stats.binomial import ProportionInterval, check_level, clopper_pearson

CgaCategory = Literal["response", "stable", "progression", "not evaluable", "not elevated"]
CgaSeries = tuple[str, Number, Number, Sequence[Number]]
"""One patient: (patient, baseline CgA, upper limit of normal, on-treatment CgA values), all
in one unit (the same laboratory and assay over time)."""


@dataclass(frozen=True)
class CgaSettings:
    """Thresholds of the biochemical response rule (SAP settings) [1]_.

    Attributes
    ----------
    baseline_uln_multiple
        Baseline must exceed this multiple of the ULN to be assessed (default 1).
    response_fall_percent
        A fall of at least this percent from baseline is a response (default 50).
    progression_rise_percent
        A rise of at least this percent from baseline is progression (default 25).
    """

    baseline_uln_multiple: Decimal = Decimal("1")
    response_fall_percent: Decimal = Decimal("50")
    progression_rise_percent: Decimal = Decimal("25")


@dataclass(frozen=True)
class CgaPatient:
    """One patient's best biochemical response and the values it came from."""

    patient: str
    baseline: Decimal
    uln: Decimal
    values: tuple[Decimal, ...]
    category: CgaCategory


@dataclass(frozen=True)
class CgaResponseSummary:
    """CgA response and progression rates over the patients with elevated baseline.

    Attributes
    ----------
    patients
        Each patient's category, in input order.
    response, progression
        Clopper-Pearson intervals of responders and progressors over ``n_elevated``.
    settings
        The thresholds applied.
    """

    patients: tuple[CgaPatient, ...]
    response: ProportionInterval | None
    progression: ProportionInterval | None
    settings: CgaSettings

    def count(self, category: CgaCategory) -> int:
        """Patients in ``category``."""
        return sum(1 for patient in self.patients if patient.category == category)

    @property
    def n_elevated(self) -> int:
        """Patients with elevated baseline CgA: the denominator of both rates."""
        return len(self.patients) - self.count("not elevated")


def classify_cga(
    baseline: Decimal, uln: Decimal, values: Sequence[Decimal], settings: CgaSettings
) -> CgaCategory:
    """Best biochemical response of one patient, compared exactly in decimal [1]_.

    Response when some value <= baseline x (100 - fall%)/100; else progression when some
    value >= baseline x (100 + rise%)/100; else stable.
    """
    if not baseline > uln * settings.baseline_uln_multiple:
        return "not elevated"
    if not values:
        return "not evaluable"
    hundred = Decimal(100)
    if any(v * hundred <= baseline * (hundred - settings.response_fall_percent) for v in values):
        return "response"
    if any(v * hundred >= baseline * (hundred + settings.progression_rise_percent) for v in values):
        return "progression"
    return "stable"


def _positive(value: Number, field: str, allow_zero: bool) -> Decimal:
    number = to_decimal(value, field)
    if number < 0 or (number == 0 and not allow_zero):
        raise InvalidInput(field, "must be >= 0" if allow_zero else "must be > 0", value)
    return number


def cga_response_rates(
    series: Iterable[CgaSeries], settings: CgaSettings | None = None, level: float = 0.95
) -> CgaResponseSummary:
    """CgA response and progression rates with exact intervals [2]_ [3]_.

    Parameters
    ----------
    series
        Per patient: (patient, baseline, ULN, on-treatment values), in one unit.
    settings
        The thresholds; ``CgaSettings()`` (clinical-rules.md §5 defaults) when omitted.
    level
        Two-sided confidence level of both intervals.

    Returns
    -------
    CgaResponseSummary
        The rates are ``None`` when no patient has an elevated baseline.

    Raises
    ------
    InvalidInput
        Naming ``series[i]`` and the part (``.baseline``, ``.uln``, ``.values[j]``) for a
        malformed entry, a non-number, a negative value or a ULN of 0.
    """
    rule = settings or CgaSettings()
    confidence = check_level(level)
    patients: list[CgaPatient] = []
    for index, entry in enumerate(series):
        field = f"series[{index}]"
        if not isinstance(entry, tuple) or len(entry) != 4:
            raise InvalidInput(field, "must be a (patient, baseline, uln, values) tuple", entry)
        patient, baseline, uln, values = entry
        base = _positive(baseline, f"{field}.baseline", allow_zero=True)
        limit = _positive(uln, f"{field}.uln", allow_zero=False)
        after = tuple(
            _positive(value, f"{field}.values[{j}]", allow_zero=True)
            for j, value in enumerate(values)
        )
        category = classify_cga(base, limit, after, rule)
        patients.append(CgaPatient(patient, base, limit, after, category))
    summary = CgaResponseSummary(tuple(patients), None, None, rule)
    n = summary.n_elevated
    if n == 0:
        return summary
    return CgaResponseSummary(
        patients=summary.patients,
        response=clopper_pearson(summary.count("response"), n, confidence),
        progression=clopper_pearson(summary.count("progression"), n, confidence),
        settings=rule,
    )
