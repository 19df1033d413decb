"""grade_many agrees with the scalar grade, boundaries included (hypothesis), and is validated.

Agreement is the contract of ramunet.clinical.ctcae_vector (its docstring explains how floats
are compared exactly); the cut-offs themselves are tested in test_ctcae_haematology.py,
test_ctcae_chemistry.py and test_ctcae_vitals.py.
"""

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ramunet.clinical.ctcae import grade, grade_hypertension, grade_many
from ramunet.clinical.errors import InvalidInput, UnknownTerm, UnknownUnit

NONE = None
# term, unit, LLN options, ULN options, baseline options, cut-offs, multiples of ULN/baseline
CASES = [
    ("Neutrophil count decreased", "10^9/L", ["1.8", "1.4"], [], [], ["1.5", "1.0", "0.5"], []),
    ("Neutrophil count decreased", "/mm3", ["1800"], [], [], ["1500", "1000", "500"], []),
    ("Platelet count decreased", "10^9/L", ["150", "140"], [], [], ["75.0", "50.0", "25.0"], []),
    ("White blood cell decreased", "/uL", ["4000"], [], [], ["3000", "2000", "1000"], []),
    ("Lymphocyte count decreased", "10^9/L", ["1.0", "0.7"], [], [], ["0.8", "0.5", "0.2"], []),
    ("Anemia", "g/dL", ["12.0", "13.5"], [], [], ["10.0", "8.0"], []),
    ("Anemia", "mmol/L", ["7.4"], [], [], ["6.2", "4.9"], []),
    ("Anemia", "g/L", ["120"], [], [], ["100", "80"], []),
    ("Hypokalemia", "mmol/L", ["3.5"], [], [], ["3.0", "2.5"], []),
    ("Hyponatremia", "mmol/L", ["135"], [], [], ["130", "125", "120"], []),
    ("Hyperkalemia", "mEq/L", [], ["5.1", "5.8"], [], ["5.5", "6.0", "7.0"], []),
    ("Proteinuria", "mg/24h", [], ["150"], [], ["1000", "3500"], []),
    ("Proteinuria", "g/24h", [], ["0.15"], [], ["1.0", "3.5"], []),
    (
        "Blood bilirubin increased",
        "mg/dL",
        [],
        ["1.2", "1.0"],
        [NONE, "0.8", "2.0", "1.5"],
        [],
        ["1.0", "1.5", "3.0", "10.0"],
    ),
    (
        "Aspartate aminotransferase increased",
        "U/L",
        [],
        ["40", "35"],
        [NONE, "30", "60"],
        [],
        ["1.0", "1.5", "3.0", "5.0", "20.0"],
    ),
    (
        "Alanine aminotransferase increased",
        "U/L",
        [],
        ["33.3"],
        [NONE, "49.95"],
        [],
        ["1.0", "1.5", "3.0", "5.0", "20.0"],
    ),
    (
        "Alkaline phosphatase increased",
        "U/L",
        [],
        ["120"],
        [NONE, "90", "150"],
        [],
        ["1.0", "2.0", "2.5", "5.0", "20.0"],
    ),
    (
        "Creatinine increased",
        "mg/dL",
        [],
        ["1.2", "1.0"],
        [NONE, "0.6", "1.0", "1.5"],
        [],
        ["1.0", "1.5", "3.0", "6.0"],
    ),
    (
        "Creatinine increased",
        "umol/L",
        [],
        ["106.08"],
        [NONE, "53.04", "88.4"],
        [],
        ["1.0", "1.5", "3.0", "6.0"],
    ),
]
NUDGES = [
    Decimal(0),
    *(sign * Decimal(step) for step in ("0.01", "0.001", "1e-12") for sign in (1, -1)),
]


def _candidates(cuts, limits, multiples):
    points = {Decimal(c) for c in cuts} | {Decimal(x) for x in limits if x is not None}
    points |= {Decimal(m) * Decimal(x) for m in multiples for x in limits if x is not None}
    return sorted(float(p + n) for p in points for n in NUDGES if p + n >= 0)


def _limit_arrays(draw, options, n):
    """One shared limit (as its decimal string) or one per value (floats, NaN = missing)."""
    if not options:
        return None
    if draw(st.booleans()):
        return draw(st.sampled_from(options))
    chosen = draw(st.lists(st.sampled_from(options), min_size=n, max_size=n))
    return np.array([np.nan if c is None else float(c) for c in chosen])


def _at(limit, index):
    if isinstance(limit, np.ndarray):
        value = float(limit[index])
        return None if np.isnan(value) else value
    return limit


@pytest.mark.parametrize(
    ("term", "unit", "llns", "ulns", "baselines", "cuts", "multiples"),
    CASES,
    ids=[f"{case[0]} [{case[1]}]" for case in CASES],
)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_vectorised_grades_equal_scalar_grades(
    term, unit, llns, ulns, baselines, cuts, multiples, data
):
    limits = llns + ulns + [b for b in baselines if b is not None]
    near = st.sampled_from(_candidates(cuts, limits, multiples))
    anywhere = st.floats(min_value=0, max_value=5000, allow_nan=False, allow_infinity=False)
    short = st.decimals(min_value=0, max_value=5000, places=2).map(float)
    n = data.draw(st.integers(min_value=1, max_value=25))
    values = np.array(
        data.draw(st.lists(st.one_of(near, near, short, anywhere), min_size=n, max_size=n))
    )
    lln = _limit_arrays(data.draw, llns, n)
    uln = _limit_arrays(data.draw, ulns, n)
    baseline = _limit_arrays(data.draw, baselines, n) if baselines else None
    if isinstance(baseline, str | type(None)) and baselines and data.draw(st.booleans()):
        baseline = None
    got = grade_many(term, values, unit, lln=lln, uln=uln, baseline=baseline)
    expected = [
        grade(term, float(v), unit, _at(lln, i), _at(uln, i), _at(baseline, i)).grade
        for i, v in enumerate(values)
    ]
    assert got.tolist() == expected


def test_float_ties_at_a_multiple_of_a_per_value_uln_are_exact():
    # 1.5 x 1.2 is 1.7999999999999998 in floats: 1.8 must stay grade 1
    grades = grade_many("Blood bilirubin increased", [1.8, 1.81], "mg/dL", uln=np.array([1.2, 1.2]))
    assert grades.tolist() == [1, 2]


def test_float_path_regrades_ties_exactly():
    # 1/3 has no short decimal form, so the float path runs; 1.8 is re-graded with Decimal
    values = [1 / 3, 1.8, 1.81]
    grades = grade_many("Blood bilirubin increased", values, "mg/dL", uln=np.full(3, 1.2))
    assert grades.tolist() == [0, 1, 2]


def test_nan_baseline_means_no_baseline():
    grades = grade_many("AST increased", [89, 89], "U/L", uln=40, baseline=[60, np.nan])
    assert grades.tolist() == [0, 1]


def test_shape_is_kept():
    values = np.array([[2.0, 1.2], [0.7, 0.3]])
    grades = grade_many("Neutrophil count decreased", values, "10^9/L", lln=1.8)
    assert (grades.shape, grades.dtype, grades.tolist()) == ((2, 2), np.int8, [[0, 2], [3, 4]])


@settings(max_examples=100, deadline=None)
@given(
    readings=st.lists(
        st.tuples(
            st.integers(min_value=90, max_value=230), st.integers(min_value=40, max_value=89)
        ).map(lambda r: (r[0], min(r[1] + (r[0] - 90) // 2, r[0]))),
        min_size=1,
        max_size=30,
    )
)
def test_vectorised_hypertension_equals_scalar(readings):
    got = grade_many("Hypertension", np.array(readings, dtype=float), "mmHg")
    assert got.tolist() == [grade_hypertension(s, d).grade for s, d in readings]


def test_negative_value_is_refused_with_its_index():
    with pytest.raises(InvalidInput) as caught:
        grade_many("Anemia", [12, 11, -1], "g/dL", lln=12)
    assert str(caught.value) == "values -1.0: must be finite and >= 0; first offending at index 2"


def test_nan_value_is_refused_with_its_index():
    with pytest.raises(InvalidInput) as caught:
        grade_many("Anemia", [np.nan], "g/dL", lln=12)
    assert str(caught.value) == "values nan: must be finite and >= 0; first offending at index 0"


def test_bad_limit_in_array_is_refused_with_its_index():
    with pytest.raises(InvalidInput) as caught:
        grade_many("AST increased", [50, 60], "U/L", uln=[40, 0])
    assert str(caught.value) == "uln 0.0: must be finite and > 0; first offending at index 1"


def test_limit_of_wrong_shape_is_refused():
    with pytest.raises(InvalidInput) as caught:
        grade_many("AST increased", [50, 60, 70], "U/L", uln=[40, 40])
    assert str(caught.value) == (
        "uln: must be a number or an array of numbers broadcasting to shape (3,)"
    )


def test_missing_lln_is_refused_in_bulk_too():
    with pytest.raises(InvalidInput) as caught:
        grade_many("Hyponatremia", [130], "mmol/L")
    assert str(caught.value) == "lln: required to grade Hyponatremia"


def test_unknown_term_and_unit_are_refused_in_bulk_too():
    with pytest.raises(UnknownTerm):
        grade_many("Fatigue", [1], "U/L")
    with pytest.raises(UnknownUnit) as caught:
        grade_many("AST increased", [1], "ukat/L", uln=40)
    assert str(caught.value) == "unit 'ukat/L': unit not recognised; expected one of U/L"


def test_dipstick_is_not_graded_in_bulk():
    with pytest.raises(InvalidInput) as caught:
        grade_many("Proteinuria", [1], "dipstick")
    assert (
        str(caught.value)
        == "unit 'dipstick': dipstick readings are graded with grade(), one at a time"
    )


def test_swapped_bulk_reading_is_refused():
    with pytest.raises(InvalidInput) as caught:
        grade_many("Hypertension", [[120, 80], [80, 120]], "mmHg")
    assert str(caught.value) == (
        "values (80.0, 120.0): diastolic must not exceed systolic; first offending at index 1"
    )
