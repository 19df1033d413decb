"""Grade many lab values at once (numpy), agreeing exactly with the scalar ``grade``.

How boundaries stay exact
-------------------------
The scalar ``grade`` reads a float as its shortest decimal (``repr``: ``0.1`` is 0.1) and compares
in ``Decimal``. ``grade_many`` reproduces that without ``Decimal`` in the loop:

1. **Exact integer path** (any realistic lab data). Find the smallest ``k`` in 0..9 such that every
   value and every per-value limit is a decimal with at most ``k`` places: ``x * 10**k`` rounds
   to an integer ``X`` with ``X / 10**k == x`` exactly (IEEE division is correctly rounded, so
   ``x`` is then the double nearest to that decimal, and ``repr(x)`` is that decimal). All
   comparisons are then done in ``int64``: a cut-off ``c`` becomes ``ceil(c * 10**k)`` or
   ``floor(c * 10**k)`` (computed in ``Decimal``), a multiple ``m = p/q`` of a limit array ``U``
   becomes ``q * X > p * U``. No rounding anywhere.
2. **Float path with a guard band** (values with more than 9 decimals, e.g. computed ratios).
   Comparisons run in float64 against thresholds converted from ``Decimal``; any element within
   1e-9 (relative) of a threshold that is not float-faithful is re-graded with the exact scalar
   ``grade``. A threshold is float-faithful when ``Decimal(repr(float(t))) == t``; for such a
   threshold the float comparison provably equals the decimal one.

The test suite checks agreement with the scalar path on random samples, exact boundaries
included (hypothesis).

References
----------
CTCAE v5.0 (NCI 2017); clinical-rules.md §0.1 (exact arithmetic at boundaries), §2.2.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any, cast

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ramunet.clinical.ctcae_criteria import (
    AboveUln,
    BelowLln,
    BloodPressure,
    LabTerm,
    Protein24h,
    TimesUln,
    lab_term,
)
from ramunet.clinical.ctcae_result import term_unit
from ramunet.clinical.ctcae_scalar import grade
from ramunet.clinical.errors import InvalidInput
from ramunet.clinical.units import analyte, to_decimal

Floats = NDArray[np.float64]
Bools = NDArray[np.bool_]
Operand = Decimal | NDArray[Any]  # a constant threshold, or one limit per value
_MAX_PLACES = 9
_MAX_SCALED = 10**15
_GUARD = 1e-9


class _Exact:
    """Comparisons in int64 at scale 10**places (path 1 of the module docstring)."""

    def __init__(self, places: int) -> None:
        self.scale = 10**places

    def array(self, x: Floats) -> NDArray[np.int64]:
        return np.asarray(np.rint(np.nan_to_num(x) * self.scale), dtype=np.int64)

    def compare(self, x: NDArray[Any], strict: bool, m: Decimal, rhs: Operand) -> Bools:
        """``x > m * rhs`` (strict) or ``x >= m * rhs``, with x and array rhs already scaled."""
        if isinstance(rhs, Decimal):
            bound = m * rhs * self.scale
            if strict:
                return np.asarray(x > int(bound.to_integral_value(ROUND_FLOOR)))
            return np.asarray(x >= int(bound.to_integral_value(ROUND_CEILING)))
        p, q = m.as_integer_ratio()
        return np.asarray(q * x > p * rhs) if strict else np.asarray(q * x >= p * rhs)


class _Float:
    """Comparisons in float64 that record elements too close to call (path 2)."""

    def __init__(self, size: int) -> None:
        self.unsure = np.zeros(size, dtype=bool)

    def array(self, x: Floats) -> Floats:
        return x

    def compare(self, x: NDArray[Any], strict: bool, m: Decimal, rhs: Operand) -> Bools:
        if isinstance(rhs, Decimal):
            exact = m * rhs
            bound: Any = float(exact)
            if Decimal(repr(bound)) != exact:
                self._guard(x, np.full_like(x, bound))
        else:
            bound = float(m) * rhs
            self._guard(x, bound)
        return np.asarray(x > bound) if strict else np.asarray(x >= bound)

    def _guard(self, x: Floats, bound: Floats) -> None:
        with np.errstate(invalid="ignore"):
            near = np.abs(x - bound) <= _GUARD * np.maximum(np.abs(x), np.abs(bound))
        self.unsure |= np.nan_to_num(near, nan=0).astype(bool)


Backend = _Exact | _Float
ONE = Decimal(1)


def _values(values: ArrayLike, name: str = "values") -> Floats:
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise InvalidInput(name, "must be an array of numbers") from None
    bad = ~np.isfinite(array) | (array < 0)
    if bad.any():
        index = int(np.flatnonzero(bad.ravel())[0])
        raise InvalidInput(
            name,
            f"must be finite and >= 0; first offending at index {index}",
            float(array.ravel()[index]),
        )
    return array


def _limit(limit: object, name: str, shape: tuple[int, ...], allow_nan: bool) -> Operand | None:
    """A limit: ``None``, one ``Decimal`` for all values, or a float array of ``shape``."""
    if limit is None:
        return None
    if not isinstance(limit, np.ndarray) and np.ndim(cast(Any, limit)) == 0:
        amount = to_decimal(limit, name)  # type: ignore[arg-type]
        if amount <= 0:
            raise InvalidInput(name, "must be > 0", limit)
        return amount
    try:
        array = np.asarray(limit, dtype=np.float64)
        array = np.broadcast_to(array, shape).ravel()
    except (TypeError, ValueError):
        raise InvalidInput(
            name, f"must be a number or an array of numbers broadcasting to shape {shape}"
        ) from None
    with np.errstate(invalid="ignore"):
        bad = (np.isinf(array) | (array <= 0)) | (np.isnan(array) & (not allow_nan))
    if bad.any():
        index = int(np.flatnonzero(bad)[0])
        rule = "must be > 0 or NaN (missing)" if allow_nan else "must be finite and > 0"
        raise InvalidInput(name, f"{rule}; first offending at index {index}", float(array[index]))
    return array


def _places(arrays: list[Floats]) -> int | None:
    """Smallest k <= 9 at which every finite element is an exact k-place decimal, else None."""
    for places in range(_MAX_PLACES + 1):
        scale = 10**places
        exact = True
        for array in arrays:
            finite = array[np.isfinite(array)]
            scaled = np.rint(finite * scale)
            if np.abs(scaled).max(initial=0) >= _MAX_SCALED or not np.array_equal(
                scaled / scale, finite
            ):
                exact = False
                break
        if exact:
            return places
    return None


def grade_many(
    term: str,
    values: ArrayLike,
    unit: str,
    lln: object = None,
    uln: object = None,
    baseline: object = None,
) -> NDArray[np.int8]:
    """Grade an array of lab values by CTCAE v5.0: the vectorised twin of ``grade``.

    Parameters
    ----------
    term, unit
        As for ``grade`` (the dipstick is not supported here: use ``grade``).
    values
        Lab values in ``unit``, any shape. For Hypertension, readings of shape ``(..., 2)``
        holding (systolic, diastolic) in mmHg.
    lln, uln, baseline
        Each ``None``, one number for every value, or an array broadcasting to the values'
        shape. A ``NaN`` baseline means "no baseline" for that value.

    Returns
    -------
    numpy.ndarray of int8
        Grades 0-4, shaped like ``values`` (without the last axis for Hypertension). Equal,
        element by element, to ``grade(...).grade`` (see the module docstring for how).

    Raises
    ------
    UnknownTerm, UnknownUnit, InvalidInput
        As ``grade``; array errors name the first offending index.
    """
    spec = lab_term(term)
    unit_key = term_unit(spec, unit)
    if unit_key == "dipstick":
        raise InvalidInput("unit", "dipstick readings are graded with grade(), one at a time", unit)
    if isinstance(spec.rule, BloodPressure):
        return _grade_blood_pressure(spec.rule, values)
    array = _values(values)
    shape = array.shape
    flat = array.ravel()
    lln_o = _limit(lln, "lln", shape, allow_nan=False)
    uln_o = _limit(uln, "uln", shape, allow_nan=False)
    baseline_o = _limit(baseline, "baseline", shape, allow_nan=True)
    if spec.needs_lln and lln_o is None:
        raise InvalidInput("lln", f"required to grade {spec.term}")
    if spec.needs_uln and uln_o is None:
        raise InvalidInput("uln", f"required to grade {spec.term}")
    operands = [o for o in (lln_o, uln_o, baseline_o) if isinstance(o, np.ndarray)]
    places = _places([flat, *operands])
    backend: Backend = _Float(flat.size) if places is None else _Exact(places)
    x = backend.array(flat)

    def scaled(operand: Operand | None) -> Operand | None:
        return backend.array(operand) if isinstance(operand, np.ndarray) else operand

    grades = _grade_rule(
        spec, unit_key, backend, x, scaled(lln_o), scaled(uln_o), scaled(baseline_o), baseline_o
    )
    if isinstance(backend, _Float) and backend.unsure.any():
        _regrade_exactly(spec, unit, grades, flat, lln_o, uln_o, baseline_o, backend.unsure)
    return grades.reshape(shape)


def _grade_rule(
    spec: LabTerm,
    unit: str,
    backend: Backend,
    x: NDArray[Any],
    lln: Operand | None,
    uln: Operand | None,
    baseline: Operand | None,
    baseline_raw: Operand | None,
) -> NDArray[np.int8]:
    rule = spec.rule
    gt: Callable[[Decimal, Operand], Bools] = lambda m, rhs: backend.compare(x, True, m, rhs)  # noqa: E731
    ge: Callable[[Decimal, Operand], Bools] = lambda m, rhs: backend.compare(x, False, m, rhs)  # noqa: E731
    grades = np.zeros(x.shape, dtype=np.int8)
    assert spec.analyte is not None
    factor = analyte(spec.analyte).factor(unit)
    if isinstance(rule, BelowLln):
        assert lln is not None
        cuts = rule.cuts(unit)
        if cuts is None:  # canonical cut-offs, expressed exactly in the reporting unit
            canonical = rule.cuts(analyte(spec.analyte).canonical)
            assert canonical is not None
            cuts = tuple((bound / factor, grade_) for bound, grade_ in canonical)
        grades[:] = rule.floor
        for bound, grade_ in reversed(cuts):
            grades[ge(ONE, bound)] = grade_
        grades[ge(ONE, cuts[0][0]) & ge(ONE, lln)] = 0
    elif isinstance(rule, AboveUln):
        assert uln is not None
        grades[gt(ONE, uln)] = 1
        for bound, grade_ in rule.cuts:
            grades[gt(ONE, bound / factor)] = grade_
    elif isinstance(rule, Protein24h):
        assert uln is not None
        grades[ge(ONE, uln)] = 1
        for bound, grade_ in rule.cuts:
            grades[ge(ONE, bound / factor)] = grade_
    else:
        assert isinstance(rule, TimesUln) and uln is not None
        for index, multiple in enumerate(rule.multiples):
            grades[gt(multiple, uln)] = index + 1
        if baseline is not None:
            present = _present(baseline_raw, x.shape)
            _apply_baseline(rule, backend, x, grades, uln, baseline, present, gt, ge)
    return grades


def _present(baseline_raw: Operand | None, shape: tuple[int, ...]) -> Bools:
    if isinstance(baseline_raw, np.ndarray):
        return np.asarray(~np.isnan(baseline_raw))
    return np.ones(shape, dtype=bool)


def _apply_baseline(
    rule: TimesUln,
    backend: Backend,
    x: NDArray[Any],
    grades: NDArray[np.int8],
    uln: Operand,
    baseline: Operand,
    present: Bools,
    gt: Callable[[Decimal, Operand], Bools],
    ge: Callable[[Decimal, Operand], Bools],
) -> None:
    """Abnormal-baseline multiples (liver tests) and x baseline criteria (creatinine), §2.4."""
    abnormal_rule = rule.abnormal_baseline
    if abnormal_rule is not None:
        abnormal = present & _baseline_above_uln(backend, baseline, uln, x.shape)
        first = ge if abnormal_rule.first_inclusive else gt
        by_baseline = np.zeros(x.shape, dtype=np.int8)
        by_baseline[first(abnormal_rule.first, baseline)] = 1
        for index, multiple in enumerate(abnormal_rule.multiples):
            by_baseline[gt(multiple, baseline)] = index + 2
        grades[abnormal] = by_baseline[abnormal]
    if rule.baseline_also:
        by_baseline = np.zeros(x.shape, dtype=np.int8)
        for multiple, grade_ in rule.baseline_also:
            by_baseline[gt(multiple, baseline)] = grade_
        np.maximum(grades, np.where(present, by_baseline, 0), out=grades)


def _baseline_above_uln(
    backend: Backend, baseline: Operand, uln: Operand, shape: tuple[int, ...]
) -> Bools:
    if isinstance(baseline, Decimal) and isinstance(uln, Decimal):
        return np.full(shape, baseline > uln)
    if isinstance(baseline, Decimal):
        assert isinstance(uln, np.ndarray)
        # baseline > uln  <=>  not (uln >= baseline)
        return ~backend.compare(uln, False, ONE, baseline)
    return backend.compare(baseline, True, ONE, uln)


def _regrade_exactly(
    spec: LabTerm,
    unit: str,
    grades: NDArray[np.int8],
    flat: Floats,
    lln: Operand | None,
    uln: Operand | None,
    baseline: Operand | None,
    unsure: Bools,
) -> None:
    def at(operand: Operand | None, index: int) -> Decimal | float | None:
        if isinstance(operand, np.ndarray):
            item = float(operand[index])
            return None if math.isnan(item) else item
        return operand

    for index in np.flatnonzero(unsure):
        i = int(index)
        grades[i] = grade(
            spec.term, float(flat[i]), unit, at(lln, i), at(uln, i), at(baseline, i)
        ).grade


def _grade_blood_pressure(rule: BloodPressure, values: ArrayLike) -> NDArray[np.int8]:
    """Hypertension from readings of shape (..., 2); cut-offs are whole mmHg (float-exact)."""
    readings = _values(values)
    if readings.ndim == 0 or readings.shape[-1] != 2:
        raise InvalidInput(
            "values", f"must have shape (..., 2) of (systolic, diastolic); got {readings.shape}"
        )
    systolic, diastolic = readings[..., 0], readings[..., 1]
    for name, part in (
        ("values[..., 0] (systolic)", systolic),
        ("values[..., 1] (diastolic)", diastolic),
    ):
        zero = part.ravel() <= 0
        if zero.any():
            index = int(np.flatnonzero(zero)[0])
            raise InvalidInput(
                name, f"must be > 0; first offending at index {index}", float(part.ravel()[index])
            )
    swapped = (diastolic > systolic).ravel()
    if swapped.any():
        index = int(np.flatnonzero(swapped)[0])
        raise InvalidInput(
            "values",
            f"diastolic must not exceed systolic; first offending at index {index}",
            tuple(float(v) for v in readings.reshape(-1, 2)[index]),
        )
    grades = np.zeros(systolic.shape, dtype=np.int8)
    for part, cuts in ((systolic, rule.systolic_cuts), (diastolic, rule.diastolic_cuts)):
        for bound, grade_ in cuts:
            # whole-number cut-offs are exact doubles whose repr is themselves: float-faithful
            grades[(part >= float(bound)) & (grades < grade_)] = grade_
    return grades
