"""Encode batches of rows into fixed-width XPT v5 observation records (numpy, vectorised).

Each batch becomes one ``uint8`` array of shape ``(rows, observation_bytes)``: character values
UTF-8 encoded and blank-padded to the variable length, numeric values as big-endian IBM 370
doubles (:mod:`ramunet.exports.ibm370`). Validation happens per column on the whole batch; the
Python work per value is one type lookup and, for text, one ``str.encode``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from itertools import islice
from typing import Final

import numpy as np
import numpy.typing as npt

from ramunet.clinical.errors import InvalidInput
from ramunet.exports.ibm370 import SasMissing, ieee_to_ibm, missing_bits, out_of_ibm_range
from ramunet.exports.xpt_model import MAX_CHAR_BYTES, MemberLayout, ResolvedVariable, Row

_BLANK: Final = 0x20
_NONE: Final = type(None)
_NUMBER_TYPES: Final[frozenset[type]] = frozenset(
    {int, float, Decimal, _NONE, np.float64, np.float32, np.int64, np.int32}
)
_EXACT_INT_LIMIT: Final = 2**53


def columns_of(
    layout: MemberLayout, batch: Sequence[Row], first_row: int
) -> list[Sequence[object]]:
    """Split a batch of rows (all mappings or all sequences) into one list per variable.

    ``first_row`` is the 1-based number of the batch's first row, for error messages.
    """
    names = [v.name for v in layout.variables]
    kinds = set(map(type, batch))
    if kinds <= {tuple, list} and set(map(len, batch)) == {len(names)}:
        return [list(column) for column in zip(*batch, strict=True)]
    if kinds == {dict} or all(isinstance(row, Mapping) for row in batch):
        return _mapping_columns(layout.name, names, batch, first_row)
    for offset, row in enumerate(batch):
        if isinstance(row, Mapping | str | bytes) or not isinstance(row, Sequence):
            raise InvalidInput(
                f"{layout.name} row {first_row + offset}",
                f"is {type(row).__name__}; rows must be all mappings or all sequences in "
                "variable order",
            )
        if len(row) != len(names):
            raise InvalidInput(
                f"{layout.name} row {first_row + offset}",
                f"has {len(row)} values; expected {len(names)} ({', '.join(names)})",
            )
    return [list(column) for column in zip(*batch, strict=True)]


def _mapping_columns(
    dataset: str, names: list[str], batch: Sequence[Row], first_row: int
) -> list[Sequence[object]]:
    mappings: Sequence[Mapping[str, object]] = batch  # type: ignore[assignment]
    for offset, row in enumerate(mappings):
        if len(row) != len(names):
            unknown = sorted(set(row) - set(names))
            if unknown:
                raise InvalidInput(
                    f"{dataset} row {first_row + offset}",
                    f"unknown variables {', '.join(unknown)}; expected {', '.join(names)}",
                )
    columns: list[Sequence[object]] = []
    for name in names:
        try:
            columns.append([row[name] for row in mappings])
        except KeyError:
            offset = next(i for i, row in enumerate(mappings) if name not in row)
            raise InvalidInput(
                f"{dataset}.{name}", f"missing in row {first_row + offset}"
            ) from None
    return columns


def char_bytes(
    dataset: str, variable: str, column: Sequence[object], first_row: int
) -> list[bytes]:
    """UTF-8 encode a character column (``None`` becomes the empty string, SAS blank)."""
    kinds = set(map(type, column))
    if not kinds <= {str, _NONE}:
        offset = next(i for i, v in enumerate(column) if v is not None and type(v) is not str)
        bad = column[offset]
        raise InvalidInput(
            f"{dataset}.{variable}",
            f"value {bad!r} in row {first_row + offset} is {type(bad).__name__}; a character "
            "variable takes str or None",
        )
    texts: Sequence[str | None] = column  # type: ignore[assignment]
    if _NONE in kinds:
        return [b"" if v is None else v.encode() for v in texts]
    return list(map(str.encode, texts))  # type: ignore[arg-type]


def too_long(
    dataset: str, variable: ResolvedVariable, sizes: Sequence[int], first_row: int
) -> InvalidInput:
    """The error for the first value longer than the variable allows."""
    limit = variable.length
    offset = next(i for i, size in enumerate(sizes) if size > limit)
    why = (
        f"the declared length of {variable.name}"
        if variable.length_declared and limit < MAX_CHAR_BYTES
        else "the XPT v5 limit"
    )
    return InvalidInput(
        f"{dataset}.{variable.name}",
        f"value in row {first_row + offset} has {sizes[offset]} bytes > {limit}, {why}",
    )


def _put_char(
    record: npt.NDArray[np.uint8],
    dataset: str,
    variable: ResolvedVariable,
    column: Sequence[object],
    first_row: int,
) -> None:
    encoded = char_bytes(dataset, variable.name, column, first_row)
    sizes = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
    if sizes.size and int(sizes.max()) > variable.length:
        raise too_long(dataset, variable, sizes.tolist(), first_row)
    cells = np.array(encoded, dtype=f"S{variable.length}").view(np.uint8)
    cells = cells.reshape(len(encoded), variable.length).copy()
    padding = np.arange(variable.length) >= sizes[:, None]
    nul_rows = ((cells == 0) & ~padding).any(axis=1)
    if nul_rows.any():
        raise InvalidInput(
            f"{dataset}.{variable.name}",
            f"value in row {first_row + int(np.argmax(nul_rows))} holds a NUL character, which "
            "XPT readers take as the end of the value",
        )
    cells[padding] = _BLANK
    record[:, variable.position : variable.position + variable.length] = cells


def numeric_bits(
    dataset: str, variable: str, column: Sequence[object], first_row: int
) -> npt.NDArray[np.uint64]:
    """Validate a numeric column and return its IBM 370 bit patterns (native ``uint64``)."""
    field = f"{dataset}.{variable}"
    kinds = set(map(type, column))
    special: dict[int, SasMissing] = {}
    values: Sequence[object] = column
    if not kinds <= _NUMBER_TYPES:
        cleaned: list[object] = []
        for offset, value in enumerate(column):
            if isinstance(value, SasMissing):
                special[offset] = value
                cleaned.append(None)
            elif value is None:
                cleaned.append(None)
            elif isinstance(value, bool) or not isinstance(
                value, int | float | Decimal | np.integer | np.floating
            ):
                raise InvalidInput(
                    field,
                    f"value {value!r} in row {first_row + offset} is {type(value).__name__}; a "
                    "numeric variable takes int, float, Decimal, None or SasMissing",
                )
            else:
                cleaned.append(value)
        values = cleaned
    try:
        numbers = np.array(values, dtype=np.float64)
    except OverflowError:  # an int beyond the double range
        numbers = np.array([_clamp(value) for value in values], dtype=np.float64)
    if int in kinds or any(issubclass(kind, np.integer) for kind in kinds):
        # ints beyond 2**53 round when made doubles; check the candidates exactly
        for offset in np.flatnonzero(np.abs(numbers) >= _EXACT_INT_LIMIT).tolist():
            value = values[offset]
            if isinstance(value, int | np.integer) and abs(int(value)) > _EXACT_INT_LIMIT:
                raise InvalidInput(
                    field,
                    f"value {int(value)} in row {first_row + offset} is beyond 2**53 and not "
                    "exact as a double",
                )
    bad = out_of_ibm_range(numbers)
    if bad.any():
        offset = int(np.argmax(bad))
        raise InvalidInput(
            field,
            f"value {float(numbers[offset])!r} in row {first_row + offset} is outside the IBM "
            "370 double range 16**-65 <= |x| < 16**63 (about 5.4e-79 to 7.2e75), the XPT v5 "
            "limit; use None or SasMissing for a missing value",
        )
    bits = ieee_to_ibm(numbers)
    for offset, missing in special.items():
        bits[offset] = missing_bits(missing)
    return bits


def _clamp(value: object) -> object:
    """An int too large for a double, as a double the 2**53 check then refuses."""
    if isinstance(value, int) and abs(value) > _EXACT_INT_LIMIT:
        return float(_EXACT_INT_LIMIT) * 2
    return value


def encode_batch(layout: MemberLayout, batch: Sequence[Row], first_row: int) -> bytes:
    """Encode a batch of rows into concatenated observation records."""
    columns = columns_of(layout, batch, first_row)
    record = np.empty((len(batch), layout.observation_bytes), dtype=np.uint8)
    for variable, column in zip(layout.variables, columns, strict=True):
        if variable.type == "char":
            _put_char(record, layout.name, variable, column, first_row)
        else:
            bits = numeric_bits(layout.name, variable.name, column, first_row)
            big_endian = bits.astype(">u8").view(np.uint8).reshape(len(batch), 8)
            record[:, variable.position : variable.position + 8] = big_endian
    return record.tobytes()


def iter_batches(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    """Yield lists of at most ``size`` rows, reading ``rows`` once."""
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def measure_char_lengths(
    layout: MemberLayout, rows: Iterable[Row], batch_rows: int
) -> dict[str, int]:
    """First pass: the longest UTF-8 value of each character variable without a length.

    A value longer than 200 bytes raises here, before anything is written.
    """
    unknown = [v for v in layout.variables if v.type == "char" and not v.length_declared]
    longest = dict.fromkeys((v.name for v in unknown), 0)
    index = {v.name: i for i, v in enumerate(layout.variables)}
    first_row = 1
    for batch in iter_batches(rows, batch_rows):
        columns = columns_of(layout, batch, first_row)
        for variable in unknown:
            encoded = char_bytes(
                layout.name, variable.name, columns[index[variable.name]], first_row
            )
            sizes = [len(value) for value in encoded]
            size = max(sizes)
            if size > MAX_CHAR_BYTES:
                limit = replace(variable, length=MAX_CHAR_BYTES)
                raise too_long(layout.name, limit, sizes, first_row)
            longest[variable.name] = max(longest[variable.name], size)
        first_row += len(batch)
    return longest
