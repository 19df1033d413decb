"""A canonical digest of the trial's data, independent of row ids: proves two databases hold
the same data (the ODM round trip), patient by patient.

Each patient's text lists the registration record, the visits, every form (values,
missing-value codes, derived values), the lesions and their measurements, and the endpoints
(without their computation time), each as sorted JSON; row ids are replaced by natural keys
(visit code, lesion label, the biosample's sample ID).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from ramunet.edc.crfs.models import FORMS
from ramunet.edc.exporting.catalogue import spec_of
from ramunet.edc.exporting.source import Chunk, Row, chunks
from ramunet.exports.catalogue import FormSpec, value_text


def _canonical(spec: FormSpec, row: Row, extra: dict[str, Any] | None = None) -> str:
    values: dict[str, Any] = {}
    for field in spec.fields:
        key = f"{field.name}_id" if field.kind == "reference" else field.name
        values[field.name] = value_text(field, row.get(key))
    values |= extra or {}
    if "missing" in row:
        values["missing"] = row["missing"] or {}
    return json.dumps(values, sort_keys=True, ensure_ascii=False)


def patient_text(patient: Row, chunk: Chunk) -> str:
    """The canonical text of one patient's data."""
    pk = patient["pk"]
    lines = [_canonical(spec_of("SUBJECT"), patient)]
    visit_code = {v["pk"]: v["code"] for v in chunk.visits.get(pk, [])}
    lines += sorted(_canonical(spec_of("VISIT"), v) for v in chunk.visits.get(pk, []))
    samples = {r["pk"]: r["sample_id"] for r in chunk.rows("BIOSAMPLE", pk)}
    for code in FORMS:
        spec = spec_of(code)
        for row in chunk.rows(code, pk):
            extra: dict[str, Any] = {"_form": code, "_visit": visit_code.get(row["visit_id"])}
            if code == "TRANSL":
                extra["sample"] = samples.get(row["sample_id"])
            if code == "TUMOUR":
                extra["_measurements"] = sorted(
                    json.dumps(
                        {
                            k: str(v)
                            for k, v in m.items()
                            if k not in ("pk", "assessment_id", "version")
                        },
                        sort_keys=True,
                    )
                    for m in chunk.measurements.get(row["pk"], [])
                )
            lines.append(_canonical(spec, row, extra))
    lines[1 + len(visit_code) :] = sorted(lines[1 + len(visit_code) :])
    lesion = spec_of("TUMOUR.LESION")
    lines += sorted(_canonical(lesion, row) for row in chunk.lesions.get(pk, []))
    ends = dict(chunk.endpoints.get(pk) or {})
    for key in ("id", "version", "patient_id", "provenance"):
        ends.pop(key, None)
    lines.append(json.dumps(ends, sort_keys=True, default=str))
    return "\n".join(lines)


def patient_digests() -> dict[str, str]:
    """SHA-256 of every patient's canonical text, by pseudonymous ID."""
    digests: dict[str, str] = {}
    for chunk in chunks():
        for patient in chunk.patients:
            text = patient_text(patient, chunk)
            digests[patient["code"]] = hashlib.sha256(text.encode()).hexdigest()
    return digests
