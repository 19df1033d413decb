"""Cockcroft-Gault creatinine clearance (Cockcroft & Gault, Nephron 1976;16:31-41).

Hand-computed figures beside each test (clinical-rules.md §4.4).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ramunet.clinical.errors import InvalidInput, UnknownTerm, UnknownUnit
from ramunet.clinical.renal import Sex, cockcroft_gault


def test_man_of_60_years_72_kg_creatinine_1():
    # (140 - 60) x 72 / (72 x 1.0) = 80 mL/min
    result = cockcroft_gault(sex="male", age_years=60, weight_kg=72, creatinine="1.0")
    assert result.crcl_ml_min == Decimal("80.00")
    assert result.formula == "(140 - 60 y) x 72 kg / (72 x 1 mg/dL) = 80 mL/min"


def test_woman_is_multiplied_by_0_85():
    # 80 x 0.85 = 68 mL/min
    result = cockcroft_gault(sex=Sex.FEMALE, age_years=60, weight_kg=72, creatinine="1.0")
    assert result.crcl_ml_min == Decimal("68.00")
    assert result.formula == "(140 - 60 y) x 72 kg / (72 x 1 mg/dL) x 0.85 (female) = 68 mL/min"


def test_creatinine_in_umol_per_l_is_converted_by_88_4():
    # 88.4 umol/L = 1 mg/dL -> the same 80 mL/min
    result = cockcroft_gault(
        sex="male", age_years=60, weight_kg=72, creatinine="88.4", creatinine_unit="umol/L"
    )
    assert result.creatinine_mg_dl == Decimal(1)
    assert result.crcl_ml_min == Decimal("80.00")
    assert result.formula == (
        "creatinine 88.4 umol/L / 88.4 = 1 mg/dL; (140 - 60 y) x 72 kg / (72 x 1 mg/dL) = 80 mL/min"
    )


def test_creatinine_100_umol_per_l():
    # 1.2278 x (140 - 60) x 72 / 100 = 70.72 mL/min (clinical-rules.md §4.4, exact 88.4 factor)
    result = cockcroft_gault(
        sex="male", age_years=60, weight_kg=72, creatinine=100, creatinine_unit="µmol/L"
    )
    assert result.crcl_ml_min == Decimal("70.72")


def test_rounds_half_up_to_2_decimals():
    # (140 - 45) x 68 / (72 x 1.3) = 6460 / 93.6 = 69.0171 -> 69.02
    result = cockcroft_gault(sex="male", age_years=45, weight_kg=68, creatinine="1.3")
    assert result.crcl_ml_min == Decimal("69.02")


def test_unknown_sex_is_refused():
    with pytest.raises(UnknownTerm) as caught:
        cockcroft_gault(sex="x", age_years=60, weight_kg=72, creatinine=1)
    assert str(caught.value) == "sex 'x': not recognised; expected female, male"


def test_unknown_creatinine_unit_is_refused():
    with pytest.raises(UnknownUnit) as caught:
        cockcroft_gault(
            sex="male", age_years=60, weight_kg=72, creatinine=1, creatinine_unit="mmol/L"
        )
    assert caught.value.field == "creatinine.unit"


def test_zero_creatinine_is_refused():
    with pytest.raises(InvalidInput, match=r"^creatinine 0: must be positive$"):
        cockcroft_gault(sex="male", age_years=60, weight_kg=72, creatinine=0)


def test_implausible_age_is_refused():
    with pytest.raises(InvalidInput) as caught:
        cockcroft_gault(sex="male", age_years=150, weight_kg=72, creatinine=1)
    assert str(caught.value) == "age_years 150: outside the plausible range 18 to 120 years"


@given(
    sex=st.sampled_from(["female", "male"]),
    age=st.integers(min_value=18, max_value=120),
    weight=st.decimals(min_value=20, max_value=300, places=1),
    creatinine=st.decimals(min_value="0.1", max_value=30, places=2),
)
def test_any_plausible_patient_gets_a_non_negative_clearance(sex, age, weight, creatinine):
    result = cockcroft_gault(sex=sex, age_years=age, weight_kg=weight, creatinine=creatinine)
    assert result.crcl_ml_min >= 0


@given(
    creatinine=st.one_of(
        st.decimals(max_value=0),
        st.decimals(min_value="30.01"),
        st.text(alphabet="abc", min_size=1),
    )
)
def test_invalid_creatinine_names_the_field(creatinine):
    with pytest.raises(InvalidInput) as caught:
        cockcroft_gault(sex="male", age_years=60, weight_kg=72, creatinine=creatinine)
    assert caught.value.field == "creatinine"
