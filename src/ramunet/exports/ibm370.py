"""IEEE 754 doubles to IBM System/370 hexadecimal floating point, as SAS transport v5 stores them.

An IBM 370 long float is 64 bits: a sign bit, a 7-bit exponent of 16 in excess-64 notation and a
56-bit fraction ``0.f`` (no hidden bit), normalised so that its first hexadecimal digit is not
zero. Its value is ``(-1)**s * 0.f * 16**(e - 64)``.

Every IEEE double ``x`` with ``16**-65 <= |x| < 16**63`` converts *exactly*: the IEEE significand
has 53 bits and the hexadecimal normalisation needs at most 3 leading zero bits, which fits the
56-bit IBM fraction. Outside that band the IBM exponent overflows (``|x| >= 16**63``, about
7.24e75) or underflows (``0 < |x| < 16**-65``, about 5.40e-79); those values are refused rather
than saturated or flushed to zero. Zero (either sign) is written as eight zero bytes.

SAS missing values are not numbers: ``.`` is the byte ``0x2E`` followed by seven zero bytes, and
the special missing values ``.A``-``.Z`` and ``._`` put the letter (or ``_``) in the first byte.

References
----------
SAS Institute, "The Record Layout of a Data Set in SAS Transport (XPORT) Format", TS-140
(numeric fields are IBM mainframe doubles; missing values ``.``, ``.A``-``.Z``, ``._``).
IBM, "ESA/390 Principles of Operation", SA22-7201, hexadecimal floating-point data format.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

#: The smallest magnitude an IBM 370 long float holds normalised: 16**-65 = 2**-260.
IBM_MIN_MAGNITUDE: Final = 2.0**-260
#: The magnitude at which the IBM 370 exponent overflows: 16**63 = 2**252 (exclusive bound).
IBM_OVERFLOW_MAGNITUDE: Final = 2.0**252

_SIGN_MASK: Final = np.uint64(1 << 63)
_MANTISSA_MASK: Final = np.uint64((1 << 52) - 1)
_HIDDEN_BIT: Final = np.uint64(1 << 52)
_MISSING_CODES: Final = "._" + string.ascii_uppercase


@dataclass(frozen=True)
class SasMissing:
    """A SAS missing value: ``.`` (ordinary) or a special missing ``.A``-``.Z`` / ``._``.

    Parameters
    ----------
    code
        ``"."`` for the ordinary missing value, or one of ``A``-``Z`` and ``_``.
    """

    code: str = "."

    def __post_init__(self) -> None:
        if len(self.code) != 1 or self.code not in _MISSING_CODES:
            raise ValueError(
                f"SasMissing.code {self.code!r}: not a SAS missing value; expected '.', '_' or A-Z"
            )

    @property
    def first_byte(self) -> int:
        """The first byte of the 8-byte field (``0x2E`` for ``.``, else the letter)."""
        return ord(self.code)

    def __str__(self) -> str:
        return "." if self.code == "." else f".{self.code}"


#: The ordinary SAS missing value ``.``.
MISSING: Final = SasMissing(".")


def missing_bits(missing: SasMissing) -> int:
    """The 64-bit pattern of a SAS missing value (first byte the code, seven zero bytes)."""
    return missing.first_byte << 56


def ieee_to_ibm(values: npt.NDArray[np.float64]) -> npt.NDArray[np.uint64]:
    """Convert finite IEEE doubles to IBM 370 long floats, exactly.

    The caller guarantees that every value is zero or lies in the IBM band
    ``2**-260 <= |x| < 2**252`` (see :func:`out_of_ibm_range`); NaN is written as the ordinary
    SAS missing value ``.``.

    Parameters
    ----------
    values
        A one-dimensional float64 array.

    Returns
    -------
    numpy.ndarray
        The IBM bit patterns as native ``uint64``; write them big-endian (``astype(">u8")``).
    """
    bits = np.ascontiguousarray(values, dtype=np.float64).view(np.uint64)
    sign = bits & _SIGN_MASK
    biased_exponent = ((bits >> np.uint64(52)) & np.uint64(0x7FF)).astype(np.int64)
    significand = (bits & _MANTISSA_MASK) | _HIDDEN_BIT
    # |x| = 0.1m * 2**e2 with the binary point before the hidden bit.
    e2 = biased_exponent - 1022
    hex_exponent = -((-e2) // 4)  # ceil(e2 / 4)
    shift = (4 * hex_exponent - e2).astype(np.uint64)  # 0..3 leading zero bits in the fraction
    fraction = significand << (np.uint64(3) - shift)  # 56-bit fraction, exact
    exponent_bits = (hex_exponent + 64).astype(np.uint64) << np.uint64(56)
    ibm: npt.NDArray[np.uint64] = np.asarray(sign | exponent_bits | fraction, dtype=np.uint64)
    is_zero = (bits & ~_SIGN_MASK) == 0
    ibm[is_zero] = 0
    ibm[np.isnan(values)] = missing_bits(MISSING)
    return ibm


def out_of_ibm_range(values: npt.NDArray[np.float64]) -> npt.NDArray[np.bool_]:
    """Which values an IBM 370 long float cannot hold: infinities, overflow and underflow.

    NaN (a SAS missing value) and zero are in range.
    """
    magnitude = np.abs(values)
    with np.errstate(invalid="ignore"):
        too_small = (magnitude < IBM_MIN_MAGNITUDE) & (magnitude != 0)
        return np.asarray((magnitude >= IBM_OVERFLOW_MAGNITUDE) | too_small, dtype=np.bool_)


def ibm_to_ieee(bits: npt.NDArray[np.uint64]) -> npt.NDArray[np.float64]:
    """Convert IBM 370 long floats back to IEEE doubles (SAS missing values become NaN).

    The inverse of :func:`ieee_to_ibm` for in-range values; used by the tests and by readers.
    """
    bits = np.asarray(bits, dtype=np.uint64)
    sign = np.where((bits >> np.uint64(63)) == 1, -1.0, 1.0)
    exponent = ((bits >> np.uint64(56)) & np.uint64(0x7F)).astype(np.int64) - 64
    fraction = (bits & np.uint64((1 << 56) - 1)).astype(np.float64)  # exact: <= 53 significant bits
    result = sign * np.ldexp(fraction, 4 * exponent - 56)
    first_byte = bits >> np.uint64(56)
    codes = np.array([ord(code) for code in _MISSING_CODES], dtype=np.uint64)
    is_missing = (fraction == 0) & np.isin(first_byte, codes)
    result[is_missing] = np.nan
    return np.asarray(result, dtype=np.float64)
