"""CTCAE v5.0 chemistry grades: cut-offs on both sides, abnormal-baseline rules, units.

Cut-offs from CTCAE v5.0 (NCI 2017), Investigations and Metabolism and nutrition disorders;
readings of clinical-rules.md §2.2 (">A - B x ULN" = A x ULN < value <= B x ULN) and §2.4
(baseline rules), register §2.10 (A-C3, A-C4).
"""

import pytest

from ramunet.clinical.ctcae import grade
from ramunet.clinical.units import convert

BILIRUBIN_MG_DL_ULN_1_2 = [  # G1 >ULN-1.5; G2 >1.5-3.0; G3 >3.0-10.0; G4 >10.0 x ULN
    ("1.2", 0), ("1.21", 1), ("1.8", 1), ("1.81", 2), ("3.6", 2), ("3.61", 3), ("12.0", 3),
    ("12.01", 4),
]  # fmt: skip
AST_ULN_40 = [  # G1 >ULN-3.0; G2 >3.0-5.0; G3 >5.0-20.0; G4 >20.0 x ULN
    (40, 0), (41, 1), (120, 1), (121, 2), (200, 2), (201, 3), (800, 3), (801, 4),
]  # fmt: skip
ALT_ULN_35 = [
    ("35", 0), ("35.1", 1), ("105", 1), ("105.1", 2), ("175", 2), ("175.1", 3), ("700", 3),
    ("700.1", 4),
]  # fmt: skip
ALP_ULN_120 = [  # G1 >ULN-2.5; G2 >2.5-5.0; G3 >5.0-20.0; G4 >20.0 x ULN
    (120, 0), (121, 1), (300, 1), (301, 2), (600, 2), (601, 3), (2400, 3), (2401, 4),
]  # fmt: skip
CREATININE_ULN_1_2 = [  # G1 >ULN-1.5; G2 >1.5-3.0; G3 >3.0-6.0; G4 >6.0 x ULN
    ("1.2", 0), ("1.21", 1), ("1.8", 1), ("1.81", 2), ("3.6", 2), ("3.61", 3), ("7.2", 3),
    ("7.21", 4),
]  # fmt: skip


@pytest.mark.parametrize(("value", "expected"), BILIRUBIN_MG_DL_ULN_1_2)
def test_bilirubin_cut_offs_both_sides(value, expected):
    # §2.4 worked boundaries: 1.8 with ULN 1.2 = exactly 1.5 x ULN -> 1; 3.6 -> 2; 12.0 -> 3
    result = grade("Blood bilirubin increased", value, "mg/dL", uln="1.2", baseline="0.8")
    assert result.grade == expected


@pytest.mark.parametrize(("value", "expected"), AST_ULN_40)
def test_ast_cut_offs_both_sides(value, expected):
    assert grade("AST increased", value, "U/L", uln=40, baseline=30).grade == expected


@pytest.mark.parametrize(("value", "expected"), ALT_ULN_35)
def test_alt_cut_offs_both_sides(value, expected):
    assert grade("ALT increased", value, "U/L", uln=35, baseline=30).grade == expected


@pytest.mark.parametrize(("value", "expected"), ALP_ULN_120)
def test_alkaline_phosphatase_cut_offs_both_sides(value, expected):
    assert (
        grade("Alkaline phosphatase increased", value, "U/L", uln=120, baseline=90).grade
        == expected
    )


@pytest.mark.parametrize(("value", "expected"), CREATININE_ULN_1_2)
def test_creatinine_cut_offs_both_sides(value, expected):
    assert grade("Creatinine increased", value, "mg/dL", uln="1.2").grade == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2.0", 0),
        ("2.01", 1),
        ("3.0", 1),
        ("3.01", 2),
        ("6.0", 2),
        ("6.01", 3),
        ("20.0", 3),
        ("20.01", 4),
    ],
)
def test_bilirubin_with_abnormal_baseline_uses_multiples_of_baseline(value, expected):
    # baseline 2.0 > ULN 1.2: G1 >1.0-1.5; G2 >1.5-3.0; G3 >3.0-10.0; G4 >10.0 x baseline
    assert (
        grade("Blood bilirubin increased", value, "mg/dL", uln="1.2", baseline="2.0").grade
        == expected
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [(89, 0), (90, 1), (180, 1), (181, 2), (300, 2), (301, 3), (1200, 3), (1201, 4)],
)
def test_ast_with_abnormal_baseline_starts_grade_one_at_one_and_a_half_baseline(value, expected):
    # baseline 60 > ULN 40: G1 1.5-3.0 x BL (1.5 inclusive); G2 >3.0-5.0; G3 >5.0-20.0; G4 >20.0
    assert grade("AST increased", value, "U/L", uln=40, baseline=60).grade == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(89, 0), (90, 1), (180, 1), (181, 2), (300, 2), (301, 3), (1200, 3), (1201, 4)],
)
def test_alt_with_abnormal_baseline_starts_grade_one_at_one_and_a_half_baseline(value, expected):
    assert grade("ALT increased", value, "U/L", uln=40, baseline=60).grade == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(299, 0), (300, 1), (375, 1), (376, 2), (750, 2), (751, 3), (3000, 3), (3001, 4)],
)
def test_alkaline_phosphatase_with_abnormal_baseline_starts_at_twice_baseline(value, expected):
    # baseline 150 > ULN 120: G1 2.0-2.5 x BL; G2 >2.5-5.0; G3 >5.0-20.0; G4 >20.0
    assert grade("ALP increased", value, "U/L", uln=120, baseline=150).grade == expected


def test_ast_below_one_and_a_half_abnormal_baseline_is_grade_zero_and_flagged():
    # register A-C3: no listed grade between baseline and 1.5 x baseline -> 0 (as admiral)
    result = grade("AST increased", 89, "U/L", uln=40, baseline=60)
    assert result.grade == 0
    assert result.flags[0].startswith("A-C3:")


def test_baseline_equal_to_uln_is_normal_baseline():
    # A-C5: abnormal baseline means baseline > ULN
    assert grade("AST increased", 121, "U/L", uln=40, baseline=40).grade == 2


def test_missing_baseline_of_liver_test_grades_against_uln_and_flags():
    result = grade("AST increased", 121, "U/L", uln=40)
    assert result.grade == 2
    assert result.flags == ("baseline missing: graded against ULN (clinical-rules.md §2.4)",)


def test_abnormal_baseline_rule_text():
    result = grade("AST increased", 90, "U/L", uln=40, baseline=60)
    assert result.rule == (
        "AST 90 U/L: baseline 60 > ULN 40: 1.5-3.0 x baseline (90-180 U/L) -> grade 1"
    )


@pytest.mark.parametrize(("value", "expected"), [("0.9", 0), ("0.91", 2), ("1.8", 2), ("1.81", 3)])
def test_creatinine_baseline_criteria_apply_with_normal_baseline(value, expected):
    # baseline 0.6, ULN 1.2: >1.5-3.0 x baseline -> 2; >3.0 x baseline -> 3 (worst criterion wins)
    assert (
        grade("Creatinine increased", value, "mg/dL", uln="1.2", baseline="0.6").grade == expected
    )


def test_creatinine_within_normal_range_above_one_and_a_half_baseline_is_flagged():
    # register A-C4: literal grade 2
    result = grade("Creatinine increased", "1.0", "mg/dL", uln="1.2", baseline="0.6")
    assert result.grade == 2
    assert result.flags[0].startswith("A-C4:")


@pytest.mark.parametrize(("value", "expected"), [("1.5", 1), ("1.51", 2)])
def test_creatinine_with_abnormal_baseline_takes_the_worse_criterion(value, expected):
    # baseline 1.0, ULN 1.2: 1.5 = 1.5 x BL (not above) and > ULN -> 1; 1.51 -> 2
    assert (
        grade("Creatinine increased", value, "mg/dL", uln="1.2", baseline="1.0").grade == expected
    )


@pytest.mark.parametrize(
    ("mg_dl", "expected"), [("1.2", 0), ("1.8", 1), ("1.81", 2), ("3.6", 2), ("3.61", 3)]
)
def test_creatinine_same_grade_in_mg_per_dl_and_umol_per_l(mg_dl, expected):
    # 1 mg/dL = 88.4 umol/L (clinical-rules.md §4.6): 1.8 mg/dL = 159.12 umol/L
    umol = convert("creatinine", mg_dl, "mg/dL", "umol/L")
    uln_umol = convert("creatinine", "1.2", "mg/dL", "umol/L")
    in_mg = grade("Creatinine increased", mg_dl, "mg/dL", uln="1.2").grade
    in_umol = grade("Creatinine increased", umol, "umol/L", uln=uln_umol).grade
    assert (in_mg, in_umol) == (expected, expected)


@pytest.mark.parametrize(
    ("umol_l", "expected"), [("17.1", 0), ("25.65", 1), ("25.66", 2), ("51.3", 2), ("51.31", 3)]
)
def test_bilirubin_same_grade_in_umol_per_l_and_mg_per_dl(umol_l, expected):
    # 1.5 mg/dL = 25.65 umol/L (protocol; clinical-rules.md §4.6), ULN 1.0 mg/dL = 17.1 umol/L
    mg = convert("bilirubin", umol_l, "umol/L", "mg/dL")
    in_umol = grade("Blood bilirubin increased", umol_l, "umol/L", uln="17.1", baseline="10").grade
    in_mg = grade("Blood bilirubin increased", mg, "mg/dL", uln="1.0", baseline="0.5").grade
    assert (in_umol, in_mg) == (expected, expected)


def test_exact_decimal_boundary_not_float():
    # 1.5 x 1.2 is 1.7999999999999998 in binary floats; exactly 1.8 in decimal -> grade 1
    assert grade("Blood bilirubin increased", 1.8, "mg/dL", uln=1.2, baseline=1.0).grade == 1


@pytest.mark.parametrize(
    ("value", "expected"), [("3.5", 0), ("3.4", 1), ("3.0", 1), ("2.9", 3), ("2.5", 3), ("2.4", 4)]
)
def test_hypokalemia_cut_offs_both_sides(value, expected):
    # G1 <LLN-3.0; G2 needs symptoms (clinical); G3 <3.0-2.5; G4 <2.5 mmol/L
    assert grade("Hypokalemia", value, "mmol/L", lln="3.5").grade == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("5.1", 0),
        ("5.2", 1),
        ("5.5", 1),
        ("5.6", 2),
        ("6.0", 2),
        ("6.1", 3),
        ("7.0", 3),
        ("7.1", 4),
    ],
)
def test_hyperkalemia_cut_offs_both_sides(value, expected):
    # G1 >ULN-5.5; G2 >5.5-6.0; G3 >6.0-7.0; G4 >7.0 mmol/L
    assert grade("Hyperkalemia", value, "mmol/L", uln="5.1").grade == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("135", 0),
        ("134", 1),
        ("130", 1),
        ("129.9", 2),
        ("125", 2),
        ("124.9", 3),
        ("120", 3),
        ("119.9", 4),
    ],
)
def test_hyponatremia_cut_offs_both_sides(value, expected):
    # G1 <LLN-130; G2 125-129 (asymptomatic); G3 120-124; G4 <120 mmol/L
    assert grade("Hyponatremia", value, "mmol/L", lln="135").grade == expected


def test_potassium_in_meq_per_l_equals_mmol_per_l():
    assert grade("Hyperkalemia", "6.1", "mEq/L", uln="5.1").grade == 3


def test_hyperkalemia_above_six_with_uln_above_cut_off_is_flagged():
    # ULN 5.8 above the grade-2 cut-off 5.5: 5.6 <= ULN is graded 2 by the absolute cut-off (A-C1)
    result = grade("Hyperkalemia", "5.6", "mmol/L", uln="5.8")
    assert result.grade == 2
    assert result.flags[0].startswith("A-C1:")


def test_bilirubin_rule_text_shows_the_multiple_and_the_values():
    result = grade("Blood bilirubin increased", "1.8", "mg/dL", uln="1.2", baseline="1.0")
    assert result.rule == "bilirubin 1.8 mg/dL: >ULN-1.5 x ULN (>1.2-1.8 mg/dL) -> grade 1"
