"""BSA, ramucirumab and dacarbazine doses, rounding, cap and the weight-change rule.

Worked figures are computed by hand beside each test (clinical-rules.md §4.1-4.3, §4.5).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ramunet.clinical.dosing import (
    BsaFormula,
    DosingSettings,
    body_surface_area,
    dacarbazine_dose,
    ramucirumab_dose,
    weight_change,
)
from ramunet.clinical.errors import InvalidInput, UnknownTerm

DUBOIS = DosingSettings(bsa_formula=BsaFormula.DUBOIS)


def test_mosteller_bsa_of_170_cm_70_kg():
    # clinical-rules.md §4.1: sqrt(170 x 70 / 3600) = sqrt(3.305556) = 1.8181 m2
    bsa = body_surface_area(170, 70)
    assert bsa.bsa_m2 == Decimal("1.818119")
    assert bsa.bsa_rounded_m2 == Decimal("1.82")
    assert bsa.formula == "sqrt(170 cm x 70 kg / 3600) = 1.818119 m2"


def test_mosteller_bsa_of_180_cm_80_kg_is_exactly_2():
    # 180 x 80 / 3600 = 4; sqrt(4) = 2 (Mosteller 1987)
    assert body_surface_area(180, 80).bsa_m2 == Decimal(2)


def test_dubois_bsa_of_170_cm_70_kg():
    # clinical-rules.md §4.1: 0.007184 x 70^0.425 x 170^0.725 = 1.8097 m2 (Du Bois 1916)
    bsa = body_surface_area(170, 70, DUBOIS)
    assert bsa.bsa_m2 == Decimal("1.809708")
    assert bsa.method is BsaFormula.DUBOIS
    assert bsa.formula == "0.007184 x 70 kg^0.425 x 170 cm^0.725 = 1.809708 m2"


def test_mosteller_is_the_default_formula():
    assert DosingSettings().bsa_formula is BsaFormula.MOSTELLER


def test_ramucirumab_is_8_mg_per_kg_of_actual_weight():
    # 8 mg/kg x 72.5 kg = 580 mg (PROTOCOL-NOTES.md "Treatment")
    dose = ramucirumab_dose("72.5")
    assert dose.dose_mg == Decimal("580.00")
    assert dose.formula == "8 mg/kg x 72.5 kg = 580 mg"
    assert dose.basis == "8 mg/kg x actual body weight"


def test_ramucirumab_volume_at_10_mg_per_ml():
    # 580 mg / 10 mg/mL = 58 mL (clinical-rules.md §4.2)
    assert ramucirumab_dose("72.5").volume_ml(10) == Decimal("58.00")


def test_ramucirumab_reduced_level_6_mg_per_kg():
    # 6 mg/kg x 81.3 kg = 487.8 mg (CYRAMZA PI §2, first reduction level)
    assert ramucirumab_dose("81.3", mg_per_kg=6).dose_mg == Decimal("487.80")


def test_dacarbazine_uses_unrounded_bsa():
    # 650 x 1.818119 = 1181.77735 -> 1181.78 mg; with BSA rounded to 1.82 it would be 1183.00
    # (clinical-rules.md §4.3)
    dose = dacarbazine_dose(170, 70)
    assert dose.dose_mg == Decimal("1181.78")
    assert dose.formula == "650 mg/m2 x 1.818119 m2 = 1181.78 mg"


def test_dacarbazine_at_2_m2_is_1300_mg():
    # 650 mg/m2 x 2 m2 = 1300 mg
    assert dacarbazine_dose(180, 80).dose_mg == Decimal("1300.00")


def test_dacarbazine_with_dubois():
    # 650 x 1.809708 = 1176.3102 -> 1176.31 mg
    assert dacarbazine_dose(170, 70, settings=DUBOIS).dose_mg == Decimal("1176.31")


def test_bsa_cap_is_off_by_default():
    # 200 cm, 120 kg: sqrt(24000 / 3600) = 2.581989 m2, uncapped
    assert body_surface_area(200, 120).bsa_m2 == Decimal("2.581989")


def test_bsa_cap_applies_above_the_cap():
    settings = DosingSettings(bsa_cap_m2=Decimal("2.0"))
    dose = dacarbazine_dose(200, 120, settings=settings)
    assert dose.bsa is not None
    assert dose.bsa.capped
    assert dose.dose_mg == Decimal("1300.00")
    assert dose.formula == "650 mg/m2 x 2 m2 (BSA 2.581989 m2, capped) = 1300 mg"


def test_bsa_cap_leaves_a_bsa_at_the_cap_alone():
    settings = DosingSettings(bsa_cap_m2=Decimal(2))
    assert not body_surface_area(180, 80, settings).capped


def test_dose_rounding_is_off_by_default():
    assert dacarbazine_dose(170, 70).dose_mg == Decimal("1181.78")


def test_dose_rounding_to_nearest_10_mg():
    settings = DosingSettings(dose_rounding_mg=Decimal(10))
    dose = dacarbazine_dose(170, 70, settings=settings)
    assert dose.dose_mg == Decimal(1180)
    assert dose.formula == (
        "650 mg/m2 x 1.818119 m2 = 1181.78 mg, rounded to the nearest 10 mg = 1180 mg"
    )


def test_dose_rounding_half_rounds_up():
    # 8 x 73.125 = 585 mg: exactly half-way between 580 and 590 -> 590
    settings = DosingSettings(dose_rounding_mg=Decimal(10))
    assert ramucirumab_dose("73.125", settings=settings).dose_mg == Decimal(590)


def test_weight_change_of_exactly_10_percent_recalculates():
    # |65.25 - 72.5| / 72.5 = 7.25 / 72.5 = 10% -> recalculate (>= inclusive)
    check = weight_change("72.5", "65.25")
    assert check.recalculate
    assert check.change_pct == Decimal("-10.00")
    assert check.formula == "|65.25 kg - 72.5 kg| / 72.5 kg = 10% >= 10%: recalculate"


def test_weight_change_just_below_10_percent_keeps_dose():
    # 7.24 / 72.5 = 9.99% -> keep
    check = weight_change("72.5", "65.26")
    assert not check.recalculate
    assert check.formula == "|65.26 kg - 72.5 kg| / 72.5 kg = 9.99% < 10%: keep dose"


def test_weight_gain_of_exactly_10_percent_recalculates():
    # 70 -> 77 kg: +10%
    assert weight_change(70, 77).recalculate


def test_weight_gain_just_below_10_percent_keeps_dose():
    assert not weight_change(70, "76.99").recalculate


def test_weight_change_threshold_is_a_setting():
    settings = DosingSettings(recalculation_threshold_pct=Decimal(5))
    assert weight_change(70, "73.5", settings).recalculate
    assert not weight_change(70, "73.49", settings).recalculate


def test_negative_weight_is_refused():
    with pytest.raises(InvalidInput, match=r"^weight_kg -70: must be positive$"):
        ramucirumab_dose(-70)


def test_zero_height_is_refused():
    with pytest.raises(InvalidInput, match=r"^height_cm 0: must be positive$"):
        body_surface_area(0, 70)


def test_implausible_weight_is_refused():
    with pytest.raises(InvalidInput) as caught:
        ramucirumab_dose(700)
    assert str(caught.value) == "weight_kg 700: outside the plausible range 20 to 300 kg"
    assert caught.value.field == "weight_kg"


def test_implausible_height_is_refused():
    with pytest.raises(InvalidInput) as caught:
        body_surface_area("1.70", 70)
    assert str(caught.value) == "height_cm '1.70': outside the plausible range 100 to 250 cm"


def test_weight_range_edges_are_accepted():
    assert ramucirumab_dose(20).dose_mg == Decimal(160)
    assert ramucirumab_dose(300).dose_mg == Decimal(2400)


def test_non_numeric_weight_is_refused():
    with pytest.raises(InvalidInput, match=r"^weight_kg 'heavy': is not a number$"):
        ramucirumab_dose("heavy")


def test_unknown_bsa_formula_is_refused():
    with pytest.raises(UnknownTerm) as caught:
        DosingSettings(bsa_formula="haycock")  # type: ignore[arg-type]
    assert str(caught.value) == "bsa_formula 'haycock': not recognised; expected mosteller, dubois"


def test_non_positive_cap_is_refused():
    with pytest.raises(InvalidInput, match=r"^bsa_cap_m2 Decimal\('0'\): must be positive$"):
        DosingSettings(bsa_cap_m2=Decimal(0))


@given(
    weight=st.decimals(min_value=20, max_value=300, places=2),
    height=st.decimals(min_value=100, max_value=250, places=1),
    formula=st.sampled_from(list(BsaFormula)),
)
def test_any_plausible_body_gives_a_positive_dose(weight, height, formula):
    settings = DosingSettings(bsa_formula=formula)
    assert dacarbazine_dose(height, weight, settings=settings).dose_mg > 0
    assert ramucirumab_dose(weight).dose_mg == (8 * weight).quantize(Decimal("0.01"))


@given(weight=st.one_of(st.floats(max_value=0, allow_nan=False), st.floats(min_value=300.01)))
def test_implausible_weight_names_the_field(weight):
    with pytest.raises(InvalidInput) as caught:
        ramucirumab_dose(weight)
    assert caught.value.field == "weight_kg"
