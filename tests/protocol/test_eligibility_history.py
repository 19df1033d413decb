"""EX02-EX16: exclusions from history, medication and attestations, window edges both sides.

Source: RamuNET protocol "Exclusion criteria"; PROTOCOL-NOTES.md "Population" (windows counted
back from the first dose, boundary inside, calendar months). First dose: 2026-03-16.
"""

import pytest

from tests.protocol.candidates import (
    days_before,
    make_candidate,
    reason,
    state,
    with_attestation,
)
from tests.protocol.candidates import history as event

MET, NOT_MET, MISSING = "met", "not met", "data missing"


def with_history(*items):
    return make_candidate(medical_history=list(items))


# EX02 secondary malignancy ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("since", "expected"),
    [("2021-03-15", MET), ("2021-03-16", NOT_MET)],  # > 5 years before 2026-03-16
)
def test_ex02_disease_free_more_than_5_years_edge(since, expected):
    candidate = make_candidate(
        other_malignancies=[{"kind": "other", "disease_free_since": since, "term": "breast"}]
    )
    assert state(candidate, "EX02") == expected


def test_ex02_reason_quotes_limit():
    candidate = make_candidate(
        other_malignancies=[
            {"kind": "other", "disease_free_since": "2021-03-16", "term": "breast cancer"}
        ]
    )
    assert reason(candidate, "EX02") == (
        "breast cancer: disease-free since 2021-03-16, not > 5 years (limit 2021-03-16)"
    )


@pytest.mark.parametrize("kind", ["basalioma_skin", "cervical_carcinoma"])
def test_ex02_successfully_treated_exceptions(kind):
    candidate = make_candidate(
        other_malignancies=[{"kind": kind, "disease_free_since": days_before(60)}]
    )
    assert state(candidate, "EX02") == MET


def test_ex02_active_malignancy_excludes():
    candidate = make_candidate(
        other_malignancies=[{"kind": "cervical_carcinoma", "disease_free_since": None}]
    )
    assert state(candidate, "EX02") == NOT_MET


def test_ex02_not_recorded_is_data_missing():
    assert state(make_candidate(other_malignancies=None), "EX02") == MISSING


# EX03 allergy -----------------------------------------------------------------------------


@pytest.mark.parametrize(("answer", "expected"), [(True, NOT_MET), (False, MET), (None, MISSING)])
def test_ex03_allergy(answer, expected):
    assert state(make_candidate(allergy_to_study_drugs=answer), "EX03") == expected


# EX04 other trial -------------------------------------------------------------------------


@pytest.mark.parametrize(("days", "expected"), [(28, NOT_MET), (29, MET)])
def test_ex04_other_trial_4_week_edge(days, expected):
    assert state(with_history(event("clinical_trial", days)), "EX04") == expected


def test_ex04_current_enrolment_excludes():
    assert state(with_history(event("clinical_trial", ongoing=True)), "EX04") == NOT_MET


# Month windows: EX05 (6), EX09 (3), EX10 (3), EX13 (6) --------------------------------------


@pytest.mark.parametrize(
    ("criterion_id", "kind", "inside", "outside"),
    [
        ("EX05", "arterial_thromboembolism", "2025-09-16", "2025-09-15"),
        ("EX09", "gi_bleeding_grade_3_4", "2025-12-16", "2025-12-15"),
        ("EX10", "venous_thromboembolism", "2025-12-16", "2025-12-15"),
        ("EX13", "gi_perforation_fistula", "2025-09-16", "2025-09-15"),
    ],
)
def test_month_window_edges(criterion_id, kind, inside, outside):
    assert state(with_history(event(kind, on=inside)), criterion_id) == NOT_MET
    assert state(with_history(event(kind, on=outside)), criterion_id) == MET


def test_ex05_reason_quotes_event_and_window():
    candidate = with_history(event("arterial_thromboembolism", on="2025-10-01", term="NSTEMI"))
    assert reason(candidate, "EX05") == (
        "NSTEMI on 2025-10-01: within 6 months before the first dose (since 2025-09-16)"
    )


def test_ex05_older_event_quoted_when_clear():
    candidate = with_history(event("arterial_thromboembolism", on="2025-01-01", term="TIA"))
    assert reason(candidate, "EX05") == (
        "no arterial thromboembolic event since 2025-09-16 (6 months before the first dose) "
        "(TIA on 2025-01-01: older)"
    )


def test_month_window_counts_calendar_months_from_month_end():
    # first dose 31 August: 3 calendar months back is 31 May; 30 May is outside
    candidate = make_candidate(
        consent_date="2026-08-20",
        planned_first_dose_date="2026-08-31",
        imaging=None,
        ecog=None,
        labs=[],
        urine_dipsticks=[],
        pregnancy_tests=[],
        medical_history=[event("gi_bleeding_grade_3_4", on="2026-05-30")],
    )
    assert state(candidate, "EX09") == MET


def test_ex10_port_thrombosis_is_not_significant():
    candidate = with_history(event("minor_venous_thrombosis", 10, term="port thrombosis"))
    assert state(candidate, "EX10") == MET


def test_history_not_recorded_is_data_missing():
    assert state(make_candidate(medical_history=None), "EX05") == MISSING


# EX06 cirrhosis ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cirrhosis", "expected"),
    [
        ({"present": False}, MET),
        ({"present": True, "child_pugh": "A"}, MET),
        ({"present": True, "child_pugh": "B"}, NOT_MET),
        ({"present": True, "child_pugh": "C"}, NOT_MET),
        ({"present": True, "child_pugh": "A", "hepatic_encephalopathy": True}, NOT_MET),
        ({"present": True, "child_pugh": "A", "ascites_requiring_treatment": True}, NOT_MET),
        ({"present": True}, MISSING),
        (None, MISSING),
    ],
)
def test_ex06_cirrhosis(cirrhosis, expected):
    assert state(make_candidate(liver_cirrhosis=cirrhosis), "EX06") == expected


# EX07 hypertension ------------------------------------------------------------------------


@pytest.mark.parametrize(("days", "expected"), [(28, MET), (29, NOT_MET), (None, MISSING)])
def test_ex07_uncontrolled_hypertension_4_week_edge(days, expected):
    assert state(make_candidate(uncontrolled_hypertension_days=days), "EX07") == expected


# EX08 antiplatelet ------------------------------------------------------------------------


def medication(category, dose=None, chronic=True, name=""):
    return {"name": name or category, "category": category, "daily_dose_mg": dose,
            "chronic": chronic}  # fmt: skip


@pytest.mark.parametrize(("dose", "expected"), [("325", MET), ("325.5", NOT_MET)])
def test_ex08_aspirin_325_mg_edge(dose, expected):
    candidate = make_candidate(concomitant_medications=[medication("aspirin", dose)])
    assert state(candidate, "EX08") == expected


def test_ex08_aspirin_without_dose_is_data_missing():
    candidate = make_candidate(concomitant_medications=[medication("aspirin")])
    assert state(candidate, "EX08") == MISSING


@pytest.mark.parametrize("category", ["nsaid", "clopidogrel", "dipyridamole", "other_antiplatelet"])
def test_ex08_other_chronic_antiplatelet_excludes(category):
    candidate = make_candidate(concomitant_medications=[medication(category, "75")])
    assert state(candidate, "EX08") == NOT_MET


def test_ex08_occasional_nsaid_does_not_exclude():
    candidate = make_candidate(concomitant_medications=[medication("nsaid", "400", chronic=False)])
    assert state(candidate, "EX08") == MET


def test_ex08_reason_names_drug():
    candidate = make_candidate(
        concomitant_medications=[medication("clopidogrel", "75", name="Plavix")]
    )
    assert reason(candidate, "EX08") == "chronic clopidogrel: Plavix"


def test_ex08_not_recorded_is_data_missing():
    assert state(make_candidate(concomitant_medications=None), "EX08") == MISSING


# Attestations EX11, EX12, EX15 ------------------------------------------------------------


@pytest.mark.parametrize(
    ("criterion_id", "key"),
    [
        ("EX11", "uncontrolled_severe_disorder"),
        ("EX12", "bleeding_risk_condition"),
        ("EX15", "planned_major_surgery"),
    ],
)
@pytest.mark.parametrize(("answer", "expected"), [(True, NOT_MET), (False, MET), (None, MISSING)])
def test_excluding_attestations(criterion_id, key, answer, expected):
    assert state(with_attestation(make_candidate(), **{key: answer}), criterion_id) == expected


# EX13 perforation risk factors ------------------------------------------------------------


def test_ex13_risk_factors_exclude():
    candidate = with_attestation(make_candidate(), perforation_risk_factors=True)
    assert state(candidate, "EX13") == NOT_MET


def test_ex13_risk_factors_not_recorded_is_data_missing():
    candidate = with_attestation(make_candidate(), perforation_risk_factors=None)
    assert state(candidate, "EX13") == MISSING


# EX14 surgery, EX16 wounds ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "inside_days", "outside_days"),
    [
        ("major_surgery", 28, 29),
        ("minor_surgery", 7, 8),
        ("venous_access_device", 7, 8),
    ],
)
def test_ex14_surgery_window_edges(kind, inside_days, outside_days):
    assert state(with_history(event(kind, inside_days)), "EX14") == NOT_MET
    assert state(with_history(event(kind, outside_days)), "EX14") == MET


def test_ex14_minor_surgery_10_days_before_is_clear():
    assert state(with_history(event("minor_surgery", 10)), "EX14") == MET


@pytest.mark.parametrize(("days", "expected"), [(28, NOT_MET), (29, MET)])
def test_ex16_wound_window_edge(days, expected):
    assert state(with_history(event("wound_ulcer_fracture", days)), "EX16") == expected


def test_ex16_ongoing_nonhealing_wound_excludes():
    candidate = with_history(event("wound_ulcer_fracture", 200, ongoing=True, term="leg ulcer"))
    assert reason(candidate, "EX16") == (
        "leg ulcer ongoing: within 28 days before the first dose (since 2026-02-16)"
    )
