"""IN07-IN10 laboratory rules: exact decimal boundaries on both sides, fallbacks, windows.

Source: RamuNET protocol "Inclusion criteria"; PROTOCOL-NOTES.md "Population" and "Eligibility
conventions"; clinical-rules.md §0.1 (exact decimals) and §4.6 (conversion factors).
"""

import pytest

from tests.protocol.candidates import (
    days_before,
    lab,
    make_candidate,
    reason,
    state,
    with_lab,
    without_lab,
)

MET, NOT_MET, MISSING = "met", "not met", "data missing"


def with_labs(*results, **overrides):
    return with_lab(make_candidate(**overrides), *results)


# IN07 renal -------------------------------------------------------------------------------


def test_in07_creatinine_exactly_1_5_x_uln_of_1_2_is_met():
    # 1.5 x 1.2 = 1.8 exactly (in binary floats 1.7999999999999998): clinical-rules.md §0.1
    candidate = with_labs(lab("creatinine", "1.8", "mg/dL", uln="1.2"))
    assert reason(candidate, "IN07") == (
        "creatinine 1.8 mg/dL = 1.5 x ULN <= 1.5 x ULN (1.8 mg/dL); urine dipstick negative <= 1+"
    )


def test_in07_creatinine_above_1_5_x_uln_without_clearance_is_data_missing():
    candidate = with_labs(lab("creatinine", "1.81", "mg/dL", uln="1.2"))
    assert reason(candidate, "IN07") == (
        "creatinine 1.81 mg/dL = 1.51 x ULN > 1.5 x ULN (1.8 mg/dL): 24-h creatinine "
        "clearance required (no 24-h creatinine clearance recorded)"
    )
    assert state(candidate, "IN07") == MISSING


def test_in07_multiple_of_uln_shows_more_digits_when_rounding_hides_the_boundary():
    candidate = with_labs(lab("creatinine", "1.801", "mg/dL", uln="1.2"))
    assert "creatinine 1.801 mg/dL = 1.500833 x ULN > 1.5 x ULN" in reason(candidate, "IN07")


def test_in07_clearance_40_rescues_high_creatinine():
    candidate = with_labs(
        lab("creatinine", "2.0", "mg/dL", uln="1.2"),
        lab("creatinine_clearance", "40", "mL/min"),
    )
    assert state(candidate, "IN07") == MET


def test_in07_clearance_below_40_not_met():
    candidate = with_labs(
        lab("creatinine", "2.0", "mg/dL", uln="1.2"),
        lab("creatinine_clearance", "39.9", "mL/min"),
    )
    assert state(candidate, "IN07") == NOT_MET


def test_in07_clearance_shown_not_used_when_creatinine_normal():
    candidate = with_labs(lab("creatinine_clearance", "30", "mL/min"))
    assert state(candidate, "IN07") == MET
    assert "24-h creatinine clearance 30 mL/min shown, not used" in reason(candidate, "IN07")


def test_in07_creatinine_in_umol_per_l_uses_its_own_uln():
    candidate = with_labs(lab("creatinine", "159.12", "umol/L", uln="106.08"))  # 1.5 x ULN
    assert state(candidate, "IN07") == MET


@pytest.mark.parametrize(("dipstick", "expected"), [("1+", MET), ("2+", MISSING)])
def test_in07_dipstick_edge(dipstick, expected):
    candidate = make_candidate(urine_dipsticks=[{"result": dipstick, "date": days_before(2)}])
    assert state(candidate, "IN07") == expected


@pytest.mark.parametrize(("protein_mg", "expected"), [("999", MET), ("1000", NOT_MET)])
def test_in07_24h_protein_edge_after_dipstick_2_plus(protein_mg, expected):
    candidate = with_labs(
        lab("urine_protein_24h", protein_mg, "mg/24h"),
        urine_dipsticks=[{"result": "2+", "date": days_before(2)}],
    )
    assert state(candidate, "IN07") == expected


def test_in07_24h_protein_in_grams():
    candidate = with_labs(
        lab("urine_protein_24h", "1.2", "g/24h"),
        urine_dipsticks=[{"result": "3+", "date": days_before(2)}],
    )
    assert reason(candidate, "IN07") == (
        "urine dipstick 3+ > 1+ and 24-h urine protein 1200 mg >= 1000 mg"
    )


def test_in07_no_dipstick_is_data_missing():
    assert state(make_candidate(urine_dipsticks=[]), "IN07") == MISSING


def test_in07_latest_creatinine_counts():
    candidate = with_labs(
        lab("creatinine", "2.5", "mg/dL", uln="1.2", days=20),
        lab("creatinine", "1.0", "mg/dL", uln="1.2", days=2),
    )
    assert state(candidate, "IN07") == MET


def test_in07_creatinine_older_than_28_days_is_data_missing_not_failure():
    candidate = with_labs(lab("creatinine", "5.0", "mg/dL", uln="1.2", days=29))
    assert reason(candidate, "IN07") == (
        "creatinine of 2026-02-15 is 29 days before the first dose (> 28): repeat"
    )


def test_in07_creatinine_28_days_before_counts():
    candidate = with_labs(lab("creatinine", "5.0", "mg/dL", uln="1.2", days=28))
    assert state(candidate, "IN07") == MISSING  # counts: > 1.5 x ULN, clearance required
    assert "= 4.17 x ULN" in reason(candidate, "IN07")


# IN08 hepatic -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        ("1.5", "mg/dL", MET),
        ("1.51", "mg/dL", NOT_MET),
        ("25.65", "umol/L", MET),  # = 1.5 mg/dL exactly (factor 17.1)
        ("25.66", "umol/L", NOT_MET),
    ],
)
def test_in08_bilirubin_edges(value, unit, expected):
    assert state(with_labs(lab("bilirubin", value, unit)), "IN08") == expected


def test_in08_bilirubin_umol_reason_shows_conversion():
    assert reason(with_labs(lab("bilirubin", "25.66", "umol/L")), "IN08") == (
        "bilirubin 25.66 umol/L = 1.500584795322 mg/dL > 1.5 mg/dL"
    )


@pytest.mark.parametrize("code", ["ast", "alt"])
@pytest.mark.parametrize(("value", "expected"), [("120", MET), ("120.1", NOT_MET)])
def test_in08_transaminase_3_x_uln_edge_without_liver_metastases(code, value, expected):
    candidate = with_labs(lab(code, value, "U/L", uln="40"), liver_metastases=False)
    assert state(candidate, "IN08") == expected


@pytest.mark.parametrize(("value", "expected"), [("200", MET), ("200.1", NOT_MET)])
def test_in08_transaminase_5_x_uln_edge_with_liver_metastases(value, expected):
    candidate = with_labs(lab("ast", value, "U/L", uln="40"), liver_metastases=True)
    assert state(candidate, "IN08") == expected


def test_in08_reason_quotes_multiple_of_uln():
    candidate = with_labs(lab("ast", "164", "U/L", uln="40"), liver_metastases=False)
    assert reason(candidate, "IN08") == (
        "AST 164 U/L = 4.1 x ULN > 3.0 x ULN (120 U/L) (no liver metastases)"
    )


def test_in08_liver_metastases_unknown_between_3_and_5_x_uln_is_data_missing():
    candidate = with_labs(lab("alt", "160", "U/L", uln="40"), liver_metastases=None)
    assert state(candidate, "IN08") == MISSING


def test_in08_liver_metastases_unknown_above_5_x_uln_not_met():
    candidate = with_labs(lab("alt", "240", "U/L", uln="40"), liver_metastases=None)
    assert state(candidate, "IN08") == NOT_MET


def test_in08_no_bilirubin_is_data_missing():
    assert state(without_lab(make_candidate(), "bilirubin"), "IN08") == MISSING


# IN09 bone marrow -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        (lab("anc", "1500", "/mm3"), NOT_MET),  # strictly > 1500
        (lab("anc", "1501", "/mm3"), MET),
        (lab("anc", "1.5", "10^9/L"), NOT_MET),
        (lab("anc", "1.51", "10^9/L"), MET),
        (lab("platelets", "100000", "/mm3"), NOT_MET),
        (lab("platelets", "100001", "/mm3"), MET),
        (lab("platelets", "100", "10^9/L"), NOT_MET),
        (lab("hemoglobin", "9", "g/dL"), NOT_MET),
        (lab("hemoglobin", "9.1", "g/dL"), MET),
        (lab("hemoglobin", "90", "g/L"), NOT_MET),
        (lab("hemoglobin", "91", "g/L"), MET),
    ],
)
def test_in09_strict_edges(item, expected):
    assert state(with_labs(item), "IN09") == expected


def test_in09_reason_quotes_value():
    assert reason(with_labs(lab("anc", "1500", "/mm3")), "IN09") == "ANC 1500 /mm3 not > 1500 /mm3"


def test_in09_older_result_replaced_by_latest():
    candidate = with_labs(
        lab("platelets", "90000", "/mm3", days=2), lab("platelets", "150000", "/mm3", days=10)
    )
    assert state(candidate, "IN09") == NOT_MET


# IN10 coagulation -------------------------------------------------------------------------


@pytest.mark.parametrize(("inr", "expected"), [("1.5", MET), ("1.51", NOT_MET)])
def test_in10_inr_edge(inr, expected):
    assert state(with_labs(lab("inr", inr, "ratio")), "IN10") == expected


@pytest.mark.parametrize(("ptt", "expected"), [("41", MET), ("41.1", NOT_MET)])
def test_in10_ptt_uln_plus_5_s_edge(ptt, expected):
    assert state(with_labs(lab("ptt", ptt, "s", uln="36")), "IN10") == expected


def test_in10_waived_under_therapeutic_anticoagulation():
    candidate = without_lab(
        without_lab(make_candidate(therapeutic_anticoagulation=True), "inr"), "ptt"
    )
    assert reason(candidate, "IN10") == "INR and PTT waived: therapeutic anticoagulation"


def test_in10_out_of_range_with_anticoagulation_unknown_is_data_missing():
    candidate = with_labs(lab("inr", "2.5", "ratio"), therapeutic_anticoagulation=None)
    assert reason(candidate, "IN10") == "INR 2.5 > 1.5; therapeutic anticoagulation not recorded"


def test_in10_no_inr_is_data_missing():
    assert state(without_lab(make_candidate(), "inr"), "IN10") == MISSING
