"""SDTM tumour domains after the RECIST 1.1 model: TU, TR, RS.

TU identifies each lesion at baseline (target or non-target, organ), TR holds its size at
every assessment (longest diameter, or short axis for a lymph node; "too small to measure"
as text) and the sum of diameters, RS the responses: the system's (``RSDRVFL`` Y), the
investigator's (``RSEVAL`` INVESTIGATOR), the new-lesion indicator and the best overall
response. Responses use the RECIST codes of CDISC CT C96785 (CR, PR, SD, PD, NE,
NON-CR/NON-PD).

References
----------
CDISC SDTMIG v3.4 §6.3.12 (TU, TR, RS); E. Eisenhauer et al., RECIST 1.1, Eur J Cancer 45
(2009) 228-247.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any, Final

from ramunet.edc.exporting.sdtm_events import KEYS, visit_of
from ramunet.edc.exporting.source import UNREAD_JSON, chunks
from ramunet.exports.sdtm_model import (
    RECIST_RESPONSE,
    STUDYID,
    Domain,
    char,
    iso8601,
    num,
    study_day,
    usubjid,
)

METHOD: Final = {"ct": "CT SCAN", "mri": "MRI"}


def tu_rows() -> Iterator[tuple[Any, ...]]:
    for chunk in chunks(forms=("TUMOUR",), extras=("visits", "lesions"), json_text=UNREAD_JSON):
        for p in chunk.patients:
            baseline = next((r for r in chunk.rows("TUMOUR", p["pk"]) if r["baseline"]), None)
            if baseline is None:
                continue
            visit = visit_of(chunk, p["pk"]).get(baseline["visit_id"])
            for seq, lesion in enumerate(
                sorted(chunk.lesions.get(p["pk"], []), key=lambda r: r["label"]), start=1
            ):
                kind = "TARGET" if lesion["target"] else "NON-TARGET"
                yield (
                    STUDYID,
                    "TU",
                    usubjid(p["code"]),
                    seq,
                    lesion["label"],
                    "TUMIDENT",
                    "Tumor Identification",
                    kind,
                    kind,
                    lesion["organ"].upper(),
                    lesion["location"] or None,
                    METHOD.get(baseline["method"]),
                    "INVESTIGATOR",
                    visit["order"] if visit else None,
                    visit["code"] if visit else "BASELINE",
                    iso8601(baseline["form_date"]),
                    study_day(baseline["form_date"], p["first_dose"]),
                )


def tu() -> Domain:
    variables = (
        *KEYS,
        num("TUSEQ", "Sequence Number"),
        char("TULNKID", "Link ID", 8),
        char("TUTESTCD", "Tumor Identification Short Name", 8),
        char("TUTEST", "Tumor Identification Test Name", 40),
        char("TUORRES", "Tumor Identification Result", 12),
        char("TUSTRESC", "Tumor Identification Result Std. Format", 12),
        char("TULOC", "Location of the Tumor", 40),
        char("TULOCDTL", "Location Detail", 120),
        char("TUMETHOD", "Method of Identification", 8),
        char("TUEVAL", "Evaluator", 12),
        num("VISITNUM", "Visit Number"),
        char("VISIT", "Visit Name", 12),
        char("TUDTC", "Date/Time of Tumor Identification", 10),
        num("TUDY", "Study Day of Tumor Identification"),
    )
    return Domain("TU", "Tumor/Lesion Identification", variables, tu_rows)


def tr_rows() -> Iterator[tuple[Any, ...]]:
    for chunk in chunks(
        forms=("TUMOUR",),
        extras=("visits", "lesions", "measurements"),
        json_text=("expected_forms",),
    ):
        for p in chunk.patients:
            visits = visit_of(chunk, p["pk"])
            nodal = {lesion["label"]: lesion["nodal"] for lesion in chunk.lesions.get(p["pk"], [])}
            seq = 0
            for row in chunk.rows("TUMOUR", p["pk"]):
                visit = visits.get(row["visit_id"])
                tail = (
                    METHOD.get(row["method"]),
                    "INVESTIGATOR",
                    visit["order"] if visit else None,
                    visit["code"] if visit else None,
                    iso8601(row["form_date"]),
                    study_day(row["form_date"], p["first_dose"]),
                )
                for m in chunk.measurements.get(row["pk"], []):
                    seq += 1
                    label = m["lesion__label"]
                    testcd, test = (
                        ("SAXIS", "Short Axis")
                        if nodal.get(label)
                        else ("LDIAM", "Longest Diameter")
                    )
                    size = m["diameter_mm"]
                    text = (
                        str(size)
                        if size is not None
                        else ("TOO SMALL TO MEASURE" if m["too_small"] else None)
                    )
                    yield (
                        STUDYID,
                        "TR",
                        usubjid(p["code"]),
                        seq,
                        label,
                        testcd,
                        test,
                        text,
                        "mm" if size is not None else None,
                        text,
                        size,
                        "mm" if size is not None else None,
                        "NOT DONE" if text is None else None,
                        None,
                        *tail,
                    )
                total = (row.get("derived") or {}).get("sum_diameters_mm")
                if total is not None:
                    seq += 1
                    yield (
                        STUDYID,
                        "TR",
                        usubjid(p["code"]),
                        seq,
                        None,
                        "SUMDIAM",
                        "Sum of Diameter",
                        str(total),
                        "mm",
                        str(total),
                        Decimal(str(total)),
                        "mm",
                        None,
                        "Y",
                        *tail,
                    )


def tr() -> Domain:
    variables = (
        *KEYS,
        num("TRSEQ", "Sequence Number"),
        char("TRLNKID", "Link ID", 8),
        char("TRTESTCD", "Tumor Assessment Short Name", 8),
        char("TRTEST", "Tumor Assessment Test Name", 40),
        char("TRORRES", "Result or Finding in Original Units", 20),
        char("TRORRESU", "Original Units", 2),
        char("TRSTRESC", "Character Result/Finding in Std Format", 20),
        num("TRSTRESN", "Numeric Result/Finding in Standard Units"),
        char("TRSTRESU", "Standard Units", 2),
        char("TRSTAT", "Completion Status", 8),
        char("TRDRVFL", "Derived Flag", 1),
        char("TRMETHOD", "Method Used to Identify the Tumor", 8),
        char("TREVAL", "Evaluator", 12),
        num("VISITNUM", "Visit Number"),
        char("VISIT", "Visit Name", 12),
        char("TRDTC", "Date/Time of Tumor Measurement", 10),
        num("TRDY", "Study Day of Tumor Measurement"),
    )
    return Domain("TR", "Tumor/Lesion Results", variables, tr_rows)


NEW_LESIONS: Final = {"none": "N", "unequivocal": "Y", "equivocal": "EQUIVOCAL"}


def rs_rows() -> Iterator[tuple[Any, ...]]:
    for chunk in chunks(
        forms=("TUMOUR",), extras=("visits", "endpoints"), json_text=("expected_forms",)
    ):
        for p in chunk.patients:
            visits = visit_of(chunk, p["pk"])
            seq = 0
            for row in chunk.rows("TUMOUR", p["pk"]):
                if row["baseline"]:
                    continue
                derived = row.get("derived") or {}
                visit = visits.get(row["visit_id"])
                tail = (
                    visit["order"] if visit else None,
                    visit["code"] if visit else None,
                    iso8601(row["form_date"]),
                    study_day(row["form_date"], p["first_dose"]),
                )
                results = [
                    (
                        "TRGRESP",
                        "Target Response",
                        RECIST_RESPONSE.get(derived.get("target", ""), None),
                        "Y",
                        None,
                    ),
                    (
                        "NTRGRESP",
                        "Non-target Response",
                        RECIST_RESPONSE.get(derived.get("non_target", ""), None),
                        "Y",
                        None,
                    ),
                    (
                        "NEWLIND",
                        "New Lesion Indicator",
                        NEW_LESIONS.get(row["new_lesions"]),
                        None,
                        "INVESTIGATOR",
                    ),
                    (
                        "OVRLRESP",
                        "Overall Response",
                        RECIST_RESPONSE.get(derived.get("overall", ""), None),
                        "Y",
                        None,
                    ),
                    (
                        "OVRLRESP",
                        "Overall Response",
                        RECIST_RESPONSE.get(row["investigator_response"]),
                        None,
                        "INVESTIGATOR",
                    ),
                ]
                for testcd, test, value, derived_flag, evaluator in results:
                    if value is None:
                        continue
                    seq += 1
                    yield (
                        STUDYID,
                        "RS",
                        usubjid(p["code"]),
                        seq,
                        testcd,
                        test,
                        "RECIST 1.1",
                        value,
                        value,
                        derived_flag,
                        evaluator,
                        *tail,
                    )
            ends = chunk.endpoints.get(p["pk"]) or {}
            best = ends.get("best_response_confirmed")
            if best:
                seq += 1
                yield (
                    STUDYID,
                    "RS",
                    usubjid(p["code"]),
                    seq,
                    "BESTRSP",
                    "Best Overall Response",
                    "RECIST 1.1",
                    RECIST_RESPONSE.get(best, best),
                    RECIST_RESPONSE.get(best, best),
                    "Y",
                    None,
                    None,
                    None,
                    None,
                    None,
                )


def rs() -> Domain:
    variables = (
        *KEYS,
        num("RSSEQ", "Sequence Number"),
        char("RSTESTCD", "Assessment Short Name", 8),
        char("RSTEST", "Assessment Name", 40),
        char("RSCAT", "Category for Assessment", 12),
        char("RSORRES", "Result or Finding in Original Units", 14),
        char("RSSTRESC", "Character Result/Finding in Std Format", 14),
        char("RSDRVFL", "Derived Flag", 1),
        char("RSEVAL", "Evaluator", 12),
        num("VISITNUM", "Visit Number"),
        char("VISIT", "Visit Name", 12),
        char("RSDTC", "Date/Time of Response Assessment", 10),
        num("RSDY", "Study Day of Response Assessment"),
    )
    return Domain("RS", "Disease Response", variables, rs_rows)
