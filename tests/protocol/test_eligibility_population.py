"""IN01-IN06, IN11-IN14 and EX01: each met and not met, every boundary on both sides.

Source: RamuNET protocol "Inclusion criteria"/"Exclusion criteria"; PROTOCOL-NOTES.md.
"""

from decimal import Decimal

import pytest

from ramunet.protocol.settings import ProtocolSettings, TemozolomideRule
from tests.protocol.candidates import (
    BASELINE,
    days_before,
    evaluate,
    make_candidate,
    reason,
    state,
    with_attestation,
)

MET, NOT_MET, MISSING, CONFIRM = (
    "met",
    "not met",
    "data missing",
    "investigator confirmation needed",
)


def tumour(**changes):
    return make_candidate(tumour={**BASELINE["tumour"], **changes})


# IN01 histology ---------------------------------------------------------------------------


def test_in01_g2_pnet_met():
    assert reason(make_candidate(), "IN01") == (
        "non-functional pNET G2, Ki-67 8%, metastatic, unresectable"
    )


def test_in01_g3_not_met():
    assert reason(tumour(grade="G3"), "IN01") == "grade G3 not in G1, G2"


def test_in01_nec_not_met():
    assert state(tumour(differentiation="poor"), "IN01") == NOT_MET


def test_in01_ki67_20_percent_met():
    assert state(tumour(ki67_percent="20"), "IN01") == MET


def test_in01_ki67_above_20_percent_not_met():
    assert reason(tumour(ki67_percent="20.1"), "IN01") == "Ki-67 20.1% > 20%"


def test_in01_resectable_not_met():
    assert reason(tumour(resectable=True), "IN01") == "resectable"


def test_in01_not_metastatic_not_met():
    assert reason(tumour(metastatic=False), "IN01") == "not metastatic"


def test_in01_non_pancreatic_not_met():
    assert reason(tumour(primary_site="ileum"), "IN01") == "primary site 'ileum', not pancreas"


def test_in01_not_histologically_confirmed_not_met():
    assert state(tumour(histologically_confirmed=False), "IN01") == NOT_MET


def test_in01_missing_tumour_is_data_missing():
    assert state(make_candidate(tumour=None), "IN01") == MISSING


def test_in01_g3_allowed_by_amended_settings():
    amended = ProtocolSettings(allowed_grades=("G1", "G2", "G3"), ki67_max_percent=Decimal(55))
    assert state(tumour(grade="G3", ki67_percent="55"), "IN01", amended) == MET


# IN02 age ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "expected"),
    [
        ("2008-03-02", MET),  # 18th birthday on the consent date 2026-03-02
        ("2008-03-03", NOT_MET),  # 18th birthday the day after consent: 17
        ("1950-03-03", MET),  # 75 completed years, 76th birthday tomorrow
        ("1950-03-02", NOT_MET),  # 76th birthday on the consent date
    ],
)
def test_in02_age_edges(born, expected):
    assert state(make_candidate(date_of_birth=born), "IN02") == expected


def test_in02_reason_quotes_age():
    assert reason(make_candidate(date_of_birth="2008-03-03"), "IN02") == (
        "age 17 years at consent 2026-03-02, outside 18-75"
    )


def test_in02_29_february_birthday_turns_18_on_1_march():
    candidate = make_candidate(
        date_of_birth="2008-02-29", consent_date="2026-03-01", planned_first_dose_date="2026-03-16"
    )
    assert state(candidate, "IN02") == MET


def test_in02_29_february_birthday_still_17_on_28_february():
    candidate = make_candidate(date_of_birth="2008-02-29", consent_date="2026-02-28")
    assert state(candidate, "IN02") == NOT_MET


def test_in02_age_80_allowed_by_amended_settings():
    candidate = make_candidate(date_of_birth="1946-03-01")
    assert state(candidate, "IN02", ProtocolSettings(age_max_years=80)) == MET


# IN03 measurable disease ------------------------------------------------------------------


def test_in03_no_measurable_disease_not_met():
    candidate = make_candidate(imaging={"date": days_before(10), "measurable_disease": False})
    assert state(candidate, "IN03") == NOT_MET


def test_in03_imaging_28_days_before_counts():
    candidate = make_candidate(imaging={"date": days_before(28), "measurable_disease": True})
    assert state(candidate, "IN03") == MET


def test_in03_imaging_29_days_before_is_data_missing():
    candidate = make_candidate(imaging={"date": days_before(29), "measurable_disease": True})
    assert reason(candidate, "IN03") == (
        "baseline imaging of 2026-02-15 is 29 days before the first dose (> 28): repeat"
    )
    assert state(candidate, "IN03") == MISSING


# IN04 prior therapy -----------------------------------------------------------------------


def therapy(category, progression=True, agent="", end="2025-12-01"):
    return {
        "category": category,
        "agent": agent or category,
        "start_date": "2025-01-01",
        "end_date": end,
        "progression": progression,
    }


@pytest.mark.parametrize("category", ["chemotherapy", "ssa", "everolimus", "sunitinib", "prrt"])
def test_in04_progression_under_qualifying_therapy_met(category):
    assert state(make_candidate(prior_therapies=[therapy(category)]), "IN04") == MET


def test_in04_no_progression_not_met():
    candidate = make_candidate(prior_therapies=[therapy("ssa", progression=False)])
    assert state(candidate, "IN04") == NOT_MET


def test_in04_progression_under_other_therapy_only_not_met():
    assert state(make_candidate(prior_therapies=[therapy("other")]), "IN04") == NOT_MET


def test_in04_no_prior_therapy_not_met():
    assert state(make_candidate(prior_therapies=[]), "IN04") == NOT_MET


def test_in04_any_prior_dtic_not_met():
    candidate = make_candidate(
        prior_therapies=[therapy("ssa"), therapy("dacarbazine", progression=False, agent="DTIC")]
    )
    assert reason(candidate, "IN04") == "prior dacarbazine (DTIC): no prior DTIC allowed"


def test_in04_prior_temozolomide_needs_confirmation():
    candidate = make_candidate(
        prior_therapies=[therapy("ssa"), therapy("temozolomide", progression=False)]
    )
    assert state(candidate, "IN04") == CONFIRM
    assert evaluate(candidate).verdict == "needs review"


def test_in04_temozolomide_excluded_by_setting():
    candidate = make_candidate(prior_therapies=[therapy("ssa"), therapy("temozolomide")])
    settings = ProtocolSettings(temozolomide_rule=TemozolomideRule.EXCLUDE)
    assert state(candidate, "IN04", settings) == NOT_MET


@pytest.mark.parametrize(
    ("end", "expected"),
    [("2025-09-15", MET), ("2025-09-16", NOT_MET)],  # first dose 2026-03-16; 6 months back
)
def test_in04_temozolomide_gap_edge(end, expected):
    candidate = make_candidate(prior_therapies=[therapy("ssa"), therapy("temozolomide", end=end)])
    settings = ProtocolSettings(temozolomide_rule=TemozolomideRule.ALLOW_AFTER_GAP)
    assert state(candidate, "IN04", settings) == expected


def test_in04_not_recorded_is_data_missing():
    assert state(make_candidate(prior_therapies=None), "IN04") == MISSING


# IN05 ECOG --------------------------------------------------------------------------------


@pytest.mark.parametrize(("score", "expected"), [(0, MET), (1, MET), (2, NOT_MET)])
def test_in05_ecog_edges(score, expected):
    assert state(make_candidate(ecog={"value": score, "date": days_before(3)}), "IN05") == expected


def test_in05_ecog_older_than_28_days_is_data_missing():
    candidate = make_candidate(ecog={"value": 0, "date": days_before(29)})
    assert state(candidate, "IN05") == MISSING


# Attestations IN06, IN12, IN14 ------------------------------------------------------------


@pytest.mark.parametrize(
    ("criterion_id", "key"),
    [
        ("IN06", "life_expectancy_over_12_weeks"),
        ("IN12", "contraception_adequate"),
        ("IN14", "able_to_consent"),
    ],
)
@pytest.mark.parametrize(("answer", "expected"), [(True, MET), (False, NOT_MET), (None, MISSING)])
def test_positive_attestations(criterion_id, key, answer, expected):
    assert state(with_attestation(make_candidate(), **{key: answer}), criterion_id) == expected


def test_attestation_not_recorded_reason():
    candidate = with_attestation(make_candidate(), life_expectancy_over_12_weeks=None)
    assert reason(candidate, "IN06") == (
        "investigator attestation not recorded: life expectancy > 12 weeks"
    )


# IN11 not applied -------------------------------------------------------------------------


@pytest.mark.parametrize("answer", [True, False, None])
def test_in11_is_never_applied(answer):
    candidate = with_attestation(make_candidate(), bleeding_risk_condition=answer)
    assert state(candidate, "IN11") == "not applied (erratum)"


# IN13 serum pregnancy test ----------------------------------------------------------------


def test_in13_serum_test_7_days_before_counts():
    candidate = make_candidate(
        pregnancy_tests=[{"type": "serum", "result": "negative", "date": days_before(7)}]
    )
    assert state(candidate, "IN13") == MET


def test_in13_serum_test_8_days_before_is_data_missing():
    candidate = make_candidate(
        pregnancy_tests=[{"type": "serum", "result": "negative", "date": days_before(8)}]
    )
    assert reason(candidate, "IN13") == (
        "serum pregnancy test of 2026-03-08 is 8 days before the first dose (> 7): repeat"
    )


def test_in13_urine_test_does_not_count():
    candidate = make_candidate(
        pregnancy_tests=[{"type": "urine", "result": "negative", "date": days_before(2)}]
    )
    assert reason(candidate, "IN13") == (
        "only a urine pregnancy test within 7 days: serum test required"
    )
    assert state(candidate, "IN13") == MISSING


def test_in13_positive_serum_test_not_met():
    candidate = make_candidate(
        pregnancy_tests=[{"type": "serum", "result": "positive", "date": days_before(2)}]
    )
    assert state(candidate, "IN13") == NOT_MET


def test_in13_latest_serum_test_counts():
    candidate = make_candidate(
        pregnancy_tests=[
            {"type": "serum", "result": "positive", "date": days_before(6)},
            {"type": "serum", "result": "negative", "date": days_before(1)},
        ]
    )
    assert state(candidate, "IN13") == MET


def test_in13_not_applicable_without_childbearing_potential():
    candidate = make_candidate(childbearing_potential=False, pregnancy_tests=[])
    assert reason(candidate, "IN13") == "not applicable: no childbearing potential"


def test_in13_not_applicable_to_men():
    candidate = make_candidate(sex="male", childbearing_potential=None, pregnancy_tests=[])
    assert reason(candidate, "IN13") == "not applicable: male"


def test_in13_childbearing_potential_not_recorded_is_data_missing():
    assert state(make_candidate(childbearing_potential=None), "IN13") == MISSING


# EX01 pregnancy or lactation --------------------------------------------------------------


def test_ex01_positive_urine_test_excludes():
    candidate = make_candidate(
        pregnancy_tests=[{"type": "urine", "result": "positive", "date": days_before(1)}]
    )
    assert reason(candidate, "EX01") == "urine pregnancy test of 2026-03-15 positive"


def test_ex01_lactation_excludes():
    assert reason(make_candidate(lactating=True), "EX01") == "lactating"


def test_ex01_lactation_not_recorded_is_data_missing():
    assert state(make_candidate(lactating=None), "EX01") == MISSING


def test_ex01_clear_when_negative_and_not_lactating():
    assert state(make_candidate(), "EX01") == MET


def test_ex01_not_applicable_to_men():
    candidate = make_candidate(sex="male", childbearing_potential=None, lactating=None)
    assert state(candidate, "EX01") == MET
