"""Exact laboratory unit conversions (clinical-rules.md §4.6)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ramunet.clinical.errors import InvalidInput, UnknownTerm, UnknownUnit
from ramunet.clinical.units import convert, normalise_unit, to_canonical, to_decimal


def test_protocol_bilirubin_limit_is_exactly_25_65_umol_per_l():
    # Protocol: total bilirubin <= 1.5 mg/dL (25.65 umol/L), factor 17.1
    assert to_canonical("bilirubin", "25.65", "umol/L") == Decimal("1.5")
    assert convert("bilirubin", "1.5", "mg/dL", "umol/L") == Decimal("25.65")


def test_creatinine_factor_is_88_4():
    assert convert("creatinine", "1.5", "mg/dL", "umol/L") == Decimal("132.6")
    assert to_canonical("creatinine", "132.6", "umol/L") == Decimal("1.5")


def test_haemoglobin_in_g_per_l_and_mmol_per_l():
    assert to_canonical("hemoglobin", 90, "g/L") == Decimal("9")
    assert convert("hemoglobin", 9, "g/dL", "mmol/L") == Decimal("5.5854")


@pytest.mark.parametrize("unit", ["/mm3", "/uL", "/µL", "cells/uL"])
def test_counts_per_cubic_millimetre_become_10_9_per_l(unit):
    assert to_canonical("anc", 1500, unit) == Decimal("1.5")


def test_counts_in_10_3_per_ul_equal_10_9_per_l():
    assert to_canonical("platelets", 100, "10^3/uL") == Decimal("100")


def test_spelling_of_units_is_folded():
    assert normalise_unit(" µmol/l ") == "umol/L"
    assert normalise_unit("x10^9/l") == "10^9/L"


def test_unknown_unit_is_an_error_never_a_guess():
    with pytest.raises(UnknownUnit) as error:
        to_canonical("creatinine", "1.0", "mg/L")
    assert str(error.value) == (
        "creatinine.unit 'mg/L': unit not recognised; expected one of mg/dL, umol/L"
    )


def test_unknown_analyte_is_refused():
    with pytest.raises(UnknownTerm) as error:
        to_canonical("troponin", 1, "ng/mL")
    assert str(error.value).startswith("analyte 'troponin': not recognised; expected ")


def test_non_numbers_and_booleans_are_refused():
    with pytest.raises(InvalidInput) as error:
        to_decimal("1,5", "creatinine.value")
    assert str(error.value) == "creatinine.value '1,5': is not a number"
    with pytest.raises(InvalidInput):
        to_decimal(True)
    with pytest.raises(InvalidInput):
        to_decimal("NaN")


def test_binary_float_input_keeps_its_decimal_spelling():
    assert to_decimal(0.1) == Decimal("0.1")


def test_huge_value_converts_without_overflowing_the_decimal_context():
    assert to_canonical("anc", Decimal("1e20"), "/uL") == Decimal("1e17")
