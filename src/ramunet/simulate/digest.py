"""A digest of a trial's raw data that does not depend on database ids or clock times.

Two simulations with the same seed give the same digest, on SQLite and PostgreSQL alike
(``review.services.casebook_digest`` covers ids and versions; ids differ between
databases whose sequences moved on). Covered: the screening log, each patient's visits, every
eCRF row (visit by code, sample by sample id), lesions and their measurements.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import models

from ramunet.edc.audit.chain import jsonable
from ramunet.edc.crfs.models import FORMS, Lesion, LesionMeasurement
from ramunet.edc.screening.models import Patient, ScreeningEntry
from ramunet.edc.visits.models import Visit

# ids differ between databases; derived values (which may name a baseline form by its id) are
# the system's, not raw data
SKIPPED = frozenset({"id", "patient", "visit", "sample", "screening", "centre", "derived"})


def _row(obj: models.Model) -> dict[str, Any]:
    values = {
        f.name: jsonable(f.value_from_object(obj))
        for f in obj._meta.concrete_fields
        if f.name not in SKIPPED
    }
    if getattr(obj, "visit_id", None):
        values["visit"] = obj.visit.code
    if getattr(obj, "sample_id", None) and hasattr(obj, "sample"):
        values["sample"] = obj.sample.sample_id
    return values


def _text(rows: list[dict[str, Any]]) -> list[str]:
    return sorted(json.dumps(row, sort_keys=True, default=str) for row in rows)


def trial_digest() -> str:
    """SHA-256 over the trial's raw data in a stable order (module docstring)."""
    digest = hashlib.sha256()
    entries = ScreeningEntry.objects.select_related("centre").order_by("centre__code", "number")
    for entry in entries:
        digest.update(f"{entry.label}|{entry.status}".encode())
        digest.update(json.dumps(entry.data, sort_keys=True).encode())
    for patient in Patient.objects.order_by("code"):
        digest.update(patient.code.encode())
        visits = Visit.objects.filter(patient=patient).order_by("order")
        digest.update("\n".join(_text([_row(v) for v in visits])).encode())
        for code, model in sorted(FORMS.items()):
            rows = model.objects.filter(patient=patient).select_related("visit")
            if any(f.name == "sample" for f in model._meta.concrete_fields):
                rows = rows.select_related("sample")
            digest.update(code.encode())
            digest.update("\n".join(_text([_row(row) for row in rows])).encode())
        lesions = Lesion.objects.filter(patient=patient)
        digest.update("\n".join(_text([_row(row) for row in lesions])).encode())
        sizes = LesionMeasurement.objects.filter(lesion__patient=patient).values_list(
            "assessment__form_date", "lesion__label", "diameter_mm", "too_small", "not_assessed"
        )
        digest.update("\n".join(sorted(json.dumps(jsonable(list(row))) for row in sizes)).encode())
    return digest.hexdigest()
