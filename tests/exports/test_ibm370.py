"""IEEE -> IBM 370 long float conversion (ramunet.exports.ibm370)."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ramunet.exports.ibm370 import (
    MISSING,
    SasMissing,
    ibm_to_ieee,
    ieee_to_ibm,
    missing_bits,
    out_of_ibm_range,
)


def ibm_bits(value: float) -> int:
    return int(ieee_to_ibm(np.array([value]))[0])


def exact_ibm_value(bits: int) -> Fraction:
    """Decode an IBM 370 long float exactly, independently of the module under test."""
    sign = -1 if bits >> 63 else 1
    exponent = ((bits >> 56) & 0x7F) - 64
    fraction = Fraction(bits & ((1 << 56) - 1), 1 << 56)
    return sign * fraction * Fraction(16) ** exponent


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # IBM ESA/390 Principles of Operation, ch. 18, and Wikipedia "IBM hexadecimal
        # floating-point", worked example: -118.625 = X'C276A000' (short), padded for long.
        (-118.625, 0xC276A00000000000),
        (1.0, 0x4110000000000000),  # 0.1 (hex) x 16**1
        (-1.0, 0xC110000000000000),
        (100.0, 0x4264000000000000),  # 0x64 = 100, 0.64 (hex) x 16**2
        (0.5, 0x4080000000000000),
        # 0.1: the IEEE double 0x3FB999999999999A carried over exactly.
        (0.1, 0x401999999999999A),
    ],
)
def test_known_values_convert_to_published_bit_patterns(value, expected):
    assert ibm_bits(value) == expected


def test_zero_is_eight_zero_bytes():
    assert ibm_bits(0.0) == 0


def test_negative_zero_is_written_as_zero():
    assert ibm_bits(-0.0) == 0


def test_nan_is_the_ordinary_sas_missing_value():
    assert ibm_bits(math.nan) == 0x2E00000000000000


@pytest.mark.parametrize(
    ("code", "first_byte"), [(".", 0x2E), ("A", 0x41), ("Z", 0x5A), ("_", 0x5F)]
)
def test_special_missing_puts_its_code_in_the_first_byte(code, first_byte):
    assert missing_bits(SasMissing(code)) == first_byte << 56


def test_special_missing_prints_like_sas():
    assert (str(SasMissing("B")), str(MISSING)) == (".B", ".")


def test_special_missing_refuses_other_codes():
    with pytest.raises(ValueError) as error:
        SasMissing("a")
    assert (
        str(error.value) == "SasMissing.code 'a': not a SAS missing value; expected '.', '_' or A-Z"
    )


def test_largest_double_below_16_pow_63_is_in_range():
    assert not out_of_ibm_range(np.array([np.nextafter(2.0**252, 0)]))[0]


def test_16_pow_63_overflows():
    assert out_of_ibm_range(np.array([2.0**252, -(2.0**252)])).tolist() == [True, True]


def test_16_pow_minus_65_is_in_range():
    assert not out_of_ibm_range(np.array([2.0**-260]))[0]


def test_just_below_16_pow_minus_65_underflows():
    assert out_of_ibm_range(np.array([np.nextafter(2.0**-260, 0)]))[0]


def test_infinity_is_out_of_range_but_zero_and_nan_are_not():
    flags = out_of_ibm_range(np.array([math.inf, -math.inf, 0.0, math.nan]))
    assert flags.tolist() == [True, True, False, False]


def test_range_edges_convert_exactly():
    edges = [np.nextafter(2.0**252, 0), 2.0**-260, -(2.0**-260), 1e-78, 7.2e75]
    for value in edges:
        assert exact_ibm_value(ibm_bits(value)) == Fraction(value)


def test_fraction_is_normalised_to_a_nonzero_leading_hex_digit():
    for value in [1.0, 2.0, 4.0, 8.0, 16.0, 3.0, 1e-50, 1e50]:
        assert (ibm_bits(value) >> 52) & 0xF != 0


in_range_doubles = st.floats(
    min_value=2.0**-260, max_value=float(np.nextafter(2.0**252, 0)), allow_subnormal=False
)


@given(st.lists(st.tuples(in_range_doubles, st.booleans()), min_size=1, max_size=50))
def test_every_in_range_double_converts_exactly(pairs):
    values = np.array([-v if negative else v for v, negative in pairs])
    for value, bits in zip(values, ieee_to_ibm(values), strict=True):
        assert exact_ibm_value(int(bits)) == Fraction(float(value))


@given(st.lists(in_range_doubles, min_size=1, max_size=50))
def test_ibm_to_ieee_inverts_ieee_to_ibm(values):
    array = np.array(values)
    assert ibm_to_ieee(ieee_to_ibm(array)).tolist() == array.tolist()
