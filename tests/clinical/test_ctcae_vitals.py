"""CTCAE v5.0 Proteinuria (adult) and Hypertension (adult) grades (clinical-rules.md §2.5, §2.6)."""

import pytest

from ramunet.clinical.ctcae import grade, grade_hypertension, grade_proteinuria


@pytest.mark.parametrize(
    ("mg_per_24h", "expected"),
    [(149, 0), (150, 1), (999, 1), (1000, 2), (3499, 2), (3500, 3)],
)
def test_24h_protein_cut_offs_both_sides(mg_per_24h, expected):
    # G1 >=ULN - <1.0 g/24 h (ULN itself included, read literally); G2 1.0 - <3.5; G3 >=3.5
    assert grade("Proteinuria", mg_per_24h, "mg/24h", uln=150).grade == expected


@pytest.mark.parametrize(
    ("g_per_24h", "expected"), [("0.99", 1), ("1.0", 2), ("3.49", 2), ("3.5", 3)]
)
def test_24h_protein_in_grams_uses_the_same_cut_offs(g_per_24h, expected):
    assert grade("Proteinuria", g_per_24h, "g/24h", uln="0.15").grade == expected


@pytest.mark.parametrize(
    ("reading", "expected"),
    [("negative", 0), ("trace", 0), ("1+", 1), ("2+", 2), ("3+", 2), ("4+", 3)],
)
def test_dipstick_readings(reading, expected):
    # 1+ -> 1; 2+ and 3+ -> 2; 4+ -> 3; trace is not a listed category
    assert grade("Proteinuria", reading, "dipstick").grade == expected


def test_24h_collection_takes_precedence_over_dipstick():
    # navigational note: "24-hour urine collection takes precedence over dipstick"
    result = grade_proteinuria(dipstick="4+", protein_24h=500, unit_24h="mg/24h", uln_24h=150)
    assert (result.grade, result.unit) == (1, "mg/24h")


def test_dipstick_alone_is_graded_when_no_24h_collection():
    assert grade_proteinuria(dipstick="2+").grade == 2


def test_proteinuria_needs_a_dipstick_or_a_24h_collection():
    with pytest.raises(ValueError) as caught:
        grade_proteinuria()
    assert str(caught.value) == "dipstick: a dipstick reading or a 24-h urine protein is required"


@pytest.mark.parametrize(
    ("systolic", "expected"), [(119, 0), (120, 1), (139, 1), (140, 2), (159, 2), (160, 3)]
)
def test_systolic_cut_offs_both_sides(systolic, expected):
    # SBP 120-139 -> 1; 140-159 -> 2; >=160 -> 3 (diastolic 70 normal)
    assert grade_hypertension(systolic, 70).grade == expected


@pytest.mark.parametrize(
    ("diastolic", "expected"), [(79, 0), (80, 1), (89, 1), (90, 2), (99, 2), (100, 3)]
)
def test_diastolic_cut_offs_both_sides(diastolic, expected):
    # DBP 80-89 -> 1; 90-99 -> 2; >=100 -> 3 (systolic 110 normal)
    assert grade_hypertension(110, diastolic).grade == expected


def test_worse_of_systolic_and_diastolic_wins():
    result = grade_hypertension(125, 95)
    assert result.rule == "BP 125/95 mmHg: SBP 120-139 (grade 1), DBP 90-99 (grade 2) -> grade 2"


def test_non_integer_reading_falls_in_one_band():
    # 120-139 is read as 120 <= SBP < 140
    assert grade_hypertension("139.5", 70).grade == 1


def test_hypertension_through_grade_takes_a_reading_pair():
    assert grade("Hypertension", (160, 85), "mmHg").grade == 3


def test_swapped_reading_is_refused():
    with pytest.raises(ValueError) as caught:
        grade_hypertension(80, 120)
    assert str(caught.value) == "diastolic_mmhg 120: must not exceed systolic_mmhg 80"


def test_hypertension_value_must_be_a_pair():
    with pytest.raises(ValueError) as caught:
        grade("Hypertension", 150, "mmHg")
    assert str(caught.value) == "value 150: must be a (systolic, diastolic) pair in mmHg"
