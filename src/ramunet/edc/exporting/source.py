"""Reading the trial database for the exports: patients in chunks, every form of a chunk at once.

A chunk of patients costs one query per model (no N+1) and memory in proportion to the
chunk, not to the trial, so exports of any size run in flat memory.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from typing import Any, Final

from ramunet.edc.crfs.models import FORMS, Lesion, LesionMeasurement
from ramunet.edc.endpoints.models import PatientEndpoints
from ramunet.edc.exporting.catalogue import (
    LESION_FIELDS,
    MEASURE_FIELDS,
    SUBJECT_FIELDS,
    VISIT_FIELDS,
    form_specs,
    spec_of,
)
from ramunet.edc.exporting.rows import values_rows
from ramunet.edc.screening.models import Patient
from ramunet.edc.visits.models import Visit

CHUNK_PATIENTS: Final = 100
#: every column of the derived endpoints (what ``.values()`` reads)
_ENDPOINT_COLUMNS: Final = tuple(field.attname for field in PatientEndpoints._meta.concrete_fields)

Row = dict[str, Any]


@dataclass
class Chunk:
    """The data of some patients, grouped by patient pk (rows as dicts of field values).

    ``forms[code][patient_pk]`` lists that form's rows (each with ``pk``, ``visit_id`` and
    ``missing``), ordered by form date; ``visits`` by patient in calendar order; ``lesions``
    by patient; ``measurements`` by assessment pk; ``endpoints`` one row per patient.
    """

    patients: list[Row]
    forms: dict[str, dict[int, list[Row]]] = field(default_factory=dict)
    visits: dict[int, list[Row]] = field(default_factory=dict)
    lesions: dict[int, list[Row]] = field(default_factory=dict)
    measurements: dict[int, list[Row]] = field(default_factory=dict)
    endpoints: dict[int, Row] = field(default_factory=dict)

    def rows(self, code: str, patient_pk: int) -> list[Row]:
        return self.forms.get(code, {}).get(patient_pk, [])


def _fields(code: str) -> list[str]:
    spec = next(s for s in form_specs() if s.code == code)
    return [f.name if f.kind != "reference" else f"{f.name}_id" for f in spec.fields]


def _json_fields(code: str, asked: bool | Collection[str]) -> frozenset[str]:
    """The JSON fields of form ``code`` to read as text: all (``asked`` True), none
    (False), or those named."""
    fields = frozenset(f.name for f in spec_of(code).fields if f.kind == "json")
    if isinstance(asked, bool):
        return fields if asked else frozenset()
    return fields & frozenset(asked)


def _dicts(queryset: Any, names: tuple[str, ...], json_text: Collection[str] = ()) -> Iterator[Row]:
    """The rows of ``queryset.values(*names)`` as dicts, read through ``values_rows`` (the
    JSON of the columns ``json_text`` as its text)."""
    positions = [index for index, name in enumerate(names) if name in json_text]
    for row in values_rows(queryset.values_list(*names), json_text=positions):
        yield dict(zip(names, row, strict=True))


def _grouped(rows: Any, key: str) -> dict[int, list[Row]]:
    grouped: dict[int, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[row[key]].append(row)
    return dict(grouped)


EXTRAS: Final = ("visits", "lesions", "measurements", "endpoints")
#: JSON fields most SDTM domains do not read: the derived values (with their provenance)
#: and a visit's expected forms, left undecoded for them (``json_text``)
UNREAD_JSON: Final = ("derived", "expected_forms")


def load_chunk(
    patients: list[Row],
    forms: Collection[str] | None = None,
    extras: Collection[str] = EXTRAS,
    json_text: bool | Collection[str] = False,
) -> Chunk:
    """Every form (or those of ``forms``) of ``patients``, and their visits, lesions,
    measurements and endpoints (those of ``extras``); the JSON fields of the forms and
    visits ``json_text`` names (True: all; never ``missing``) as their text
    (``rows.JsonText``), not decoded: for a writer that copies them, or does not read them."""
    ids = [p["pk"] for p in patients]
    chunk = Chunk(patients)
    for code, model in FORMS.items():
        if forms is not None and code not in forms:
            continue
        rows = _dicts(
            model.objects.filter(patient_id__in=ids).order_by("patient_id", "form_date", "pk"),
            ("pk", "patient_id", "visit_id", "missing", "version", *_fields(code)),
            _json_fields(code, json_text),
        )
        chunk.forms[code] = _grouped(rows, "patient_id")
    if "visits" in extras:
        chunk.visits = _grouped(_visits(ids, _json_fields("VISIT", json_text)), "patient_id")
    if "lesions" in extras:
        chunk.lesions = _grouped(_lesions(ids), "patient_id")
    if "measurements" in extras:
        chunk.measurements = _grouped(_measurements(ids), "assessment_id")
    if "endpoints" in extras:
        chunk.endpoints = {
            row["patient_id"]: row
            for row in _dicts(
                PatientEndpoints.objects.filter(patient_id__in=ids), _ENDPOINT_COLUMNS
            )
        }
    return chunk


def _visits(ids: list[int], json_text: Collection[str]) -> Any:
    return _dicts(
        Visit.objects.filter(patient_id__in=ids).order_by("patient_id", "order"),
        ("pk", "patient_id", *VISIT_FIELDS),
        json_text,
    )


def _lesions(ids: list[int]) -> Any:
    return _dicts(
        Lesion.objects.filter(patient_id__in=ids).order_by("patient_id", "pk"),
        ("pk", "patient_id", "version", *LESION_FIELDS),
    )


def _measurements(ids: list[int]) -> Any:
    return _dicts(
        LesionMeasurement.objects.filter(lesion__patient_id__in=ids).order_by(
            "assessment_id", "lesion_id"
        ),
        (
            "pk",
            "assessment_id",
            "version",
            "lesion__label",
            *[f for f in MEASURE_FIELDS if f != "lesion"],
        ),
    )


def patient_rows() -> Iterator[Row]:
    """Every registered patient, in code order, with the centre code and screening number."""
    yield from _dicts(
        Patient.objects.order_by("code"),
        (
            "pk",
            "code",
            "centre__code",
            "centre__country",
            "screening__number",
            "screening__screened_on",
            *SUBJECT_FIELDS,
        ),
    )


def chunks(
    size: int = CHUNK_PATIENTS,
    forms: Collection[str] | None = None,
    extras: Collection[str] = EXTRAS,
    json_text: bool | Collection[str] = False,
) -> Iterator[Chunk]:
    """The trial in chunks of ``size`` patients, each loaded in one query per model (only
    the models of ``forms`` and the ``extras`` asked for; ``json_text``: see
    ``load_chunk``)."""
    batch: list[Row] = []
    for patient in patient_rows():
        batch.append(patient)
        if len(batch) == size:
            yield load_chunk(batch, forms, extras, json_text)
            batch = []
    if batch:
        yield load_chunk(batch, forms, extras, json_text)
