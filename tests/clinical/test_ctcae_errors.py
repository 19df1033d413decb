"""CTCAE grading refuses bad input, naming the field (STYLE.md: exact messages)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ramunet.clinical.ctcae import GRADED_TERMS, LAB_TERMS, grade
from ramunet.clinical.errors import InvalidInput, UnknownTerm, UnknownUnit


def test_unknown_term_is_refused_with_the_graded_terms():
    with pytest.raises(UnknownTerm) as caught:
        grade("Nausea", 1, "mg/dL")
    assert caught.value.field == "term"
    assert str(caught.value) == f"term 'Nausea': not recognised; expected {', '.join(GRADED_TERMS)}"


def test_unknown_unit_is_refused_with_the_terms_units():
    with pytest.raises(UnknownUnit) as caught:
        grade("Creatinine increased", 1, "mmol/L", uln="1.2")
    assert caught.value.field == "unit"
    assert str(caught.value) == "unit 'mmol/L': unit not recognised; expected one of mg/dL, umol/L"


def test_missing_lln_is_refused():
    with pytest.raises(InvalidInput) as caught:
        grade("Neutrophil count decreased", "1.2", "10^9/L")
    assert str(caught.value) == "lln: required to grade Neutrophil count decreased"


def test_missing_uln_is_refused():
    with pytest.raises(InvalidInput) as caught:
        grade("AST increased", 50, "U/L", baseline=30)
    assert str(caught.value) == "uln: required to grade Aspartate aminotransferase increased"


def test_negative_value_is_refused():
    with pytest.raises(InvalidInput) as caught:
        grade("Anemia", "-1", "g/dL", lln="12")
    assert str(caught.value) == "value '-1': must be >= 0"


def test_non_number_is_refused():
    with pytest.raises(InvalidInput) as caught:
        grade("Anemia", "abc", "g/dL", lln="12")
    assert str(caught.value) == "value 'abc': is not a number"


def test_zero_limit_is_refused():
    with pytest.raises(InvalidInput) as caught:
        grade("Anemia", "9", "g/dL", lln=0)
    assert str(caught.value) == "lln 0: must be > 0"


def test_unknown_dipstick_reading_is_refused():
    with pytest.raises(InvalidInput) as caught:
        grade("Proteinuria", "5+", "dipstick")
    assert str(caught.value) == (
        "value '5+': not a dipstick reading; expected negative, trace, 1+, 2+, 3+, 4+"
    )


def test_term_and_unit_spellings_are_folded():
    assert grade("  blood BILIRUBIN increased ", "30", "µmol/l", uln="17.1").grade == 2


NUMERIC_TERMS = [spec.term for spec in LAB_TERMS if spec.term != "Hypertension"]
UNITS = {
    "Neutrophil count decreased": "/uL",
    "Platelet count decreased": "10^9/L",
    "White blood cell decreased": "10^3/uL",
    "Lymphocyte count decreased": "/mm3",
    "Anemia": "g/dL",
    "Blood bilirubin increased": "umol/L",
    "Aspartate aminotransferase increased": "U/L",
    "Alanine aminotransferase increased": "IU/L",
    "Alkaline phosphatase increased": "U/L",
    "Creatinine increased": "mg/dL",
    "Proteinuria": "g/24h",
    "Hypokalemia": "mEq/L",
    "Hyperkalemia": "mmol/L",
    "Hyponatremia": "mmol/L",
}
positive = st.decimals(min_value="0.001", max_value="100000", places=3)


@given(
    st.sampled_from(NUMERIC_TERMS),
    st.decimals(min_value=0, max_value="100000", places=3),
    positive,
    positive,
    st.one_of(st.none(), positive),
)
def test_any_valid_value_grades_0_to_4_with_its_rule(term, value, lln, uln, baseline):
    result = grade(term, value, UNITS[term], lln=lln, uln=uln, baseline=baseline)
    assert 0 <= result.grade <= 4
    assert result.rule.endswith(f"-> grade {result.grade}")


@given(st.sampled_from(NUMERIC_TERMS), st.decimals(max_value="-0.001", allow_nan=False))
def test_negative_value_is_refused_naming_the_value(term, value):
    with pytest.raises(InvalidInput) as caught:
        grade(term, value, UNITS[term], lln=1, uln=1)
    assert caught.value.field == "value"
