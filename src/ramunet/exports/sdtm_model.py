"""SDTM-style datasets: domains with standard variables, ISO 8601 dates, study days, and the
controlled terminology the trial's data map to.

A :class:`Domain` names its variables (XPT :class:`~ramunet.exports.xpt_model.Variable`,
every character length declared, so rows stream in one pass) and produces its rows on
demand; :func:`domain_dataset` hands it to the XPT writer, which enforces the v5 limits
(8-character names, 40-byte labels, 200-byte values) with errors naming the domain, the
variable and the row, and :func:`domain_table` to the CSV writer.

References
----------
CDISC, "SDTM Implementation Guide: Human Clinical Trials" v3.4 (2021): §4.4.1 ISO 8601
date/time formats, §4.4.4 study day (--DY), §8.4 supplemental qualifiers (SUPP--).
CDISC Controlled Terminology (NCI EVS): C66742 No Yes Response, C66768 Outcome of Event,
C66767 Action Taken with Study Treatment, C96785 Recist Response (RSORRES).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final
from zoneinfo import ZoneInfo

from ramunet.exports.tables import Column, Table
from ramunet.exports.xpt_model import Dataset, Variable

STUDYID: Final = "RAMUNET"
#: the centres' local time: SDTM date-times are local clock times without an offset
STUDY_ZONE: Final = ZoneInfo("Europe/Berlin")

# C66768 Outcome of Event
AE_OUTCOME: Final = {
    "recovered": "RECOVERED/RESOLVED",
    "recovering": "RECOVERING/RESOLVING",
    "not_recovered": "NOT RECOVERED/NOT RESOLVED",
    "sequelae": "RECOVERED/RESOLVED WITH SEQUELAE",
    "fatal": "FATAL",
    "unknown": "UNKNOWN",
}
# C66767 Action Taken with Study Treatment (a delay is an interruption of the schedule)
AE_ACTION: Final = {
    "none": "DOSE NOT CHANGED",
    "reduced": "DOSE REDUCED",
    "delayed": "DRUG INTERRUPTED",
    "interrupted": "DRUG INTERRUPTED",
    "withdrawn": "DRUG WITHDRAWN",
}
# causality as the sponsor's terms (no CDISC codelist for AEREL), strongest last
AE_RELATION: Final = {
    "not_related": "NOT RELATED",
    "unlikely": "UNLIKELY RELATED",
    "possible": "POSSIBLY RELATED",
    "probable": "PROBABLY RELATED",
    "definite": "RELATED",
}
# seriousness criteria -> SDTM flag variables (SDTMIG 3.4 AE)
AE_SERIOUS_FLAGS: Final = (
    ("death", "AESDTH", "Results in Death"),
    ("life_threatening", "AESLIFE", "Is Life Threatening"),
    ("hospitalisation", "AESHOSP", "Requires or Prolongs Hospitalization"),
    ("disability", "AESDISAB", "Persist or Signif Disability/Incapacity"),
    ("congenital_anomaly", "AESCONG", "Congenital Anomaly or Birth Defect"),
    ("medically_important", "AESMIE", "Other Medically Important Serious Event"),
)
# C66727 Completion/Reason for Non-Completion (DSDECOD)
DS_REASON: Final = {
    "progression": "PROGRESSIVE DISEASE",
    "toxicity": "ADVERSE EVENT",
    "patient_decision": "WITHDRAWAL BY SUBJECT",
    "investigator_decision": "PHYSICIAN DECISION",
    "death": "DEATH",
    "completed": "COMPLETED",
    "consent_withdrawn": "WITHDRAWAL BY SUBJECT",
    "lost_to_follow_up": "LOST TO FOLLOW-UP",
    "other": "OTHER",
}
# C96785 RECIST response (RSORRES / RSSTRESC)
RECIST_RESPONSE: Final = {
    "CR": "CR",
    "PR": "PR",
    "SD": "SD",
    "PD": "PD",
    "NE": "NE",
    "NON-CR/NON-PD": "NON-CR/NON-PD",
    "NOT ALL EVALUATED": "NE",
}
SEX: Final = {"female": "F", "male": "M"}


def yes_no(flag: bool | None) -> str | None:
    """C66742: ``Y``, ``N``, or ``None`` (unknown)."""
    if flag is None:
        return None
    return "Y" if flag else "N"


def iso8601(value: date | datetime | str | None) -> str | None:
    """An ISO 8601 date or date-time (SDTMIG §4.4.1); a partial date (``2015-04``) stays.

    A date-time is given to the minute in the centres' local time (``STUDY_ZONE``), without
    an offset, as the CRF recorded it (``2026-03-16T10:00``).
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        local = value.astimezone(STUDY_ZONE) if value.tzinfo is not None else value
        return local.replace(tzinfo=None).isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return value


def study_day(day: date | datetime | None, reference: date | None) -> int | None:
    """--DY: days from the reference start (RFSTDTC), day 1 being the reference day and no
    day 0 (SDTMIG §4.4.4)."""
    if day is None or reference is None:
        return None
    if isinstance(day, datetime):
        day = day.date()
    difference = (day - reference).days
    return difference + 1 if difference >= 0 else difference


def usubjid(patient_code: str) -> str:
    """The unique subject ID: study and pseudonymous patient ID, e.g. ``RAMUNET-HAL-003``."""
    return f"{STUDYID}-{patient_code}"


def char(name: str, label: str, length: int) -> Variable:
    return Variable(name, label, "char", length)


def num(name: str, label: str) -> Variable:
    return Variable(name, label, "num")


@dataclass(frozen=True, eq=False)
class Domain:
    """An SDTM (or ADaM) dataset: name, label, variables and its rows produced on demand."""

    name: str
    label: str
    variables: tuple[Variable, ...]
    rows: Callable[[], Iterable[Sequence[object]]]

    @property
    def header(self) -> tuple[str, ...]:
        return tuple(variable.name for variable in self.variables)


def domain_dataset(domain: Domain, rows: Iterable[Sequence[object]] | None = None) -> Dataset:
    """The XPT dataset of ``domain`` (its rows, or ``rows`` when given, e.g. a tee)."""
    return Dataset(
        domain.name, domain.label, domain.variables, rows if rows is not None else domain.rows()
    )


def domain_table(domain: Domain) -> Table:
    """The same data as a CSV table."""
    columns = tuple(
        Column(v.name, "text" if v.type == "char" else "decimal", v.label) for v in domain.variables
    )
    return Table(domain.name.lower(), domain.label, columns, domain.rows)


def split_text(value: str | None, limit: int = 200) -> tuple[str | None, tuple[str, ...]]:
    """A free text too long for one SDTM variable: the first part for the variable and the
    rest in pieces for SUPP-- records (QNAM ``<VAR>1``, ``<VAR>2``, ...), each at most
    ``limit`` bytes in UTF-8 (the XPT v5 limit is 200 bytes), split between words where a
    space lies in the piece's second half (SDTMIG v3.4 §4.5.3.2, text over 200 characters).

    Nothing is lost: the pieces joined in order give the text back exactly.
    """
    if value is None or value == "":
        return None, ()
    pieces: list[str] = []
    rest = value
    while len(rest.encode("utf-8")) > limit:
        cut = len(rest.encode("utf-8")[:limit].decode("utf-8", errors="ignore"))
        space = rest.rfind(" ", cut // 2, cut)
        if space > 0:
            cut = space + 1  # the space stays at the end of this piece
        pieces.append(rest[:cut])
        rest = rest[cut:]
    pieces.append(rest)
    return pieces[0], tuple(pieces[1:])
