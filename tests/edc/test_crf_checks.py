"""Derivations and edit checks of the forms beyond haematology, chemistry, vitals, adverse
events and exposure: hard checks refuse the save, soft ones open a discrepancy."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ramunet.clinical.errors import EditCheckFailed, InvalidInput
from ramunet.edc.audit import services as audit
from ramunet.edc.crfs.form_checks import parse_partial_date
from ramunet.edc.crfs.models import (
    Biosample,
    ChromograninA,
    Coagulation,
    ConcomitantMedication,
    Death,
    Demographics,
    Ecog,
    EndOfStudy,
    EndOfTreatment,
    FollowUp,
    MedicalHistory,
    PhysicalExam,
    PregnancyTest,
    PriorTherapy,
    QlqC30,
    TranslationalResult,
    UrineProtein,
)
from ramunet.edc.crfs.services import save_form
from ramunet.edc.sites import services as site_services
from tests.factories import make_patient

TODAY = dt.date(2026, 6, 1)
DAY = dt.date(2026, 2, 2)


@pytest.fixture
def patient(centre_a):
    site_services.add_reference_range(
        "system", centre_a, analyte="ptt", unit="s", lln=Decimal(25), uln=Decimal(36),
        valid_from=dt.date(2019, 1, 1),
    )  # fmt: skip
    site_services.add_reference_range(
        "system", centre_a, analyte="urine_protein_24h", unit="mg/24h", lln=None,
        uln=Decimal(150), valid_from=dt.date(2019, 1, 1),
    )  # fmt: skip
    return make_patient(centre_a)  # consent 2026-01-05, first dose 2026-01-19, born 1960


def save(actor, model, patient, **values):
    values.setdefault("form_date", DAY)
    return save_form(actor, model, patient=patient, values=values, today=TODAY)


def refused(actor, model, patient, **values):
    with pytest.raises(EditCheckFailed) as error:
        save(actor, model, patient, **values)
    return str(error.value)


# -- coagulation ---------------------------------------------------------------------------


def test_ptt_is_flagged_against_the_centre_range(nurse_a, patient):
    result = save(nurse_a, Coagulation, patient, inr=Decimal("1.1"), ptt=Decimal(40))
    assert result.form.derived["ptt"]["flag"] == "H"
    assert result.form.derived["ptt"]["ctcae"] == []
    assert result.form.derived["inr"]["flag"] == "N"  # no INR range at the centre


def test_ptt_at_the_upper_limit_is_normal(nurse_a, patient):
    result = save(nurse_a, Coagulation, patient, ptt=Decimal(36))
    assert result.form.derived["ptt"]["flag"] == "N"


def test_coagulation_unit_must_be_known(nurse_a, patient):
    with pytest.raises(InvalidInput) as error:
        save(nurse_a, Coagulation, patient, ptt=Decimal(30), ptt_unit="min")
    assert str(error.value) == "ptt_unit 'min': unit not recognised; expected one of s"


def test_implausible_inr_opens_a_discrepancy(nurse_a, patient):
    result = save(nurse_a, Coagulation, patient, inr=Decimal(12))
    assert result.open_findings == (
        "inr 12 ratio: outside the plausible range 0.5-10 ratio; confirm against the source",
    )


# -- urine ---------------------------------------------------------------------------------


def test_dipstick_is_graded_for_proteinuria(nurse_a, patient):
    result = save(nurse_a, UrineProtein, patient, dipstick="2+")
    assert result.form.derived["proteinuria"]["grade"] == 2


def test_24h_urine_protein_takes_precedence_over_the_dipstick(nurse_a, patient):
    result = save(
        nurse_a, UrineProtein, patient, dipstick="2+", urine_protein_24h=Decimal("0.5"),
        urine_protein_24h_unit="g/24h",
    )  # fmt: skip
    assert result.form.derived["proteinuria"]["grade"] == 1  # 500 mg/24h: >= ULN, < 1000


def test_urine_form_needs_a_reading_or_a_missing_code(nurse_a, patient):
    assert refused(nurse_a, UrineProtein, patient) == (
        "dipstick: a dipstick reading or a 24-hour urine protein is required"
    )
    assert save(nurse_a, UrineProtein, patient, missing={"dipstick": "ND"}).form.pk


def test_negative_24h_urine_protein_is_refused(nurse_a, patient):
    message = refused(nurse_a, UrineProtein, patient, urine_protein_24h=Decimal(-1))
    assert message == "urine_protein_24h -1: must not be negative"


# -- pregnancy test ------------------------------------------------------------------------


def test_positive_pregnancy_test_asks_to_notify_the_investigator(nurse_a, patient):
    result = save(nurse_a, PregnancyTest, patient, test_type="serum", result="positive")
    assert result.open_findings == (
        "result positive (serum test on 2026-02-02): pregnancy: notify the investigator",
    )


def test_negative_pregnancy_test_opens_nothing(nurse_a, patient):
    result = save(nurse_a, PregnancyTest, patient, test_type="urine", result="negative")
    assert result.opened == ()


def test_pregnancy_result_needs_the_test_type(nurse_a, patient):
    assert refused(nurse_a, PregnancyTest, patient, result="negative") == (
        "test_type: required with a result (serum or urine)"
    )


# -- chromogranin A ------------------------------------------------------------------------


def test_cga_change_from_baseline_is_derived(nurse_a, patient):
    values = {"unit": "ng/mL", "uln": Decimal(100)}
    base = save(nurse_a, ChromograninA, patient, form_date=dt.date(2026, 1, 15),
                value=Decimal(400), **values)  # fmt: skip
    assert base.form.derived == {"biochemical": {"baseline": True}}
    later = save(nurse_a, ChromograninA, patient, value=Decimal(500), **values)
    biochemical = later.form.derived["biochemical"]
    assert biochemical["change_pct"] == "25"  # 400 -> 500: +25.0%, inclusive
    assert biochemical["category"] == "progression"


def test_cga_before_the_first_dose_is_a_baseline_value(nurse_a, patient):
    values = {"unit": "ng/mL", "uln": Decimal(100)}
    save(nurse_a, ChromograninA, patient, form_date=dt.date(2026, 1, 12), value=Decimal(400),
         **values)  # fmt: skip
    on_first_dose = save(nurse_a, ChromograninA, patient, form_date=dt.date(2026, 1, 19),
                         value=Decimal(100), **values)  # fmt: skip
    assert on_first_dose.form.derived == {"biochemical": {"baseline": True}}


def test_cga_baseline_not_above_uln_is_not_evaluable(nurse_a, patient):
    values = {"unit": "ug/L", "uln": Decimal(100)}
    save(nurse_a, ChromograninA, patient, form_date=dt.date(2026, 1, 15), value=Decimal(100),
         **values)  # fmt: skip
    later = save(nurse_a, ChromograninA, patient, value=Decimal(20), **values)
    assert later.form.derived["biochemical"]["category"] == "not evaluable"


def test_cga_unit_must_be_known(nurse_a, patient):
    assert refused(nurse_a, ChromograninA, patient, value=Decimal(10), unit="pmol/L") == (
        "unit 'pmol/L': unit not recognised; expected one of ng/mL, ug/L"
    )


def test_negative_cga_is_refused(nurse_a, patient):
    assert refused(nurse_a, ChromograninA, patient, value=Decimal(-1)) == (
        "value -1: must not be negative"
    )


# -- QLQ-C30 -------------------------------------------------------------------------------


def test_qlq_scale_scores_are_stored(nurse_a, patient):
    answers = {f"q{n}": 2 for n in range(1, 29)} | {"q29": 5, "q30": 5}
    result = save(nurse_a, QlqC30, patient, **answers)
    scores = result.form.derived["scores"]
    # Fayers et al. 2001: functional (1 - (2 - 1) / 3) x 100 = 66.67; symptom 33.33;
    # QL2 (5 - 1) / 6 x 100 = 66.67; summary = mean(5 x 66.67, 8 x (100 - 33.33)) = 66.67
    assert (scores["PF2"], scores["FA"], scores["QL2"], scores["SUMMARY"]) == (
        "66.67", "33.33", "66.67", "66.67",
    )  # fmt: skip


def test_qlq_with_all_items_empty_needs_missing_codes(nurse_a, patient):
    assert refused(nurse_a, QlqC30, patient) == (
        "q1: all 30 items are empty; give each a missing code (ND when the questionnaire was "
        "not done)"
    )
    result = save(nurse_a, QlqC30, patient, missing={f"q{n}": "ND" for n in range(1, 31)})
    assert result.form.derived == {}


def test_qlq_answer_outside_the_item_range_is_refused(nurse_a, patient):
    with pytest.raises(InvalidInput) as error:
        save(nurse_a, QlqC30, patient, q1=5)
    assert error.value.field == "q1"


# -- demographics, ECOG, physical examination ----------------------------------------------


def test_age_at_consent_over_75_opens_a_discrepancy(nurse_a, patient):
    result = save(nurse_a, Demographics, patient, year_of_birth=1950, sex="female")
    assert result.open_findings == (
        "year_of_birth 1950: age at consent 75-76 years may be outside 18-75 (protocol "
        "inclusion); confirm against the source",
    )
    assert result.form.derived["age_at_consent_years"] == {"min": 75, "max": 76}


def test_age_at_consent_of_75_at_most_opens_nothing(nurse_a, patient):
    result = save(nurse_a, Demographics, patient, year_of_birth=1951, sex="female")
    assert result.opened == ()


def test_age_at_consent_under_18_opens_a_discrepancy(nurse_a, patient):
    result = save(nurse_a, Demographics, patient, year_of_birth=2008, sex="female")
    assert [d.rule for d in result.opened] == ["demog.age"]  # 17 or 18


def test_implausible_year_of_birth_is_refused(nurse_a, patient):
    assert refused(nurse_a, Demographics, patient, year_of_birth=1899, sex="male") == (
        "year_of_birth 1899: outside 1900-2026 (the year of consent)"
    )


def test_ki67_over_100_percent_is_refused(nurse_a, patient):
    message = refused(
        nurse_a, Demographics, patient, year_of_birth=1960, sex="male", ki67_percent=Decimal(101)
    )
    assert message == "ki67_percent 101: outside 0-100"


def test_empty_ecog_needs_a_missing_code(nurse_a, patient):
    assert refused(nurse_a, Ecog, patient) == "ecog: empty; give the value or a missing code"
    assert save(nurse_a, Ecog, patient, missing={"ecog": "ND"}).form.pk


def test_height_below_100_cm_is_refused(nurse_a, patient):
    assert refused(nurse_a, PhysicalExam, patient, height_cm=Decimal("99.9")) == (
        "height_cm 99.9: outside 100-230"
    )
    assert save(nurse_a, PhysicalExam, patient, height_cm=Decimal(100)).form.pk


def test_weight_over_300_kg_is_refused(nurse_a, patient):
    assert refused(nurse_a, PhysicalExam, patient, weight_kg=Decimal("300.1")) == (
        "weight_kg 300.1: outside 25-300"
    )


# -- history: partial dates and date order -------------------------------------------------


@pytest.mark.parametrize("text", ["2019", "2019-02", "2019-02-28"])
def test_partial_dates_are_accepted(text):
    assert parse_partial_date(text, "onset")[0] == 2019


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("19", "onset '19': expected YYYY, YYYY-MM or YYYY-MM-DD"),
        ("2019-2", "onset '2019-2': expected YYYY, YYYY-MM or YYYY-MM-DD"),
        ("2019-02-30", "onset '2019-02-30': not a calendar date"),
        ("2019-13", "onset '2019-13': not a calendar date"),
    ],
)
def test_bad_partial_dates_are_refused(text, message):
    with pytest.raises(InvalidInput) as error:
        parse_partial_date(text, "onset")
    assert str(error.value) == message


def test_history_end_before_onset_is_refused(nurse_a, patient):
    message = refused(
        nurse_a, MedicalHistory, patient, condition="diabetes", onset="2019-05", end="2019-04",
        ongoing=False,
    )  # fmt: skip
    assert message == "end '2019-04': before the onset '2019-05'"


def test_history_end_in_the_onset_year_is_accepted(nurse_a, patient):
    result = save(nurse_a, MedicalHistory, patient, condition="diabetes", onset="2019-05",
                  end="2019", ongoing=False)  # fmt: skip
    assert result.form.pk


def test_ongoing_history_with_an_end_is_refused(nurse_a, patient):
    message = refused(nurse_a, MedicalHistory, patient, condition="gout", onset="2019", end="2020")
    assert message == "end 2020: given although ongoing is yes"


def test_prior_therapy_ending_before_its_start_is_refused(nurse_a, patient):
    message = refused(
        nurse_a, PriorTherapy, patient, category="ssa", start_date=dt.date(2023, 1, 10),
        end_date=dt.date(2023, 1, 9),
    )  # fmt: skip
    assert message == "end_date 2023-01-09: before the start 2023-01-10"


def test_medication_ending_on_its_start_day_is_accepted(nurse_a, patient):
    day = dt.date(2025, 1, 1)
    result = save(nurse_a, ConcomitantMedication, patient, medication="paracetamol",
                  start_date=day, end_date=day, ongoing=False)  # fmt: skip
    assert result.form.pk


# -- outcome -------------------------------------------------------------------------------


def test_last_dose_after_the_form_date_is_refused(nurse_a, patient):
    message = refused(nurse_a, EndOfTreatment, patient, last_dose_date=dt.date(2026, 2, 3),
                      reason="toxicity")  # fmt: skip
    assert message == "last_dose_date 2026-02-03: after the form date 2026-02-02"


def test_last_dose_before_the_first_dose_is_refused(nurse_a, patient):
    message = refused(nurse_a, EndOfTreatment, patient, last_dose_date=dt.date(2026, 1, 18),
                      reason="toxicity")  # fmt: skip
    assert message == "last_dose_date 2026-01-18: before the first dose 2026-01-19"


def test_last_dose_on_the_first_dose_day_is_accepted(nurse_a, patient):
    assert save(nurse_a, EndOfTreatment, patient, last_dose_date=dt.date(2026, 1, 19),
                reason="toxicity").form.pk  # fmt: skip


def test_progression_at_follow_up_needs_its_date(nurse_a, patient):
    message = refused(nurse_a, FollowUp, patient, vital_status="alive", progression=True)
    assert message == "progression_date: required when progression is yes"


def test_progression_date_without_progression_is_refused(nurse_a, patient):
    message = refused(nurse_a, FollowUp, patient, vital_status="alive",
                      progression_date=dt.date(2026, 1, 30))  # fmt: skip
    assert message == "progression_date 2026-01-30: given but progression is not yes"


def test_death_before_the_first_dose_is_refused(investigator_a, patient):
    message = refused(investigator_a, Death, patient, death_date=dt.date(2026, 1, 18),
                      cause="other")  # fmt: skip
    assert message == "death_date 2026-01-18: before the first dose 2026-01-19"


def test_death_in_the_future_is_refused(investigator_a, patient):
    message = refused(investigator_a, Death, patient, death_date=dt.date(2026, 6, 2),
                      cause="other")  # fmt: skip
    assert message == "death_date 2026-06-02: lies in the future"


def test_death_today_is_accepted(investigator_a, patient):
    assert save(investigator_a, Death, patient, death_date=TODAY, cause="other").form.pk


def test_end_of_study_before_consent_is_refused(nurse_a, patient):
    message = refused(nurse_a, EndOfStudy, patient, end_date=dt.date(2026, 1, 4),
                      reason="consent_withdrawn")  # fmt: skip
    assert message == "end_date 2026-01-04: before the consent 2026-01-05"


# -- samples -------------------------------------------------------------------------------


def sample(actor, patient, **values):
    return save(actor, Biosample, patient, kind="serum", sample_id="S-1", **values)


def test_sample_shipped_before_collection_is_refused(nurse_a, patient):
    with pytest.raises(EditCheckFailed) as error:
        sample(nurse_a, patient, shipped_on=dt.date(2026, 2, 1))
    assert str(error.value) == "shipped_on 2026-02-01: before the collection 2026-02-02"


def test_sample_received_before_shipping_is_refused(nurse_a, patient):
    with pytest.raises(EditCheckFailed) as error:
        sample(nurse_a, patient, shipped_on=dt.date(2026, 2, 3), received_on=dt.date(2026, 2, 2))
    assert str(error.value) == "received_on 2026-02-02: before shipping 2026-02-03"


def test_sample_received_the_day_it_was_shipped_is_accepted(nurse_a, patient):
    result = sample(nurse_a, patient, shipped_on=DAY, received_on=DAY)
    assert result.form.pk


@pytest.fixture
def pathologist(centre_a):
    from tests.factories import make_person

    return make_person("pathologist", "pathology")


def test_ki67_result_over_100_percent_is_refused(nurse_a, pathologist, patient):
    tissue = sample(nurse_a, patient).form
    with pytest.raises(EditCheckFailed) as error:
        save(pathologist, TranslationalResult, patient, sample=tissue, marker="ki67",
             value=Decimal("100.5"), unit="%")  # fmt: skip
    assert str(error.value) == "value 100.5: outside 0-100%"
    result = save(pathologist, TranslationalResult, patient, sample=tissue, marker="ki67",
                  value=Decimal(100), unit="%")  # fmt: skip
    assert result.form.pk
    assert audit.verify().ok


def test_grading_result_needs_a_who_grade(nurse_a, pathologist, patient):
    tissue = sample(nurse_a, patient).form
    with pytest.raises(EditCheckFailed) as error:
        save(pathologist, TranslationalResult, patient, sample=tissue, marker="grading",
             category="G4")  # fmt: skip
    assert str(error.value) == "category 'G4': expected G1, G2, G3"
