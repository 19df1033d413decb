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
