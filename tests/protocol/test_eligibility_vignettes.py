"""Complete candidate vignettes end to end: verdict and the criteria not met, missing, to confirm.

Each vignette is the eligible baseline (``make_candidate``) with a clinical story applied; the
expected ids follow the protocol's criteria and PROTOCOL-NOTES.md's verdict order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.protocol.candidates import (
    BASELINE,
    days_before,
    evaluate,
    history,
    lab,
    make_candidate,
    with_attestation,
    with_lab,
    without_lab,
)


@dataclass(frozen=True)
class Vignette:
    name: str
    candidate: dict[str, Any]
    verdict: str
    not_met: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    confirm: tuple[str, ...] = ()
    notes: str = field(default="")


def _tumour(**changes: Any) -> dict[str, Any]:
    return {**BASELINE["tumour"], **changes}


def _therapy(category: str, end: str = "2025-12-01", progression: bool = True) -> dict[str, Any]:
    return {"category": category, "agent": category, "start_date": "2025-01-01",
            "end_date": end, "progression": progression}  # fmt: skip


MALE = {"sex": "male", "childbearing_potential": None, "lactating": None, "pregnancy_tests": []}

VIGNETTES = (
    Vignette("eligible baseline woman", make_candidate(), "eligible"),
    Vignette("eligible man, no pregnancy data", make_candidate(**MALE), "eligible"),
    Vignette(
        "eligible postmenopausal woman without pregnancy test",
        make_candidate(childbearing_potential=False, pregnancy_tests=[]),
        "eligible",
    ),
    Vignette(
        "eligible at every boundary",
        with_lab(
            make_candidate(
                date_of_birth="1950-03-03",  # 75 completed years at consent
                ecog={"value": 1, "date": days_before(28)},
                tumour=_tumour(ki67_percent="20"),
                concomitant_medications=[
                    {"name": "ASS", "category": "aspirin", "daily_dose_mg": "325"}
                ],
                medical_history=[
                    history("major_surgery", 29),
                    history("minor_surgery", 8),
                    history("arterial_thromboembolism", on="2025-09-15"),
                ],
                uncontrolled_hypertension_days=28,
            ),
            lab("creatinine", "1.8", "mg/dL", uln="1.2", days=28),
            lab("bilirubin", "25.65", "umol/L"),
            lab("ast", "200", "U/L", uln="40"),
            lab("anc", "1501", "/mm3"),
            lab("platelets", "100001", "/mm3"),
            lab("hemoglobin", "9.1", "g/dL"),
            lab("inr", "1.5", "ratio"),
            lab("ptt", "41", "s", uln="36"),
        ),
        "eligible",
    ),
    Vignette(
        "G3 NEC with prior DTIC",
        make_candidate(
            tumour=_tumour(differentiation="poor", grade="G3", ki67_percent="60"),
            prior_therapies=[_therapy("dacarbazine")],
        ),
        "not eligible",
        not_met=("IN01", "IN04"),
    ),
    Vignette(
        "aged 76, ECOG 2",
        make_candidate(date_of_birth="1950-03-02", ecog={"value": 2, "date": days_before(5)}),
        "not eligible",
        not_met=("IN02", "IN05"),
    ),
    Vignette(
        "17-year-old born on 29 February",
        make_candidate(date_of_birth="2008-02-29", consent_date="2026-02-28"),
        "not eligible",
        not_met=("IN02",),
    ),
    Vignette(
        "prior temozolomide with progression under SSA",
        make_candidate(prior_therapies=[_therapy("ssa"), _therapy("temozolomide")]),
        "needs review",
        confirm=("IN04",),
    ),
    Vignette(
        "old labs: everything to repeat",
        make_candidate(
            labs=[{**item, "date": days_before(35)} for item in BASELINE["labs"]],
            urine_dipsticks=[{"result": "negative", "date": days_before(35)}],
        ),
        "incomplete",
        missing=("IN07", "IN08", "IN09", "IN10"),
    ),
    Vignette(
        "urine pregnancy test only",
        make_candidate(
            pregnancy_tests=[{"type": "urine", "result": "negative", "date": days_before(2)}]
        ),
        "incomplete",
        missing=("IN13",),
    ),
    Vignette(
        "pregnant",
        make_candidate(
            pregnancy_tests=[{"type": "serum", "result": "positive", "date": days_before(2)}]
        ),
        "not eligible",
        not_met=("IN13", "EX01"),
    ),
    Vignette(
        "renal failure despite 24-h collection, proteinuria",
        with_lab(
            make_candidate(urine_dipsticks=[{"result": "3+", "date": days_before(3)}]),
            lab("creatinine", "2.4", "mg/dL", uln="1.2"),
            lab("creatinine_clearance", "35", "mL/min"),
            lab("urine_protein_24h", "1500", "mg/24h"),
        ),
        "not eligible",
        not_met=("IN07",),
    ),
    Vignette(
        "high creatinine rescued by clearance, 2+ rescued by 24-h protein",
        with_lab(
            make_candidate(urine_dipsticks=[{"result": "2+", "date": days_before(3)}]),
            lab("creatinine", "2.4", "mg/dL", uln="1.2"),
            lab("creatinine_clearance", "52", "mL/min"),
            lab("urine_protein_24h", "0.4", "g/24h"),
        ),
        "eligible",
    ),
    Vignette(
        "AST 4 x ULN without liver metastases",
        with_lab(make_candidate(liver_metastases=False), lab("ast", "160", "U/L", uln="40")),
        "not eligible",
        not_met=("IN08",),
    ),
    Vignette(
        "AST 4 x ULN with liver metastases",
        with_lab(make_candidate(liver_metastases=True), lab("ast", "160", "U/L", uln="40")),
        "eligible",
    ),
    Vignette(
        "neutropenia and thrombocytopenia at the limits",
        with_lab(make_candidate(), lab("anc", "1.5", "10^9/L"), lab("platelets", "100", "10^9/L")),
        "not eligible",
        not_met=("IN09",),
    ),
    Vignette(
        "on therapeutic anticoagulation with high INR, recent port and DVT",
        with_lab(
            make_candidate(
                therapeutic_anticoagulation=True,
                medical_history=[
                    history("venous_thromboembolism", on="2026-01-10", term="DVT"),
                    history("venous_access_device", 5, term="port"),
                ],
            ),
            lab("inr", "2.6", "ratio"),
        ),
        "not eligible",
        not_met=("EX10", "EX14"),
    ),
    Vignette(
        "myocardial infarction 4 months ago, clopidogrel",
        make_candidate(
            medical_history=[history("arterial_thromboembolism", on="2025-11-10", term="MI")],
            concomitant_medications=[
                {"name": "clopidogrel", "category": "clopidogrel", "daily_dose_mg": "75"}
            ],
        ),
        "not eligible",
        not_met=("EX05", "EX08"),
    ),
    Vignette(
        "cirrhosis Child-Pugh B and known varices",
        with_attestation(
            make_candidate(liver_cirrhosis={"present": True, "child_pugh": "B"}),
            bleeding_risk_condition=True,
        ),
        "not eligible",
        not_met=("EX06", "EX12"),
    ),
    Vignette(
        "breast cancer 3 years ago, in another trial until 2 weeks ago",
        make_candidate(
            other_malignancies=[
                {"kind": "other", "disease_free_since": "2023-01-01", "term": "breast cancer"}
            ],
            medical_history=[history("clinical_trial", 14)],
        ),
        "not eligible",
        not_met=("EX02", "EX04"),
    ),
    Vignette(
        "treated basalioma, old GI bleeding, old fracture healed",
        make_candidate(
            other_malignancies=[{"kind": "basalioma_skin", "disease_free_since": "2025-05-01"}],
            medical_history=[
                history("gi_bleeding_grade_3_4", on="2025-11-01"),
                history("wound_ulcer_fracture", 40),
            ],
        ),
        "eligible",
    ),
    Vignette(
        "attestations not yet recorded",
        make_candidate(attestations={}),
        "incomplete",
        missing=("IN06", "IN12", "IN14", "EX11", "EX12", "EX13", "EX15"),
    ),
    Vignette(
        "uncontrolled hypertension 6 weeks, planned hepatic resection",
        with_attestation(
            make_candidate(uncontrolled_hypertension_days=42), planned_major_surgery=True
        ),
        "not eligible",
        not_met=("EX07", "EX15"),
    ),
    Vignette(
        "not eligible beats incomplete and review",
        without_lab(
            make_candidate(
                tumour=_tumour(resectable=True),
                prior_therapies=[_therapy("ssa"), _therapy("temozolomide")],
            ),
            "inr",
        ),
        "not eligible",
        not_met=("IN01",),
        missing=("IN10",),
        confirm=("IN04",),
    ),
    Vignette(
        "incomplete beats review",
        make_candidate(
            prior_therapies=[_therapy("chemotherapy"), _therapy("temozolomide")], lactating=None
        ),
        "incomplete",
        missing=("EX01",),
        confirm=("IN04",),
    ),
    Vignette(
        "nothing recorded beyond identity",
        {
            key: BASELINE[key]
            for key in ("sex", "date_of_birth", "consent_date", "planned_first_dose_date")
        },
        "incomplete",
        missing=(
            "IN01",
            "IN03",
            "IN04",
            "IN05",
            "IN06",
            "IN07",
            "IN08",
            "IN09",
            "IN10",
            "IN12",
            "IN13",
            "IN14",
            "EX01",
            "EX02",
            "EX03",
            "EX04",
            "EX05",
            "EX06",
            "EX07",
            "EX08",
            "EX09",
            "EX10",
            "EX11",
            "EX12",
            "EX13",
            "EX14",
            "EX15",
            "EX16",
        ),
    ),
)


@pytest.mark.parametrize("vignette", VIGNETTES, ids=lambda vignette: vignette.name)
def test_vignette(vignette: Vignette) -> None:
    result = evaluate(vignette.candidate)
    assert (
        result.verdict.value,
        result.failing(),
        result.missing(),
        result.needs_confirmation(),
    ) == (vignette.verdict, vignette.not_met, vignette.missing, vignette.confirm), result.summary()


def test_at_least_20_vignettes() -> None:
    assert len(VIGNETTES) >= 20


def test_result_as_dict_lists_every_criterion() -> None:
    data = evaluate(make_candidate()).as_dict()
    assert data["verdict"] == "eligible" and data["protocol_version"] == "01"
    assert len(data["criteria"]) == 30  # type: ignore[arg-type]


def test_summary_lists_open_items() -> None:
    result = evaluate(make_candidate(ecog={"value": 2, "date": days_before(5)}))
    assert result.summary() == "verdict: not eligible\nIN05 not met: ECOG 2 > 1"
