"""Right-censored survival data as validated numpy arrays: the one gate of ``stats.survival``.

Every public survival function calls :func:`check_survival_data` once and then trusts its
arrays. Times are in any unit the caller chooses (days, months); results keep that unit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from ramunet.clinical.errors import InvalidInput

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
ScalarT = TypeVar("ScalarT", bound=np.generic)

#: What an event indicator may hold.
EVENT_CODES = "0 (censored) or 1 (event)"


@dataclass(frozen=True, eq=False)
class SurvivalData:
    """Validated right-censored data: one entry per subject.

    Attributes
    ----------
    times
        Follow-up times (>= 0, finite), read-only.
    events
        1 for an event, 0 for a censored time, read-only.
    """

    times: FloatArray
    events: IntArray

    @property
    def n_subjects(self) -> int:
        """The number of subjects."""
        return int(self.times.size)


def _frozen(array: npt.NDArray[ScalarT]) -> npt.NDArray[ScalarT]:
    array.flags.writeable = False
    return array


def _as_numeric(values: object, field: str) -> FloatArray:
    """Turn a one-dimensional sequence of numbers into floats, naming the first non-number."""
    raw = np.asarray(values)
    if raw.ndim != 1:
        raise InvalidInput(field, "must be a one-dimensional sequence of numbers")
    if raw.dtype.kind not in "iuf":
        for index, value in enumerate(raw.tolist()):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise InvalidInput(f"{field}[{index}]", "must be a number", value)
    return raw.astype(np.float64)


def check_times(times: Sequence[float] | FloatArray, field: str = "times") -> FloatArray:
    """Return ``times`` as a read-only float array if every value is a finite number >= 0.

    Raises
    ------
    InvalidInput
        Naming the first offending element, e.g. ``times[2] -1.0: must be >= 0``.
    """
    values = _as_numeric(times, field)
    bad = ~(np.isfinite(values) & (values >= 0))
    if bad.any():
        index = int(np.flatnonzero(bad)[0])
        number = float(values[index])
        if math.isnan(number):
            raise InvalidInput(f"{field}[{index}]", "must be a number, not NaN", number)
        if math.isinf(number):
            raise InvalidInput(f"{field}[{index}]", "must be finite", number)
        raise InvalidInput(f"{field}[{index}]", "must be >= 0", number)
    return _frozen(values)


def check_events(events: Sequence[int] | IntArray, field: str = "events") -> IntArray:
    """Return ``events`` as a read-only int array if every value is 0 or 1.

    ``True``/``False`` and the floats 0.0/1.0 are accepted; anything else is refused.

    Raises
    ------
    InvalidInput
        Naming the first offending element, e.g.
        ``events[1] 2: not recognised; expected 0 (censored) or 1 (event)``.
    """
    raw = np.asarray(events)
    values = raw.astype(np.float64) if raw.dtype.kind == "b" else _as_numeric(raw, field)
    bad = ~((values == 0) | (values == 1))
    if bad.any():
        index = int(np.flatnonzero(bad)[0])
        shown = raw[index].item()
        if isinstance(shown, float) and math.isnan(shown):
            raise InvalidInput(f"{field}[{index}]", "must be a number, not NaN", shown)
        raise InvalidInput(f"{field}[{index}]", f"not recognised; expected {EVENT_CODES}", shown)
    return _frozen(values.astype(np.int64))


def check_same_length(
    field: str, values: Sequence[object] | npt.NDArray[Any], reference_field: str, n: int
) -> None:
    """Raise ``InvalidInput`` naming ``field`` unless ``len(values) == n``."""
    if len(values) != n:
        raise InvalidInput(
            field, f"has {len(values)} values but {reference_field} has {n}; one per subject"
        )


def check_survival_data(
    times: Sequence[float] | FloatArray, events: Sequence[int] | IntArray
) -> SurvivalData:
    """Validate follow-up times and event indicators (one pair per subject).

    Raises
    ------
    InvalidInput
        ``times: must hold at least one subject`` for empty data; a length mismatch names
        ``events``; bad elements are named with their index.
    """
    if len(times) == 0:
        raise InvalidInput("times", "must hold at least one subject")
    check_same_length("events", events, "times", len(times))
    return SurvivalData(times=check_times(times), events=check_events(events))


def check_groups(
    groups: Sequence[str] | Sequence[int], n_subjects: int, minimum: int, maximum: int | None
) -> tuple[tuple[str, ...], IntArray]:
    """Validate group labels (one per subject): return the sorted labels and each code.

    Labels are compared as strings and sorted by code point; for labels of one letter case
    (as in the reference data) that is R's factor-level order, so the first label is R's
    reference level.

    Raises
    ------
    InvalidInput
        ``groups`` naming a length mismatch, a missing label, or a count of distinct groups
        outside ``minimum``..``maximum``.
    """
    check_same_length("groups", groups, "times", n_subjects)
    labels: list[str] = []
    for index, label in enumerate(groups):
        if label is None or (isinstance(label, float) and math.isnan(label)) or label == "":
            raise InvalidInput(f"groups[{index}]", "must name a group, not be missing", label)
        labels.append(str(label))
    levels, codes = np.unique(np.array(labels, dtype=str), return_inverse=True)
    found = len(levels)
    if found < minimum or (maximum is not None and found > maximum):
        wanted = f"exactly {minimum}" if maximum == minimum else f"at least {minimum}"
        raise InvalidInput(
            "groups", f"has {found} distinct groups ({', '.join(levels)}); {wanted} needed"
        )
    return tuple(str(level) for level in levels), _frozen(codes.astype(np.int64))
