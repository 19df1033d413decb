"""RECIST 1.1 (Eisenhauer et al., Eur J Cancer 2009;45:228-247) and the RamuNET endpoints
derived from it: baseline validation, time-point responses, best overall response, disease
control at month 6 and PFS inputs (clinical-rules.md §1; PROTOCOL-NOTES.md "Endpoints")."""

from __future__ import annotations

from ramunet.clinical.recist.baseline import BaselineSummary, validate_baseline
from ramunet.clinical.recist.best_response import (
    confirmed_best_response,
    unconfirmed_best_response,
)
from ramunet.clinical.recist.endpoints import DiseaseControl, PfsOutcome
from ramunet.clinical.recist.evaluation import RecistResult, TimepointResult, evaluate
from ramunet.clinical.recist.model import (
    TOO_SMALL_TO_MEASURE,
    Assessment,
    Baseline,
    Lesion,
    Measurement,
    Method,
    NewLesions,
    NonTargetLesion,
    NonTargetStatus,
    Response,
)
from ramunet.clinical.recist.settings import DEFAULT_RECIST, RecistSettings
from ramunet.clinical.recist.timepoint import classify_overall_response

__all__ = [
    "DEFAULT_RECIST",
    "TOO_SMALL_TO_MEASURE",
    "Assessment",
    "Baseline",
    "BaselineSummary",
    "DiseaseControl",
    "Lesion",
    "Measurement",
    "Method",
    "NewLesions",
    "NonTargetLesion",
    "NonTargetStatus",
    "PfsOutcome",
    "RecistResult",
    "RecistSettings",
    "Response",
    "TimepointResult",
    "classify_overall_response",
    "confirmed_best_response",
    "evaluate",
    "unconfirmed_best_response",
    "validate_baseline",
]
