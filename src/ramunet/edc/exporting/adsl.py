"""ADSL-like subject-level analysis dataset: one row per patient with the derived endpoints.

Dates are SAS dates (days since 1960-01-01, format DATE9.) as ADaM expects; censoring
follows the ADaM time-to-event convention (``CNSR`` 0 = event, 1 = censored). The endpoints
are those the EDC derived (``ramunet.edc.endpoints``) with their rules in the endpoint
provenance: best overall response (RECIST 1.1, confirmed and unconfirmed), disease control
at 6 months (the primary endpoint), PFS and OS from the first dose, the chromogranin A best
response, and the relative dose intensity per drug.

References
----------
CDISC, "ADaM Implementation Guide" v1.3 §3.2 (ADSL); "ADaM Basic Data Structure for
Time-to-Event Analyses" v1.0 (CNSR).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, Final

from ramunet.edc.exporting.sdtm_events import age_years
from ramunet.edc.exporting.source import UNREAD_JSON, chunks
from ramunet.exports.sdtm_model import SEX, STUDYID, Domain, char, num, usubjid, yes_no
from ramunet.exports.xpt_model import Variable

SAS_EPOCH: Final = dt.date(1960, 1, 1)


def sas_date(day: dt.date | None) -> int | None:
    """Days since 1 January 1960, the SAS date value."""
    return None if day is None else (day - SAS_EPOCH).days


def _date(name: str, label: str) -> Variable:
    return Variable(name, label, "num", format="DATE9.")


def _censor(event: bool | None) -> int | None:
    return None if event is None else (0 if event else 1)


def _rdi(intensity: dict[str, Any], drug: str) -> Decimal | None:
    value = (intensity.get(drug) or {}).get("relative_dose_intensity")
    return None if value is None else Decimal(str(value))


def adsl_rows() -> Iterator[tuple[Any, ...]]:
    for chunk in chunks(forms=("EXPOSURE", "DEATH"), extras=("endpoints",), json_text=UNREAD_JSON):
        for p in chunk.patients:
            ends = chunk.endpoints.get(p["pk"]) or {}
            given = [r["form_date"] for r in chunk.rows("EXPOSURE", p["pk"]) if r["dose_given_mg"]]
            deaths = chunk.rows("DEATH", p["pk"])
            month6 = ends.get("month6_success")
            intensity = ends.get("dose_intensity") or {}
            yield (
                STUDYID,
                usubjid(p["code"]),
                p["code"],
                p["centre__code"],
                age_years(p["consent_date"].year, p["year_of_birth"]),
                "YEARS",
                SEX.get(p["sex"]),
                "Y",
                yes_no(bool(given)),
                "Y" if deaths else None,
                sas_date(p["first_dose"]),
                sas_date(max(given) if given else None),
                ends.get("best_response") or None,
                ends.get("best_response_confirmed") or None,
                yes_no(month6),
                sas_date(ends.get("month6_assessment_date")),
                ends.get("pfs_days"),
                _censor(ends.get("pfs_event")),
                ends.get("os_days"),
                _censor(ends.get("os_event")),
                ends.get("cga_best_response") or None,
                _rdi(intensity, "ramucirumab"),
                _rdi(intensity, "dacarbazine"),
            )


def adsl() -> Domain:
    variables = (
        char("STUDYID", "Study Identifier", 7),
        char("USUBJID", "Unique Subject Identifier", 20),
        char("SUBJID", "Subject Identifier for the Study", 8),
        char("SITEID", "Study Site Identifier", 3),
        num("AGE", "Age"),
        char("AGEU", "Age Units", 5),
        char("SEX", "Sex", 1),
        char("ITTFL", "Intent-To-Treat Population Flag", 1),
        char("SAFFL", "Safety Population Flag", 1),
        char("DTHFL", "Subject Death Flag", 1),
        _date("TRTSDT", "Date of First Exposure to Treatment"),
        _date("TRTEDT", "Date of Last Exposure to Treatment"),
        char("BORUNC", "Best Overall Response Unconfirmed", 14),
        char("BOR", "Best Overall Response Confirmed", 14),
        char("DC6MFL", "Disease Control at 6 Months Flag", 1),
        _date("DC6MDT", "Date of 6-Month Response Assessment"),
        num("PFSDY", "Progression-Free Survival (Days)"),
        num("PFSCNSR", "PFS Censor (0 Event, 1 Censored)"),
        num("OSDY", "Overall Survival (Days)"),
        num("OSCNSR", "OS Censor (0 Event, 1 Censored)"),
        char("CGABOR", "Chromogranin A Best Response", 20),
        num("RDIRAM", "Relative Dose Intensity Ramucirumab"),
        num("RDIDAC", "Relative Dose Intensity Dacarbazine"),
    )
    return Domain("ADSL", "Subject-Level Analysis Dataset", variables, adsl_rows)
