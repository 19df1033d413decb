"""Django forms generated from the eCRF models: typed widgets, units and missing-value codes.

For a model of ``ramunet.edc.crfs.models`` the form holds every field a person enters (the
service's editable fields, ``crfs.services._editable_fields``): dates as date pickers, numbers
as numeric inputs with their unit beside them (``<name>_unit`` fields), choices as selects, and
for every field that may be left empty a select of the missing-value codes (ND/UNK/NA,
CDISC-style) named ``<name>__missing``. ``values_of`` turns the cleaned form into the
``values`` mapping ``crfs.services.save_form`` takes, the codes folded into ``missing``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from ramunet.edc.crfs.models import AdverseEvent, FormRecord, MissingCode
from ramunet.edc.crfs.services import SYSTEM_FIELDS
from ramunet.edc.web.choice_labels import CHOICE_LABELS, translated

SKIPPED = frozenset({"visit", "missing", "crf_page", "sample"}) | SYSTEM_FIELDS
MISSING_SUFFIX = "__missing"
MISSING_CHOICES = [
    ("", _("value entered (not missing)")),
    (MissingCode.NOT_DONE.value, _("ND: not done")),
    (MissingCode.UNKNOWN.value, _("UNK: unknown")),
    (MissingCode.NOT_APPLICABLE.value, _("NA: not applicable")),
]


@dataclass(frozen=True)
class FieldSpec:
    """One entered value of a form: its field name, its unit field and whether it may be
    coded missing."""

    name: str
    unit: str | None
    missing: bool


def _widget(field: models.Field[Any, Any]) -> forms.Widget | None:
    if isinstance(field, models.DateTimeField):
        return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    if isinstance(field, models.DateField):
        return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    if isinstance(field, models.DecimalField | models.IntegerField) and not field.choices:
        return forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"})
    return None


def _form_field(field: models.Field[Any, Any]) -> forms.Field:
    if field.name == "seriousness":
        return forms.MultipleChoiceField(
            label=_("Seriousness criteria"),
            required=False,
            choices=[
                (c, CHOICE_LABELS.get(c if c != "death" else "death_", c.replace("_", " ")))
                for c in AdverseEvent.SERIOUSNESS
            ],
            widget=forms.CheckboxSelectMultiple,
        )
    widget = _widget(field)
    kwargs: dict[str, Any] = {"required": False}
    if widget is not None:
        kwargs["widget"] = widget
    if isinstance(field, models.DateTimeField):
        kwargs["input_formats"] = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]
    made = field.formfield(**kwargs)
    assert made is not None
    if isinstance(made, forms.ChoiceField):
        made.choices = translated(made.choices)
    if isinstance(field, models.BooleanField) and not isinstance(made, forms.NullBooleanField):
        made.required = False
    return made


@functools.cache
def field_specs(model: type[FormRecord]) -> tuple[FieldSpec, ...]:
    """The entered fields of ``model`` in model order (units folded into their value)."""
    names = [f.name for f in model._meta.concrete_fields if f.editable and f.name not in SKIPPED]
    units = {n for n in names if n.endswith("_unit") and n[: -len("_unit")] in names}
    if "unit" in names and "value" in names:
        units.add("unit")
    specs = []
    for name in names:
        if name in units:
            continue
        field = model._meta.get_field(name)
        unit = f"{name}_unit" if f"{name}_unit" in units else None
        if name == "value" and "unit" in units:
            unit = "unit"
        nullable = bool(getattr(field, "null", False)) and name != "form_date"
        specs.append(FieldSpec(name, unit, nullable))
    return tuple(specs)


@functools.cache
def form_class(model: type[FormRecord]) -> type[forms.Form]:
    """The Django form of ``model`` (built once per model)."""
    attrs: dict[str, Any] = {
        "version": forms.IntegerField(widget=forms.HiddenInput, required=False),
        "reason": forms.CharField(
            label=_("Reason for the change"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
        ),
        "crf_page": forms.CharField(label=_("Paper CRF page"), required=False, max_length=20),
    }
    for spec in field_specs(model):
        field = model._meta.get_field(spec.name)
        made = _form_field(field)
        made.label = _label(field)
        attrs[spec.name] = made
        if spec.unit:
            unit_field = model._meta.get_field(spec.unit)
            attrs[spec.unit] = forms.CharField(
                label=_("Unit"),
                required=False,
                max_length=12,
                widget=forms.TextInput(attrs={"size": 8, "class": "unit-input"}),
                initial=unit_field.default,
            )
        if spec.missing:
            attrs[spec.name + MISSING_SUFFIX] = forms.ChoiceField(
                label=_("Missing-value code"), required=False, choices=MISSING_CHOICES
            )
    return type(f"{model.__name__}Form", (forms.Form,), attrs)


def _label(field: models.Field[Any, Any]) -> Any:
    """The model field's verbose name, capitalised (translated through the catalogue)."""
    from ramunet.edc.web.field_labels import FIELD_LABELS

    return FIELD_LABELS.get(field.name) or str(field.verbose_name).capitalize()


def initial_of(model: type[FormRecord], instance: FormRecord | None) -> dict[str, Any]:
    if instance is None:
        return {"version": None}
    initial: dict[str, Any] = {"version": instance.version, "crf_page": instance.crf_page}
    for spec in field_specs(model):
        initial[spec.name] = getattr(instance, spec.name)
        if spec.unit:
            initial[spec.unit] = getattr(instance, spec.unit)
        if spec.missing:
            initial[spec.name + MISSING_SUFFIX] = (instance.missing or {}).get(spec.name, "")
    return initial


def values_of(model: type[FormRecord], cleaned: dict[str, Any]) -> dict[str, Any]:
    """The ``values`` for ``save_form``: entered fields, units, and the missing codes."""
    values: dict[str, Any] = {"crf_page": cleaned.get("crf_page") or ""}
    missing: dict[str, str] = {}
    for spec in field_specs(model):
        value = cleaned.get(spec.name)
        field = model._meta.get_field(spec.name)
        if value in (None, "") and field.has_default() and field.choices:
            value = field.get_default()  # a select left on its blank choice: the default
        if value is None and not getattr(field, "null", False):
            if isinstance(field, models.BooleanField):
                value = False
            elif isinstance(field, models.CharField | models.TextField):
                value = ""
            elif field.has_default():
                value = field.get_default()
        if isinstance(field, models.CharField | models.TextField) and value is None:
            value = ""
        if spec.name == "seriousness":
            value = list(value or [])
        if value is not None or getattr(field, "null", False):
            values[spec.name] = value
        if spec.unit:
            values[spec.unit] = cleaned.get(spec.unit) or model._meta.get_field(spec.unit).default
        code = cleaned.get(spec.name + MISSING_SUFFIX) if spec.missing else ""
        if code:
            missing[spec.name] = code
    values["missing"] = missing
    return values
