"""SDTM findings domains of measurements and questionnaires: LB, VS, QS (tumours: ``sdtm_tumour``).

One record per value entered, or per value known to be missing (``--STAT`` NOT DONE with the
missing-value code's meaning in ``--REASND``); a field neither answered nor coded gives no
record. Laboratory records carry the centre's range, the reference-range flag and the CTCAE
v5.0 grade the system derived (``LBTOXGR``).

Test codes are CDISC Controlled Terminology where one exists (LBTESTCD C65047, VSTESTCD
C66741); the QLQ-C30 items use the EOR01 prefix of the CDISC QRS supplement with item numbers.

References
----------
CDISC SDTMIG v3.4 §6.3.5 LB, §6.3.10 VS, §6.3.9 QS.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any, Final

from ramunet.edc.crfs.models import MissingCode
from ramunet.edc.exporting.sdtm_events import KEYS, visit_of
from ramunet.edc.exporting.source import UNREAD_JSON, Chunk, Row, chunks
from ramunet.exports.sdtm_model import (
    STUDYID,
    Domain,
    char,
    iso8601,
    num,
    study_day,
    usubjid,
)

MISSING_REASON: Final = dict(MissingCode.choices)

# form field -> (LBTESTCD, LBTEST, LBCAT, LBSPEC, LBMETHOD)
LAB_TESTS: Final = {
    "HAEM": {
        "hemoglobin": ("HGB", "Hemoglobin", "HEMATOLOGY", "BLOOD", None),
        "anc": ("NEUT", "Neutrophils", "HEMATOLOGY", "BLOOD", None),
        "platelets": ("PLAT", "Platelets", "HEMATOLOGY", "BLOOD", None),
        "wbc": ("WBC", "Leukocytes", "HEMATOLOGY", "BLOOD", None),
        "lymphocytes": ("LYM", "Lymphocytes", "HEMATOLOGY", "BLOOD", None),
    },
    "CHEM": {
        "creatinine": ("CREAT", "Creatinine", "CHEMISTRY", "SERUM", None),
        "bilirubin": ("BILI", "Bilirubin", "CHEMISTRY", "SERUM", None),
        "ast": ("AST", "Aspartate Aminotransferase", "CHEMISTRY", "SERUM", None),
        "alt": ("ALT", "Alanine Aminotransferase", "CHEMISTRY", "SERUM", None),
        "alp": ("ALP", "Alkaline Phosphatase", "CHEMISTRY", "SERUM", None),
        "potassium": ("K", "Potassium", "CHEMISTRY", "SERUM", None),
        "sodium": ("SODIUM", "Sodium", "CHEMISTRY", "SERUM", None),
    },
    "COAG": {
        "inr": ("INR", "Prothrombin Intl. Normalized Ratio", "COAGULATION", "PLASMA", None),
        "ptt": ("APTT", "Activated Partial Thromboplastin Time", "COAGULATION", "PLASMA", None),
    },
    "URINE": {
        "dipstick": ("PROT", "Protein", "URINALYSIS", "URINE", "DIPSTICK"),
        "urine_protein_24h": ("PROT", "Protein", "URINALYSIS", "URINE", "24 HOUR COLLECTION"),
        "creatinine_clearance": (
            "CREATCLR",
            "Creatinine Clearance",
            "URINALYSIS",
            "URINE",
            "24 HOUR COLLECTION",
        ),
    },
    "CGA": {"value": ("CHROMGRA", "Chromogranin A", "TUMOR MARKERS", "SERUM", None)},
}
_FLAG: Final = {"L": "LOW", "H": "HIGH", "N": "NORMAL"}


def _number(value: Any) -> Decimal | None:
    return value if isinstance(value, Decimal) else None


def _lab_record(row: Row, field: str, form: str) -> dict[str, Any] | None:
    testcd, test, cat, spec, method = LAB_TESTS[form][field]
    value = row.get(field)
    code = (row.get("missing") or {}).get(field)
    if value in (None, "") and not code:
        return None
    unit = row.get(f"{field}_unit") or (row.get("unit") if form == "CGA" else None) or None
    derived = (row.get("derived") or {}).get(field) or {}
    if form == "URINE" and field != "creatinine_clearance":
        derived = {"grade": ((row.get("derived") or {}).get("proteinuria") or {}).get("grade")}
    grade = derived.get("worst_grade", derived.get("grade"))
    text = None if value in (None, "") else str(value)
    uln = derived.get("uln") or (row.get("uln") if form == "CGA" else None)
    return {
        "testcd": testcd,
        "test": test,
        "cat": cat,
        "spec": spec,
        "method": method,
        "orres": text,
        "unit": unit if text is not None else None,
        "lo": derived.get("lln"),
        "hi": None if uln is None else str(uln),
        "stresn": _number(value),
        "nrind": _FLAG.get(derived.get("flag", "")),
        "stat": "NOT DONE" if text is None else None,
        "reasnd": MISSING_REASON.get(code) if text is None else None,
        "toxgr": None if grade is None else str(grade),
    }


def lb_rows() -> Iterator[tuple[Any, ...]]:
    forms = (*LAB_TESTS, "PREG")
    for chunk in chunks(forms=forms, extras=("visits",), json_text=("expected_forms",)):
        for p in chunk.patients:
            ref = p["first_dose"]
            visits = visit_of(chunk, p["pk"])
            records: list[tuple[Row, dict[str, Any]]] = []
            for form, tests in LAB_TESTS.items():
                for row in chunk.rows(form, p["pk"]):
                    records += [(row, r) for f in tests if (r := _lab_record(row, f, form))]
            for row in chunk.rows("PREG", p["pk"]):
                if row["result"]:
                    records.append(
                        (
                            row,
                            {
                                "testcd": "HCG",
                                "test": "Choriogonadotropin Beta",
                                "cat": "CHEMISTRY",
                                "spec": (row["test_type"] or "serum").upper(),
                                "method": None,
                                "orres": row["result"].upper(),
                                "unit": None,
                                "lo": None,
                                "hi": None,
                                "stresn": None,
                                "nrind": None,
                                "stat": None,
                                "reasnd": None,
                                "toxgr": None,
                            },
                        )
                    )
            records.sort(key=lambda pair: (pair[0]["form_date"], pair[1]["testcd"]))
            for seq, (row, r) in enumerate(records, start=1):
                visit = visits.get(row["visit_id"])
                yield (
                    STUDYID,
                    "LB",
                    usubjid(p["code"]),
                    seq,
                    r["testcd"],
                    r["test"],
                    r["cat"],
                    r["spec"],
                    r["method"],
                    r["orres"],
                    r["unit"],
                    r["lo"],
                    r["hi"],
                    r["orres"],
                    r["stresn"],
                    r["unit"],
                    r["nrind"],
                    r["stat"],
                    r["reasnd"],
                    r["toxgr"],
                    visit["order"] if visit else None,
                    visit["code"] if visit else None,
                    iso8601(row["form_date"]),
                    study_day(row["form_date"], ref),
                )


def lb() -> Domain:
    variables = (
        *KEYS,
        num("LBSEQ", "Sequence Number"),
        char("LBTESTCD", "Lab Test or Examination Short Name", 8),
        char("LBTEST", "Lab Test or Examination Name", 40),
        char("LBCAT", "Category for Lab Test", 16),
        char("LBSPEC", "Specimen Type", 8),
        char("LBMETHOD", "Method of Test or Examination", 20),
        char("LBORRES", "Result or Finding in Original Units", 20),
        char("LBORRESU", "Original Units", 12),
        char("LBORNRLO", "Reference Range Lower Limit in Orig Unit", 20),
        char("LBORNRHI", "Reference Range Upper Limit in Orig Unit", 20),
        char("LBSTRESC", "Character Result/Finding in Std Format", 20),
        num("LBSTRESN", "Numeric Result/Finding in Standard Units"),
        char("LBSTRESU", "Standard Units", 12),
        char("LBNRIND", "Reference Range Indicator", 6),
        char("LBSTAT", "Completion Status", 8),
        char("LBREASND", "Reason Test Not Done", 20),
        char("LBTOXGR", "Standard Toxicity Grade", 1),
        num("VISITNUM", "Visit Number"),
        char("VISIT", "Visit Name", 12),
        char("LBDTC", "Date/Time of Specimen Collection", 10),
        num("LBDY", "Study Day of Specimen Collection"),
    )
    return Domain("LB", "Laboratory Test Results", variables, lb_rows)


# form -> field -> (VSTESTCD, VSTEST, unit)
VITAL_TESTS: Final = {
    "VITALS": {
        "systolic_mmhg": ("SYSBP", "Systolic Blood Pressure", "mmHg"),
        "diastolic_mmhg": ("DIABP", "Diastolic Blood Pressure", "mmHg"),
        "heart_rate_bpm": ("PULSE", "Pulse Rate", "beats/min"),
        "temperature_c": ("TEMP", "Temperature", "C"),
        "weight_kg": ("WEIGHT", "Weight", "kg"),
        "height_cm": ("HEIGHT", "Height", "cm"),
    },
    "PE": {"height_cm": ("HEIGHT", "Height", "cm"), "weight_kg": ("WEIGHT", "Weight", "kg")},
}


def _findings(
    chunk: Chunk, p: Row, tests: dict[str, dict[str, tuple[str, str, str]]]
) -> Iterator[tuple[Row, str, tuple[str, str, str], Any, str | None]]:
    for form, fields in tests.items():
        for row in chunk.rows(form, p["pk"]):
            for field, test in fields.items():
                value = row.get(field)
                code = (row.get("missing") or {}).get(field)
                if value is not None or code:
                    yield row, form, test, value, code


def vs_rows() -> Iterator[tuple[Any, ...]]:
    for chunk in chunks(forms=tuple(VITAL_TESTS), extras=("visits",), json_text=UNREAD_JSON):
        for p in chunk.patients:
            visits = visit_of(chunk, p["pk"])
            found = sorted(
                _findings(chunk, p, VITAL_TESTS), key=lambda f: (f[0]["form_date"], f[2][0])
            )
            for seq, (row, form, (testcd, test, unit), value, code) in enumerate(found, start=1):
                visit = visits.get(row["visit_id"])
                text = None if value is None else str(value)
                yield (
                    STUDYID,
                    "VS",
                    usubjid(p["code"]),
                    seq,
                    testcd,
                    test,
                    "PHYSICAL EXAMINATION" if form == "PE" else "VITAL SIGNS",
                    text,
                    unit if text else None,
                    text,
                    _number(value) if not isinstance(value, int) else value,
                    unit if text else None,
                    "NOT DONE" if text is None else None,
                    MISSING_REASON.get(code) if text is None else None,
                    visit["order"] if visit else None,
                    visit["code"] if visit else None,
                    iso8601(row["form_date"]),
                    study_day(row["form_date"], p["first_dose"]),
                )


def vs() -> Domain:
    variables = (
        *KEYS,
        num("VSSEQ", "Sequence Number"),
        char("VSTESTCD", "Vital Signs Test Short Name", 8),
        char("VSTEST", "Vital Signs Test Name", 40),
        char("VSCAT", "Category for Vital Signs", 20),
        char("VSORRES", "Result or Finding in Original Units", 12),
        char("VSORRESU", "Original Units", 10),
        char("VSSTRESC", "Character Result/Finding in Std Format", 12),
        num("VSSTRESN", "Numeric Result/Finding in Standard Units"),
        char("VSSTRESU", "Standard Units", 10),
        char("VSSTAT", "Completion Status", 8),
        char("VSREASND", "Reason Not Performed", 20),
        num("VISITNUM", "Visit Number"),
        char("VISIT", "Visit Name", 12),
        char("VSDTC", "Date/Time of Measurements", 10),
        num("VSDY", "Study Day of Vital Signs"),
    )
    return Domain("VS", "Vital Signs", variables, vs_rows)


def qs_rows() -> Iterator[tuple[Any, ...]]:
    tests: dict[str, dict[str, tuple[str, str, str]]] = {
        "ECOG": {"ecog": ("ECOG101", "ECOG1-Performance Status", "ECOG PERFORMANCE STATUS")},
        "QLQC30": {
            f"q{n}": (f"EOR01{n:02d}", f"EOR01-Item {n:02d}", "EORTC QLQ-C30 V3.0")
            for n in range(1, 31)
        },
    }
    for chunk in chunks(forms=tuple(tests), extras=("visits",), json_text=UNREAD_JSON):
        for p in chunk.patients:
            visits = visit_of(chunk, p["pk"])
            found = sorted(_findings(chunk, p, tests), key=lambda f: (f[0]["form_date"], f[2][0]))
            for seq, (row, _, (testcd, test, cat), value, code) in enumerate(found, start=1):
                visit = visits.get(row["visit_id"])
                text = None if value is None else str(value)
                yield (
                    STUDYID,
                    "QS",
                    usubjid(p["code"]),
                    seq,
                    testcd,
                    test,
                    cat,
                    text,
                    text,
                    value,
                    "NOT DONE" if text is None else None,
                    MISSING_REASON.get(code) if text is None else None,
                    visit["order"] if visit else None,
                    visit["code"] if visit else None,
                    iso8601(row["form_date"]),
                    study_day(row["form_date"], p["first_dose"]),
                )


def qs() -> Domain:
    variables = (
        *KEYS,
        num("QSSEQ", "Sequence Number"),
        char("QSTESTCD", "Question Short Name", 8),
        char("QSTEST", "Question Name", 40),
        char("QSCAT", "Category of Question", 24),
        char("QSORRES", "Finding in Original Units", 2),
        char("QSSTRESC", "Character Result/Finding in Std Format", 2),
        num("QSSTRESN", "Numeric Finding in Standard Units"),
        char("QSSTAT", "Completion Status", 8),
        char("QSREASND", "Reason Not Performed", 20),
        num("VISITNUM", "Visit Number"),
        char("VISIT", "Visit Name", 12),
        char("QSDTC", "Date/Time of Finding", 10),
        num("QSDY", "Study Day of Finding"),
    )
    return Domain("QS", "Questionnaires", variables, qs_rows)
