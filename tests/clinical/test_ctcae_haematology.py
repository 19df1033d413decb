"""CTCAE v5.0 haematology grades: each cut-off on both sides (clinical-rules.md §2.2, §2.3).

Cut-offs from CTCAE v5.0 (NCI 2017), Investigations (counts) and Blood and lymphatic system
disorders (Anemia); boundary convention "<A - B" = B <= value < A, value = LLN is grade 0.
"""

from decimal import Decimal

import pytest

from ramunet.clinical.ctcae import grade

# (value, expected grade) around every cut-off; LLN chosen above the grade-1 cut-off.
NEUTROPHILS_1E9_L = [  # LLN 1.8; G1 <LLN-1.5; G2 <1.5-1.0; G3 <1.0-0.5; G4 <0.5
    ("1.8", 0), ("1.79", 1), ("1.5", 1), ("1.49", 2), ("1.0", 2), ("0.99", 3), ("0.5", 3),
    ("0.49", 4), ("0", 4),
]  # fmt: skip
PLATELETS_1E9_L = [  # LLN 150; G1 <LLN-75.0; G2 <75.0-50.0; G3 <50.0-25.0; G4 <25.0
    ("150", 0), ("149.9", 1), ("75.0", 1), ("74.9", 2), ("50.0", 2), ("49.9", 3), ("25.0", 3),
    ("24.9", 4),
]  # fmt: skip
WBC_1E9_L = [  # LLN 4.0; G1 <LLN-3.0; G2 <3.0-2.0; G3 <2.0-1.0; G4 <1.0
    ("4.0", 0), ("3.99", 1), ("3.0", 1), ("2.99", 2), ("2.0", 2), ("1.99", 3), ("1.0", 3),
    ("0.99", 4),
]  # fmt: skip
LYMPHOCYTES_1E9_L = [  # LLN 1.0; G1 <LLN-0.8; G2 <0.8-0.5; G3 <0.5-0.2; G4 <0.2
    ("1.0", 0), ("0.99", 1), ("0.8", 1), ("0.79", 2), ("0.5", 2), ("0.49", 3), ("0.2", 3),
    ("0.19", 4),
]  # fmt: skip


@pytest.mark.parametrize(("value", "expected"), NEUTROPHILS_1E9_L)
def test_neutrophil_cut_offs_both_sides(value, expected):
    assert grade("Neutrophil count decreased", value, "10^9/L", lln="1.8").grade == expected


@pytest.mark.parametrize(("value", "expected"), PLATELETS_1E9_L)
def test_platelet_cut_offs_both_sides(value, expected):
    assert grade("Platelet count decreased", value, "10^9/L", lln="150").grade == expected


@pytest.mark.parametrize(("value", "expected"), WBC_1E9_L)
def test_white_cell_cut_offs_both_sides(value, expected):
    assert grade("White blood cell decreased", value, "10^9/L", lln="4.0").grade == expected


@pytest.mark.parametrize(("value", "expected"), LYMPHOCYTES_1E9_L)
def test_lymphocyte_cut_offs_both_sides(value, expected):
    assert grade("Lymphocyte count decreased", value, "10^9/L", lln="1.0").grade == expected


@pytest.mark.parametrize(
    ("value_per_mm3", "expected"),
    [(1800, 0), (1790, 1), (1500, 1), (1499, 2), (1000, 2), (999, 3), (500, 3), (499, 4)],
)
def test_neutrophils_per_mm3_use_the_same_cut_offs(value_per_mm3, expected):
    # CTCAE v5.0: "<1500 - 1000/mm3; <1.5 - 1.0 x 10e9/L"
    assert grade("Neutrophil count decreased", value_per_mm3, "/mm3", lln=1800).grade == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("12.0", 0), ("11.9", 1), ("10.0", 1), ("9.9", 2), ("8.0", 2), ("7.9", 3)],
)
def test_anemia_g_per_dl_cut_offs_both_sides(value, expected):
    assert grade("Anemia", value, "g/dL", lln="12.0").grade == expected


@pytest.mark.parametrize(
    ("value", "expected"), [(120, 0), (119, 1), (100, 1), (99, 2), (80, 2), (79, 3)]
)
def test_anemia_g_per_l_cut_offs_both_sides(value, expected):
    assert grade("Anemia", value, "g/L", lln=120).grade == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("7.4", 0), ("7.3", 1), ("6.2", 1), ("6.1", 2), ("4.9", 2), ("4.8", 3)],
)
def test_anemia_mmol_per_l_uses_its_own_rounded_cut_offs(value, expected):
    # register A-C2: 6.2 and 4.9 mmol/L are CTCAE's own cut-offs, not conversions of 10/8 g/dL
    assert grade("Anemia", value, "mmol/L", lln="7.4").grade == expected


def test_rule_text_names_the_value_band_and_grade():
    result = grade("Neutrophil count decreased", "0.8", "10^9/L", lln="1.8")
    assert result.rule == "ANC 0.8 x10^9/L: <1.0-0.5 x10^9/L -> grade 3"


def test_rule_text_shows_the_exact_conversion():
    result = grade("Neutrophil count decreased", 800, "/mm3", lln=1800)
    assert result.rule == "ANC 800 /mm3 (= 0.8 x10^9/L): <1.0-0.5 x10^9/L -> grade 3"


def test_value_at_lln_is_normal():
    result = grade("Platelet count decreased", 150, "10^9/L", lln=150)
    assert (result.grade, result.rule) == (0, "PLT 150 x10^9/L: >=LLN 150 x10^9/L -> grade 0")


def test_lln_below_grade_two_cut_off_grades_by_absolute_cut_off_and_flags():
    # register A-C1: LLN 1.4, value 1.45 -> grade 2, flagged
    result = grade("Neutrophil count decreased", "1.45", "10^9/L", lln="1.4")
    assert result.grade == 2
    assert result.flags[0].startswith("A-C1:")


def test_result_keeps_its_inputs():
    result = grade("neutropenia", "0.8", "x10^9/L", lln="1.8")
    assert (result.term, result.value, result.unit, result.lln) == (
        "Neutrophil count decreased",
        Decimal("0.8"),
        "10^9/L",
        Decimal("1.8"),
    )


def test_grade_three_or_worse_helper():
    assert grade("Anemia", "7.9", "g/dL", lln="12.0").is_at_least(3)
