"""The data a report is computed from: plain frozen rows, read once from the trial database.

``ramunet.edc.reporting.dataset.load_dataset`` fills a ``TrialDataset`` with bulk queries; the
analysis (``ramunet.report.analysis``) sees only these rows, so that a report can be recomputed
from a dataset alone. ``TrialDataset.snapshot_hash`` is a SHA-256 over the dataset's canonical
JSON serialisation: two databases that give the same dataset give the same hash, and the report
records it beside the audit chain's head (PROTOCOL-NOTES.md "Data management": database close,
then transfer to the biometrician).

Patients appear only by their pseudonymous codes (e.g. ``HAL-003``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CentreRow:
    """A trial centre and the date it opened for recruitment."""

    code: str
    name: str
    activated_on: dt.date | None


@dataclass(frozen=True)
class ScreeningRow:
    """One candidate of the screening log; failures carry their reasons as text."""

    centre: str
    number: int
    screened_on: dt.date
    status: str  # open, failed, registered, withdrawn
    failure_reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class PatientRow:
    """A registered patient with baseline characteristics and the end of treatment/study."""

    code: str
    centre: str
    sex: str
    year_of_birth: int
    consent_date: dt.date
    registered_on: dt.date
    first_dose: dt.date | None
    status: str
    tumour_grade: str = ""
    ki67_percent: float | None = None
    functional_tumour: bool | None = None
    liver_metastases: bool | None = None
    ecog_baseline: int | None = None
    end_of_treatment_date: dt.date | None = None
    end_of_treatment_reason: str = ""
    end_of_study_date: dt.date | None = None
    end_of_study_reason: str = ""
    death_date: dt.date | None = None

    @property
    def age_at_consent_years(self) -> int:
        """Age in years from the year of birth (the EDC keeps no full date of birth)."""
        return self.consent_date.year - self.year_of_birth


@dataclass(frozen=True)
class EndpointRow:
    """The endpoints the EDC derived for one patient (``ramunet.edc.endpoints``)."""

    patient: str
    best_response: str
    best_response_confirmed: str
    month6_success: bool | None
    month6_reason: str
    month6_assessment_date: dt.date | None
    progression_date: dt.date | None
    pfs_event: bool | None
    pfs_days: int | None
    os_event: bool | None
    os_days: int | None
    cga_best_response: str
    cycles: int | None
    rdi_ramucirumab_pct: float | None
    rdi_dacarbazine_pct: float | None


@dataclass(frozen=True)
class TumourPoint:
    """One follow-up RECIST 1.1 time point as the EDC derived it."""

    patient: str
    date: dt.date
    overall: str
    change_from_baseline_pct: float | None


@dataclass(frozen=True)
class AdverseEventRow:
    """One reported adverse event (CTCAE v5.0 term and grade)."""

    patient: str
    term: str
    grade: int
    onset: dt.date
    end_date: dt.date | None
    serious: bool
    seriousness: tuple[str, ...]
    relation_ramucirumab: str
    relation_dacarbazine: str
    outcome: str


@dataclass(frozen=True)
class LabGrade:
    """The worst CTCAE v5.0 grade (>= 1) of one term graded from one patient's values."""

    patient: str
    term: str
    grade: int


@dataclass(frozen=True)
class CgaValue:
    """One chromogranin A (or specific hormone) value."""

    patient: str
    date: dt.date
    marker: str
    value: float
    uln: float | None


@dataclass(frozen=True)
class QlqScores:
    """One EORTC QLQ-C30 questionnaire's scale scores (0-100; None where not scored)."""

    patient: str
    date: dt.date
    scores: tuple[tuple[str, float | None], ...]


@dataclass(frozen=True)
class BiomarkerValue:
    """One central-pathology result (translational marker)."""

    patient: str
    marker: str
    value: float | None
    category: str


@dataclass(frozen=True)
class TrialDataset:
    """Everything the report reads, in a fixed order (patients by code, rows by date)."""

    centres: tuple[CentreRow, ...]
    screening: tuple[ScreeningRow, ...]
    patients: tuple[PatientRow, ...]
    endpoints: tuple[EndpointRow, ...]
    tumour: tuple[TumourPoint, ...]
    adverse_events: tuple[AdverseEventRow, ...]
    lab_grades: tuple[LabGrade, ...]
    cga: tuple[CgaValue, ...]
    qlq: tuple[QlqScores, ...]
    biomarkers: tuple[BiomarkerValue, ...]
    locked: bool
    audit_seq: int
    audit_head_hash: str
    data_cutoff: dt.date | None

    def canonical_json(self) -> bytes:
        """The dataset as canonical JSON (sorted keys, no spaces, ISO dates, UTF-8).

        Each table is a list of rows, each row the list of its field values in field order.
        The audit chain's position is left out: it moves with every login and export while
        the data stay the same; it is recorded beside the hash instead.
        """
        content: dict[str, Any] = {}
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if field.name in ("audit_seq", "audit_head_hash"):
                continue
            if isinstance(value, tuple):
                # frozen dataclass rows keep their fields in definition order in __dict__
                content[field.name] = [list(vars(row).values()) for row in value]
            else:
                content[field.name] = value
        return json.dumps(
            content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_iso
        ).encode("utf-8")

    def snapshot_hash(self) -> str:
        """SHA-256 (hex) of ``canonical_json()``."""
        return hashlib.sha256(self.canonical_json()).hexdigest()


def _iso(value: Any) -> str:
    """Dates in ISO form; anything else JSON cannot hold is an error."""
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not part of a report dataset")
