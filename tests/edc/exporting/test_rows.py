"""values_rows gives the rows Django's values_list gives: equal values of the same types."""

from __future__ import annotations

import pytest

from ramunet.edc.audit.models import AuditRecord
from ramunet.edc.crfs.models import FORMS
from ramunet.edc.endpoints.models import PatientEndpoints
from ramunet.edc.exporting.rows import values_rows
from ramunet.edc.visits.models import Visit


def _same(queryset):
    expected = list(queryset.iterator(chunk_size=7))
    found = list(values_rows(queryset, chunk_size=7))
    assert found == expected
    assert [tuple(map(type, row)) for row in found] == [tuple(map(type, row)) for row in expected]
    return found


def _every_column(model):
    return [
        f"{field.name}_id" if field.is_relation else field.name
        for field in model._meta.concrete_fields
    ]


@pytest.mark.parametrize("code", sorted(FORMS))
def test_every_column_of_every_form_reads_as_django_reads_it(trial, code):
    model = FORMS[code]
    _same(model.objects.order_by("pk").values_list(*_every_column(model)))


def test_audit_records_with_their_times_read_as_django_reads_them(trial):
    rows = _same(AuditRecord.objects.order_by("seq").values_list(*_every_column(AuditRecord)))
    assert rows


def test_visits_endpoints_and_related_columns_read_as_django_reads_them(trial):
    _same(Visit.objects.order_by("pk").values_list("patient__code", *_every_column(Visit)))
    _same(PatientEndpoints.objects.order_by("pk").values_list(*_every_column(PatientEndpoints)))


def test_decimal_values_recurring_read_as_django_reads_them(trial):
    model = FORMS["VITALS"]
    rows = _same(model.objects.order_by("pk").values_list("weight_kg", "weight_kg", "height_cm"))
    assert any(row[0] is not None for row in rows)


def test_a_queryset_with_an_annotation_is_read_by_django_itself(trial):
    from django.db.models import F

    queryset = (
        Visit.objects.annotate(twice=F("order") * 2).order_by("pk").values_list("pk", "twice")
    )
    assert list(values_rows(queryset)) == list(queryset)


def _with_derived_values():
    """The code of a form of the trial with derived values."""
    return next(
        code for code, model in sorted(FORMS.items()) if model.objects.exclude(derived={}).exists()
    )


def test_json_columns_asked_for_as_text_are_the_database_text_of_the_same_value(trial):
    import json

    from ramunet.exports.catalogue import JsonText

    model = FORMS[_with_derived_values()]
    queryset = model.objects.order_by("pk").values_list("pk", "derived", "missing")
    decoded = list(queryset)
    as_text = list(values_rows(queryset, json_text=[1]))
    assert decoded
    for (pk, derived, missing), (text_pk, text, text_missing) in zip(decoded, as_text, strict=True):
        assert type(text) is JsonText
        assert (text_pk, json.loads(text), text_missing) == (pk, derived, missing)


def test_tidy_form_table_and_odm_carry_the_derived_values_as_json_text(trial):
    import csv
    import io
    import json

    from lxml import etree

    from ramunet.edc.exporting.odm_export import write_odm
    from ramunet.edc.exporting.tidy import tidy_tables
    from ramunet.exports.tables import table_csv_blocks

    code = _with_derived_values()
    model = FORMS[code]
    stored = dict(model.objects.values_list("pk", "derived"))
    table = next(t for t in tidy_tables() if t.name == f"form_{code.lower()}")
    rows = list(csv.DictReader(io.StringIO("".join(table_csv_blocks(table)))))
    assert {int(r["record_id"]): json.loads(r["derived"]) for r in rows} == stored
    out = io.BytesIO()
    write_odm(out)
    namespace = {"odm": "http://www.cdisc.org/ns/odm/v1.3"}
    forms = etree.fromstring(out.getvalue()).iterfind(".//odm:FormData[@FormOID]", namespace)
    found = {}
    for form in forms:
        for item in form.iterfind(".//odm:ItemData", namespace):
            if item.get("ItemOID") == f"IT.{code}.DERIVED":
                found[int(form.get("FormRepeatKey"))] = json.loads(item.get("Value"))
    assert found == {pk: derived for pk, derived in stored.items() if derived}
