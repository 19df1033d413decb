"""Validation of posted screening data: exact messages naming the dotted field and the rule."""

from datetime import date
from decimal import Decimal

import pytest

from ramunet.clinical.errors import InvalidInput, UnknownTerm, UnknownUnit
from ramunet.protocol.eligibility import evaluate_eligibility
from ramunet.protocol.screening import ScreeningData, Sex
from ramunet.protocol.screening_input import screening_from_dict
from tests.protocol.candidates import BASELINE, days_before, lab, make_candidate, with_lab


def message(payload) -> str:
    with pytest.raises(InvalidInput) as error:
        screening_from_dict(payload)
    return str(error.value)


def test_baseline_parses():
    data = screening_from_dict(make_candidate())
    assert (data.sex, data.planned_first_dose_date) == (Sex.FEMALE, date(2026, 3, 16))
    assert data.labs[0].value == Decimal("0.9")


def test_unknown_sex():
    with pytest.raises(UnknownTerm) as error:
        screening_from_dict(make_candidate(sex="x"))
    assert str(error.value) == "sex 'x': not recognised; expected female, male"


def test_sex_required():
    assert message(make_candidate(sex=None)) == "sex: is required"


def test_consent_after_first_dose():
    assert message(make_candidate(consent_date="2026-03-17")) == (
        "consent_date '2026-03-17': must not be after planned_first_dose_date 2026-03-16"
    )


def test_consent_on_first_dose_day_is_valid():
    data = screening_from_dict(make_candidate(consent_date="2026-03-16"))
    assert data.consent_date == date(2026, 3, 16)


def test_birth_after_consent():
    assert message(make_candidate(date_of_birth="2026-03-03")) == (
        "date_of_birth '2026-03-03': must not be after consent_date 2026-03-02"
    )


def test_not_a_date():
    assert message(make_candidate(planned_first_dose_date="16.03.2026")) == (
        "planned_first_dose_date '16.03.2026': is not a date; expected YYYY-MM-DD"
    )


def test_date_out_of_range():
    assert message(make_candidate(planned_first_dose_date="2200-01-01")) == (
        "planned_first_dose_date '2200-01-01': must be between 1900-01-01 and 2100-12-31"
    )


def test_unknown_field():
    assert message(make_candidate(colour="blue")).startswith(
        "colour: not a recognised field; expected sex, date_of_birth, consent_date, "
    )


def test_payload_must_be_object():
    assert message([1, 2]) == "screening: must be an object, not list"


def test_negative_count():
    assert message(with_lab(make_candidate(), lab("anc", "-5", "/mm3"))) == (
        "labs.8.value '-5': must not be negative"
    )


def test_unknown_unit():
    with pytest.raises(UnknownUnit) as error:
        screening_from_dict(with_lab(make_candidate(), lab("anc", "5", "mmol/L")))
    assert str(error.value) == (
        "labs.8.unit 'mmol/L': unit not recognised; expected one of 10^9/L, 10^3/uL, /mm3, /uL"
    )


def test_unknown_analyte():
    assert message(with_lab(make_candidate(), lab("foo", "5", "U/L"))).startswith(
        "labs.9.analyte 'foo': not recognised; expected albumin, alp, alt, anc, ast, "
    )


@pytest.mark.parametrize(
    ("analyte", "unit"), [("creatinine", "mg/dL"), ("ast", "U/L"), ("alt", "U/L"), ("ptt", "s")]
)
def test_x_uln_analyte_without_uln(analyte, unit):
    assert message(with_lab(make_candidate(), lab(analyte, "1", unit))) == (
        f"labs.8.uln: is required for the x ULN rule of {analyte}"
    )


def test_zero_uln():
    assert message(with_lab(make_candidate(), lab("creatinine", "1", "mg/dL", uln="0"))) == (
        "labs.8.uln '0': must be greater than 0"
    )


def test_lln_above_uln():
    candidate = with_lab(make_candidate(), lab("creatinine", "1", "mg/dL", uln="1", lln="2"))
    assert message(candidate) == "labs.8.lln '2': must not exceed uln 1"


def test_not_a_number():
    assert message(with_lab(make_candidate(), lab("anc", "NaN", "/mm3"))) == (
        "labs.8.value 'NaN': must be a finite number"
    )


def test_implausibly_large_value():
    assert message(with_lab(make_candidate(), lab("anc", "1e12", "/mm3"))) == (
        "labs.8.value '1E+12': must be below 1e9"
    )


def test_too_many_decimal_places():
    assert message(with_lab(make_candidate(), lab("creatinine", "1", "mg/dL", uln="1e-20"))) == (
        "labs.8.uln '1E-20': must have at most 6 decimal places"
    )


def test_six_decimal_places_accepted():
    candidate = with_lab(make_candidate(), lab("creatinine", "0.000001", "mg/dL", uln="1.2"))
    assert screening_from_dict(candidate).labs[-1].value == Decimal("0.000001")


def test_lab_after_first_dose():
    candidate = with_lab(make_candidate(), lab("inr", "1", "ratio", days=-1))
    assert message(candidate) == (
        "labs.8.date '2026-03-17': must not be after planned_first_dose_date 2026-03-16"
    )


def test_lab_on_first_dose_day_is_valid():
    candidate = with_lab(make_candidate(), lab("inr", "1", "ratio", days=0))
    assert screening_from_dict(candidate).labs[-1].date == date(2026, 3, 16)


def test_negative_hypertension_days():
    assert message(make_candidate(uncontrolled_hypertension_days=-1)) == (
        "uncontrolled_hypertension_days -1: must not be negative"
    )


def test_ecog_out_of_range():
    assert message(make_candidate(ecog={"value": 6, "date": days_before(1)})) == (
        "ecog.value 6: must be 0, 1, 2, 3, 4 or 5"
    )


def test_ecog_boolean_is_not_a_number():
    assert message(make_candidate(ecog={"value": True, "date": days_before(1)})) == (
        "ecog.value True: must be a whole number"
    )


def test_unknown_grade():
    assert message(make_candidate(tumour={**BASELINE["tumour"], "grade": "G4"})) == (
        "tumour.grade 'G4': not recognised; expected G1, G2, G3"
    )


def test_ki67_above_100():
    assert message(make_candidate(tumour={**BASELINE["tumour"], "ki67_percent": "101"})) == (
        "tumour.ki67_percent '101': must be between 0 and 100"
    )


def test_unknown_dipstick_result():
    candidate = make_candidate(urine_dipsticks=[{"result": "5+", "date": days_before(1)}])
    assert message(candidate) == (
        "urine_dipsticks.0.result '5+': not recognised; expected negative, trace, 1+, 2+, 3+, 4+"
    )


def test_boolean_must_be_true_or_false():
    assert message(make_candidate(liver_metastases="yes")) == (
        "liver_metastases 'yes': must be true or false"
    )


def test_man_cannot_have_childbearing_potential():
    assert message(make_candidate(sex="male", childbearing_potential=True)) == (
        "childbearing_potential True: must not be true for sex 'male'"
    )


def test_history_item_needs_date_unless_ongoing():
    assert message(make_candidate(medical_history=[{"kind": "major_surgery"}])) == (
        "medical_history.0.date: is required unless the event is ongoing"
    )


def test_therapy_end_before_start():
    therapy = {"category": "ssa", "agent": "octreotide", "start_date": "2025-01-01",
               "end_date": "2024-01-01", "progression": True}  # fmt: skip
    assert message(make_candidate(prior_therapies=[therapy])) == (
        "prior_therapies.0.end_date '2024-01-01': must not be before start_date 2025-01-01"
    )


def test_negative_aspirin_dose():
    medication = {"name": "ASA", "category": "aspirin", "daily_dose_mg": "-1"}
    assert message(make_candidate(concomitant_medications=[medication])) == (
        "concomitant_medications.0.daily_dose_mg '-1': must not be negative"
    )


def test_unknown_key_in_nested_object():
    assert message(make_candidate(imaging={"date": days_before(1), "measurable": True})) == (
        "imaging.measurable: not a recognised field; expected date, measurable_disease"
    )


def test_list_expected():
    assert message(make_candidate(labs="x")) == "labs: must be a list, not str"


def test_typed_input_is_validated_too():
    data = ScreeningData(
        sex=Sex.FEMALE,
        date_of_birth=date(1960, 1, 1),
        consent_date=date(2026, 3, 20),
        planned_first_dose_date=date(2026, 3, 16),
    )
    with pytest.raises(InvalidInput, match=r"^consent_date '2026-03-20': must not be after"):
        evaluate_eligibility(data)


def test_minimal_record_is_incomplete_not_an_error():
    data = ScreeningData(
        sex=Sex.MALE,
        date_of_birth=date(1960, 1, 1),
        consent_date=date(2026, 3, 2),
        planned_first_dose_date=date(2026, 3, 16),
    )
    assert evaluate_eligibility(data).verdict == "incomplete"
