"""Validation of figure inputs at the public edge: arrays, lengths, labels, response codes.

Every check raises ``InvalidInput`` (or ``UnknownTerm``) naming the argument, repeating the bad
value and stating the rule, so that a report build fails with a message a data manager can act on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from ramunet.clinical.errors import InvalidInput, UnknownTerm
from ramunet.report.figures.style import RESPONSE_ORDER

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def float_array(values: Any, name: str, *, allow_nan: bool = False) -> FloatArray:
    """``values`` as a non-empty 1-D float array; NaN only where ``allow_nan`` (missing)."""
    items = list(values) if not isinstance(values, np.ndarray) else values
    if len(items) == 0:
        raise InvalidInput(name, "must not be empty")
    try:
        array = np.asarray(items, dtype=np.float64)
    except (TypeError, ValueError):
        for index, item in enumerate(items):
            try:
                float(item)
            except (TypeError, ValueError):
                raise InvalidInput(f"{name}[{index}]", "must be a number", item) from None
        raise
    if array.ndim != 1:
        raise InvalidInput(name, "must be a flat sequence of numbers", values)
    bad = np.isinf(array) if allow_nan else ~np.isfinite(array)
    if bad.any():
        index = int(np.flatnonzero(bad)[0])
        rule = "must be finite (NaN means missing)" if allow_nan else "must be a finite number"
        raise InvalidInput(f"{name}[{index}]", rule, items[index])
    return array


def optional_float_array(values: Any, name: str, length: int, length_of: str) -> FloatArray:
    """An optional per-patient array with NaN for "none"; all NaN when ``values`` is None."""
    if values is None:
        return np.full(length, np.nan)
    array = float_array(values, name, allow_nan=True)
    check_length(array, name, length, length_of)
    return array


def check_length(
    values: Sequence[Any] | np.ndarray, name: str, length: int, length_of: str
) -> None:
    """``values`` has one entry per entry of the argument ``length_of``."""
    if len(values) != length:
        raise InvalidInput(
            name, f"has {len(values)} values; expected {length}, one per {length_of} entry"
        )


def labels(values: Iterable[object], name: str) -> tuple[str, ...]:
    """Non-empty text labels (patient ids, terms, centres)."""
    items = tuple(values)
    if not items:
        raise InvalidInput(name, "must not be empty")
    for index, item in enumerate(items):
        if not isinstance(item, str) or not item.strip():
            raise InvalidInput(f"{name}[{index}]", "must be a non-empty text", item)
    return tuple(str(item) for item in items)


def unique_labels(values: Iterable[object], name: str) -> tuple[str, ...]:
    """Labels that identify one entry each (patient ids)."""
    items = labels(values, name)
    seen: set[str] = set()
    for index, item in enumerate(items):
        if item in seen:
            raise InvalidInput(f"{name}[{index}]", "appears twice; each must be unique", item)
        seen.add(item)
    return items


def response_codes(values: Iterable[object], name: str) -> tuple[str, ...]:
    """RECIST response codes (``Response`` members or their text values)."""
    items = tuple(values)
    if not items:
        raise InvalidInput(name, "must not be empty")
    codes = []
    for index, item in enumerate(items):
        code = str(item) if isinstance(item, str) else None
        if code not in RESPONSE_ORDER:
            raise UnknownTerm(f"{name}[{index}]", item, RESPONSE_ORDER)
        codes.append(code)
    return tuple(codes)


def check_at_least(array: FloatArray, name: str, minimum: float, rule: str) -> None:
    """Every non-missing value is >= ``minimum``."""
    bad = array < minimum
    if bad.any():
        index = int(np.flatnonzero(bad)[0])
        raise InvalidInput(f"{name}[{index}]", rule, float(array[index]))


def check_not_after(array: FloatArray, name: str, limit: FloatArray, limit_name: str) -> None:
    """Every non-missing value lies at or before the patient's ``limit`` (e.g. last follow-up)."""
    bad = array > limit
    if bad.any():
        index = int(np.flatnonzero(bad)[0])
        raise InvalidInput(
            f"{name}[{index}]",
            f"must not be later than {limit_name}[{index}] = {float(limit[index]):g}",
            float(array[index]),
        )


def dates(values: Iterable[object], name: str) -> tuple[dt.date, ...]:
    """Calendar dates (``datetime.date``; a ``datetime`` is refused to keep dates unambiguous)."""
    items = tuple(values)
    if not items:
        raise InvalidInput(name, "must not be empty")
    for index, item in enumerate(items):
        if not isinstance(item, dt.date) or isinstance(item, dt.datetime):
            raise InvalidInput(f"{name}[{index}]", "must be a datetime.date", item)
    return items  # type: ignore[return-value]


def positive_int(value: object, name: str) -> int:
    """A count that must be at least 1."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidInput(name, "must be a whole number >= 1", value)
    return value


def count(value: object, name: str) -> int:
    """A count that must be at least 0."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInput(name, "must be a whole number >= 0", value)
    return value
