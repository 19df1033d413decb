"""Tidy, analysis-ready tables for R and Python users, streamed from the database.

- ``patients``, ``visits``: one row per patient, per visit;
- ``form_<code>``: one table per eCRF, one row per form, typed columns; a choice field has a
  ``<field>_label`` column with its decode; the derived values (with their provenance) as
  the database's JSON text; JSON answers go to their own tables;
- ``multi_choice``: one row per answer ticked in a multiple-choice question (an adverse
  event's seriousness criteria);
- ``missing_values``: one row per missing-value code (ND not done, UNK unknown, NA not
  applicable): an empty cell *with* a code here was asked and is known to be missing; an
  empty cell without one was not answered;
- ``lesions``, ``lesion_measurements``, ``endpoints``;
- and the trail tables of ``trail``: ``audit_records`` and ``audit_changes``, ``queries``,
  ``query_messages``, ``sdv_status``, ``signatures``.

Each table is one query streamed with ``.iterator(chunk_size=...)`` (``missing_values`` and
``multi_choice`` one per form model), so memory stays flat. Patients appear only under their
pseudonymous IDs.
"""

from __future__ import annotations

import functools
import json
import operator
from collections.abc import Iterator
from typing import Any, Final

from ramunet.edc.crfs.models import FORMS, Lesion, LesionMeasurement
from ramunet.edc.endpoints.models import PatientEndpoints
from ramunet.edc.exporting.catalogue import form_specs, part_specs, spec_of
from ramunet.edc.exporting.rows import values_rows
from ramunet.edc.exporting.trail import trail_tables
from ramunet.edc.screening.models import Patient
from ramunet.edc.visits.models import Visit
from ramunet.exports.catalogue import MISSING_CODES, FieldSpec, FormSpec
from ramunet.exports.tables import Column, ColumnKind, Table

CHUNK_ROWS: Final = 2000
_MISSING_MEANING: Final = dict(MISSING_CODES)


def _kind(field: FieldSpec) -> ColumnKind:
    return "text" if field.kind == "reference" else field.kind


def _stream(queryset: Any) -> Iterator[tuple[Any, ...]]:
    return values_rows(queryset, CHUNK_ROWS)


def _patients() -> Table:
    spec = spec_of("SUBJECT")
    columns = (
        Column("patient_id", "text", "pseudonymous patient ID"),
        Column("centre", "text", "centre code"),
        *(Column(f.name, _kind(f), f.label) for f in spec.fields),
    )
    names = [f.name for f in spec.fields]
    return Table(
        "patients",
        "registered patients",
        columns,
        lambda: _stream(
            Patient.objects.order_by("code").values_list("code", "centre__code", *names)
        ),
    )


def _visits() -> Table:
    spec = spec_of("VISIT")
    fields = [f for f in spec.fields if f.kind != "json"]
    columns = (
        Column("patient_id", "text", "pseudonymous patient ID"),
        *(Column(f.name, _kind(f), f.label) for f in fields),
    )
    names = [f.name for f in fields]
    return Table(
        "visits",
        "visits (planned, done, missed)",
        columns,
        lambda: _stream(
            Visit.objects.order_by("patient__code", "order").values_list("patient__code", *names)
        ),
    )


def _form_table(spec: FormSpec) -> Table:
    model = FORMS[spec.code]
    fields = [f for f in spec.fields if f.kind != "json" or f.name == "derived"]
    columns: list[Column] = [
        Column("patient_id", "text", "pseudonymous patient ID"),
        Column("visit", "text", "visit code (empty: a form without a visit)"),
        Column("record_id", "integer", "form record ID (links queries, marks, missing codes)"),
    ]
    # each column read once; a choice field's label column decodes the code it follows
    read: list[str] = ["patient__code", "visit__code", "pk"]
    layout: list[int] = [0, 1, 2]  # the read column of each table column
    labelled: list[tuple[int, int, dict[str, str]]] = []  # table column, read column, labels
    for field in fields:
        columns.append(Column(field.name, _kind(field), field.label, field.unit or ""))
        read.append(f"{field.name}_id" if field.kind == "reference" else field.name)
        layout.append(len(read) - 1)
        if field.choices:
            columns.append(Column(f"{field.name}_label", "text", f"{field.label} (label)"))
            labelled.append((len(layout), len(read) - 1, dict(field.choices)))
            layout.append(len(read) - 1)
    pick = operator.itemgetter(*layout)
    derived = [index for index, name in enumerate(read) if name == "derived"]

    def rows() -> Iterator[list[Any]]:
        queryset = model.objects.order_by("patient__code", "form_date", "pk").values_list(*read)
        for row in values_rows(queryset, CHUNK_ROWS, json_text=derived):
            cells = list(pick(row))
            for column, source, labels in labelled:
                value = row[source]
                cells[column] = labels.get(str(value), "") if value not in (None, "") else ""
            yield cells

    return Table(f"form_{spec.code.lower()}", spec.name, tuple(columns), rows)


def _cell(value: Any, decoder: dict[str, str] | None) -> Any:
    if decoder is not None:
        return decoder.get(str(value), "") if value not in (None, "") else ""
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return value


def _missing_values() -> Table:
    columns = (
        Column("patient_id", "text"),
        Column("form", "text", "form code"),
        Column("record_id", "integer"),
        Column("field", "text"),
        Column("code", "text", "missing-value code (ND, UNK, NA)"),
        Column("meaning", "text"),
    )

    def rows() -> Iterator[tuple[Any, ...]]:
        for code, model in FORMS.items():
            queryset = (
                model.objects.exclude(missing={})
                .order_by("patient__code", "pk")
                .values_list("patient__code", "pk", "missing")
            )
            for patient, pk, missing in _stream(queryset):
                for field, value in sorted((missing or {}).items()):
                    yield patient, code, pk, field, value, _MISSING_MEANING.get(value, "")

    return Table("missing_values", "missing-value codes, one per field", columns, rows)


def _multi_choice() -> Table:
    """Answers of multiple-choice questions (JSON lists of codes), one row per answer."""
    questions = [
        (spec.code, field.name)
        for spec in form_specs()
        if spec.code in FORMS
        for field in spec.fields
        if field.kind == "json" and field.name != "derived"
    ]
    columns = (
        Column("patient_id", "text"),
        Column("form", "text"),
        Column("record_id", "integer"),
        Column("field", "text"),
        Column("answer", "text"),
    )

    def rows() -> Iterator[tuple[Any, ...]]:
        for code, name in questions:
            queryset = FORMS[code].objects.order_by("patient__code", "pk")
            for patient, pk, answers in _stream(queryset.values_list("patient__code", "pk", name)):
                for answer in answers or []:
                    yield patient, code, pk, name, str(answer)

    return Table("multi_choice", "multiple-choice answers, one row per answer", columns, rows)


def _lesions() -> Table:
    spec = spec_of("TUMOUR.LESION")
    names = [f.name for f in spec.fields]
    columns = (
        Column("patient_id", "text"),
        *(Column(f.name, _kind(f), f.label) for f in spec.fields),
    )
    return Table(
        "lesions",
        "lesions declared at baseline (RECIST 1.1)",
        columns,
        lambda: _stream(
            Lesion.objects.order_by("patient__code", "label").values_list("patient__code", *names)
        ),
    )


def _measurements() -> Table:
    spec = part_specs()["TUMOUR"][1]
    names = [f.name for f in spec.fields if f.name != "lesion"]
    columns = (
        Column("patient_id", "text"),
        Column("assessment_record_id", "integer", "record_id in form_tumour"),
        Column("assessment_date", "date"),
        Column("lesion", "text", "lesion label"),
        *(
            Column(n, _kind(spec.field(n)), spec.field(n).label, spec.field(n).unit or "")
            for n in names
        ),
    )
    return Table(
        "lesion_measurements",
        "target lesion sizes per assessment (mm)",
        columns,
        lambda: _stream(
            LesionMeasurement.objects.order_by(
                "lesion__patient__code", "assessment__form_date", "lesion__label"
            ).values_list(
                "lesion__patient__code",
                "assessment_id",
                "assessment__form_date",
                "lesion__label",
                *names,
            )
        ),
    )


ENDPOINT_COLUMNS: Final = (
    ("best_response", "text", "best overall response (unconfirmed), RECIST 1.1"),
    ("best_response_confirmed", "text", "best overall response (confirmed)"),
    ("progression_date", "date", "date of progression"),
    ("month6_success", "boolean", "disease control at 6 months (primary endpoint)"),
    ("month6_reason", "text", "why (primary endpoint)"),
    ("month6_assessment_date", "date", "assessment deciding the primary endpoint"),
    ("pfs_event", "boolean", "PFS event (false: censored)"),
    ("pfs_date", "date", "PFS event or censoring date"),
    ("pfs_days", "integer", "PFS time from first dose (days)"),
    ("pfs_reason", "text", "PFS event or censoring reason"),
    ("os_event", "boolean", "death (false: censored)"),
    ("os_date", "date", "death or censoring date"),
    ("os_days", "integer", "OS time from first dose (days)"),
    ("os_reason", "text", "OS event or censoring reason"),
    ("cga_best_response", "text", "chromogranin A best biochemical response"),
    ("cga", "json", "chromogranin A course"),
    ("dose_intensity", "json", "relative dose intensity per drug"),
    ("qol_change", "json", "QLQ-C30 change from baseline"),
)


def _endpoints() -> Table:
    columns = (
        Column("patient_id", "text"),
        *(Column(name, kind, label) for name, kind, label in ENDPOINT_COLUMNS),  # type: ignore[arg-type]
    )
    names = [name for name, _, _ in ENDPOINT_COLUMNS]

    def rows() -> Iterator[tuple[Any, ...]]:
        queryset = PatientEndpoints.objects.order_by("patient__code").values_list(
            "patient__code", *names
        )
        for row in _stream(queryset):
            yield tuple(_cell(value, None) for value in row)

    return Table("endpoints", "derived endpoints per patient", columns, rows)


@functools.cache
def tidy_tables() -> tuple[Table, ...]:
    """Every tidy table, in the order of the package."""
    forms = [spec for spec in form_specs() if spec.code in FORMS]
    return (
        _patients(),
        _visits(),
        *(_form_table(spec) for spec in forms),
        _multi_choice(),
        _missing_values(),
        _lesions(),
        _measurements(),
        _endpoints(),
        *trail_tables(),
    )
