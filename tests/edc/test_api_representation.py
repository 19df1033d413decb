"""The form endpoints' JSON is DRF's, though their serializers bind their fields once per
class and copy the column fields shallowly (``api.bound_fields``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import models
from rest_framework import serializers

from ramunet.edc.api.forms import FormSerializers, form_models, value_fields
from tests.factories import make_patient

AT = dt.datetime(2026, 2, 1, 9, 30, tzinfo=dt.UTC)


def sample(field: models.Field[Any, Any]) -> Any:
    """A value of the column's type (the first choice where it has choices)."""
    if field.choices:
        return field.choices[0][0]
    if isinstance(field, models.ForeignKey):
        return None
    if isinstance(field, models.DecimalField):
        return Decimal("1.25")
    if isinstance(field, models.DateTimeField):
        return AT
    if isinstance(field, models.DateField):
        return dt.date(2026, 1, 19)
    if isinstance(field, models.BooleanField):
        return True
    if isinstance(field, models.IntegerField):
        return 3
    if isinstance(field, models.JSONField):
        return {"hemoglobin": "not done"}
    return "text"


@pytest.mark.parametrize("model", form_models(), ids=lambda m: m.FORM_CODE)
def test_form_is_written_as_drf_writes_it(model, centre_a):
    patient = make_patient(centre_a)
    form = model(
        pk=41,
        patient=patient,
        version=2,
        derived={"_provenance": {"rule": "x"}},
        **{name: sample(model._meta.get_field(name)) for name in value_fields(model)},
    )
    out = FormSerializers(model).out
    context = {"discrepancies": {41: []}}
    ours = out(form, context=context).data
    drfs = serializers.Serializer.to_representation(out(form, context=context), form)
    assert ours == drfs
    assert ours["values"] and ours["patient"] == "HAL-001" and ours["visit"] is None
    listed = out([form, form], many=True, context=context).data
    assert listed == [drfs, drfs]


@pytest.mark.parametrize("model", form_models(), ids=lambda m: m.FORM_CODE)
def test_copied_fields_validate_as_drfs_deep_copies(model, centre_a):
    patient = make_patient(centre_a)
    given = {name: "not a value" for name in value_fields(model)}
    ours = FormSerializers(model).values(data=given, context={"patient": patient})
    ours.is_valid()

    class Deep(FormSerializers(model).values):  # type: ignore[misc,valid-type]
        def get_fields(self) -> dict[str, Any]:
            return serializers.ModelSerializer.get_fields(self)

    drfs = Deep(data=given, context={"patient": patient})
    drfs.is_valid()
    assert ours.errors == drfs.errors and ours.errors


def test_unique_together_validators_are_found_once_per_class_and_still_refuse(
    centre_a, monkeypatch
):
    from ramunet.edc.api.forms import FormValuesBase
    from ramunet.edc.crfs.models import Lesion

    looked_up = []
    original = serializers.ModelSerializer.get_unique_together_validators

    def counted(self: Any) -> Any:
        looked_up.append(type(self))
        return original(self)

    monkeypatch.setattr(serializers.ModelSerializer, "get_unique_together_validators", counted)
    meta = type("Meta", (), {"model": Lesion, "fields": ["patient", "label", "target", "organ"]})
    values = type("LesionValues", (FormValuesBase,), {"Meta": meta})
    patient = make_patient(centre_a)
    Lesion.objects.create(patient=patient, label="T1", target=True, organ="liver")
    given = {"patient": patient.pk, "label": "T1", "target": True, "organ": "liver"}
    first, second = values(data=given), values(data=given | {"label": "T2"})
    assert not first.is_valid() and second.is_valid()
    refused = ["The fields patient, label must make a unique set."]
    assert first.errors == {"non_field_errors": refused}
    assert looked_up == [values]
