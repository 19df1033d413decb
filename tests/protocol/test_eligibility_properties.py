"""Property: any candidate dict built from valid pieces gives a result or raises InvalidInput.

Pieces are well-formed values (dates, decimal strings, known and unknown terms and units, lists
of items) combined at random, including impossible combinations (tests after the first dose,
negative counts, missing ULN), which must be refused with ``InvalidInput`` and nothing else.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ramunet.clinical.errors import InvalidInput
from ramunet.protocol.eligibility import Verdict, evaluate_eligibility_dict
from ramunet.protocol.findings import CriterionState
from tests.protocol.candidates import BASELINE, FIRST_DOSE

dates = st.dates(min_value=date(1890, 1, 1), max_value=date(2110, 12, 31)).map(date.isoformat)
near_dates = st.integers(min_value=-5, max_value=400).map(
    lambda days: (FIRST_DOSE - timedelta(days=days)).isoformat()
)
any_date = st.one_of(near_dates, dates)
numbers = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False, min_value=0, max_value=10**6, places=3),
    st.integers(min_value=0, max_value=300),
    st.sampled_from(["1.5", "1e12", "abc", "NaN", "0", "-1", "40", "1e-20", "0.000001"]),
).map(lambda value: value if isinstance(value, str) else str(value))
maybe = st.one_of(st.none(), st.booleans())


def terms(*values: str) -> st.SearchStrategy[str]:
    return st.sampled_from([*values, "unknown"])


labs = st.fixed_dictionaries(
    {
        "analyte": terms(
            "creatinine",
            "creatinine_clearance",
            "urine_protein_24h",
            "bilirubin",
            "ast",
            "alt",
            "anc",
            "platelets",
            "hemoglobin",
            "inr",
            "ptt",
        ),
        "value": numbers,
        "unit": terms(
            "mg/dL",
            "umol/L",
            "U/L",
            "/mm3",
            "10^9/L",
            "g/dL",
            "g/L",
            "ratio",
            "s",
            "mL/min",
            "mg/24h",
            "g/24h",
        ),
        "date": near_dates,
    },
    optional={"uln": numbers, "lln": numbers},
)
history = st.fixed_dictionaries(
    {
        "kind": terms(
            "clinical_trial",
            "arterial_thromboembolism",
            "gi_bleeding_grade_3_4",
            "venous_thromboembolism",
            "minor_venous_thrombosis",
            "gi_perforation_fistula",
            "major_surgery",
            "minor_surgery",
            "venous_access_device",
            "wound_ulcer_fracture",
        ),
        "date": st.one_of(st.none(), near_dates),
        "ongoing": st.booleans(),
    }
)
therapies = st.fixed_dictionaries(
    {
        "category": terms(
            "chemotherapy",
            "ssa",
            "everolimus",
            "sunitinib",
            "prrt",
            "dacarbazine",
            "temozolomide",
            "other",
        ),
        "agent": st.text(max_size=5),
        "start_date": st.one_of(st.none(), near_dates),
        "end_date": st.one_of(st.none(), near_dates),
        "progression": st.booleans(),
    }
)
PIECES: dict[str, st.SearchStrategy[Any]] = {
    "sex": terms("female", "male"),
    "date_of_birth": st.one_of(dates, st.just("2008-02-29")),
    "consent_date": any_date,
    "planned_first_dose_date": st.one_of(st.just(FIRST_DOSE.isoformat()), any_date),
    "tumour": st.fixed_dictionaries(
        {
            "histologically_confirmed": st.booleans(),
            "primary_site": st.sampled_from(["pancreas", "ileum"]),
            "differentiation": terms("well", "poor"),
            "grade": terms("G1", "G2", "G3"),
            "metastatic": st.booleans(),
            "resectable": st.booleans(),
        },
        optional={"ki67_percent": numbers, "functional": maybe},
    ),
    "imaging": st.fixed_dictionaries({"date": near_dates, "measurable_disease": st.booleans()}),
    "prior_therapies": st.lists(therapies, max_size=3),
    "ecog": st.fixed_dictionaries(
        {"value": st.integers(min_value=-1, max_value=6), "date": near_dates}
    ),
    "labs": st.lists(labs, max_size=12),
    "urine_dipsticks": st.lists(
        st.fixed_dictionaries(
            {"result": terms("negative", "trace", "1+", "2+", "3+", "4+"), "date": near_dates}
        ),
        max_size=2,
    ),
    "liver_metastases": maybe,
    "therapeutic_anticoagulation": maybe,
    "medical_history": st.lists(history, max_size=4),
    "other_malignancies": st.lists(
        st.fixed_dictionaries(
            {
                "kind": terms("basalioma_skin", "cervical_carcinoma", "other"),
                "disease_free_since": st.one_of(st.none(), any_date),
            }
        ),
        max_size=2,
    ),
    "liver_cirrhosis": st.fixed_dictionaries(
        {"present": st.booleans()},
        optional={"child_pugh": terms("A", "B", "C"), "hepatic_encephalopathy": st.booleans()},
    ),
    "uncontrolled_hypertension_days": st.integers(min_value=-3, max_value=100),
    "allergy_to_study_drugs": maybe,
    "concomitant_medications": st.lists(
        st.fixed_dictionaries(
            {
                "name": st.just("drug"),
                "category": terms("aspirin", "nsaid", "clopidogrel", "anticoagulant", "other"),
            },
            optional={"daily_dose_mg": numbers, "chronic": st.booleans()},
        ),
        max_size=3,
    ),
    "childbearing_potential": maybe,
    "lactating": maybe,
    "pregnancy_tests": st.lists(
        st.fixed_dictionaries(
            {
                "type": terms("serum", "urine"),
                "result": terms("negative", "positive"),
                "date": near_dates,
            }
        ),
        max_size=2,
    ),
    "attestations": st.fixed_dictionaries(
        {},
        optional={key: maybe for key in BASELINE["attestations"]},
    ),
}


IDENTITY = ("sex", "date_of_birth", "consent_date", "planned_first_dose_date")


@st.composite
def candidates(draw: st.DrawFn) -> dict[str, Any]:
    candidate = dict(BASELINE)
    for key, piece in PIECES.items():
        choices = ["keep", "keep", "keep", "replace", "replace", "none", "drop"]
        if key in IDENTITY:  # required: mostly kept, so that most candidates are evaluated
            choices = ["keep"] * 12 + ["replace", "replace", "none"]
        choice = draw(st.sampled_from(choices))
        if choice == "replace":
            candidate[key] = draw(piece)
        elif choice == "none":
            candidate[key] = None
        elif choice == "drop":
            candidate.pop(key)
    return candidate


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(candidates())
def test_valid_pieces_never_raise_anything_but_invalid_input(candidate: dict[str, Any]) -> None:
    try:
        result = evaluate_eligibility_dict(candidate)
    except InvalidInput:
        return
    assert result.verdict in set(Verdict)
    assert len(result.criteria) == 30
    assert all(isinstance(item.state, CriterionState) and item.reason for item in result.criteria)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.sampled_from(sorted(PIECES)), st.one_of(st.integers(), st.text())))
def test_wrongly_typed_values_raise_invalid_input(payload: dict[str, Any]) -> None:
    try:
        evaluate_eligibility_dict(payload)
    except InvalidInput:
        return
