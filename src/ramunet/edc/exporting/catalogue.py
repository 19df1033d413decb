"""The eCRF models described as plain data (``ramunet.exports.catalogue``), read from Django.

One description feeds the ODM metadata, the data dictionary and the tidy tables. Besides
the 23 forms of ``crfs.models.FORMS`` it describes the patient record (``SUBJECT``), the
visit record (``VISIT``) and the tumour form's repeating parts (``TUMOUR.LESION``,
``TUMOUR.MEASURE``), so an ODM file carries everything the import needs.
"""

from __future__ import annotations

import functools
import inspect
import re
from decimal import Decimal
from typing import Any, Final

from django.db import models

from ramunet.edc.crfs import checks, form_checks
from ramunet.edc.crfs.models import (
    FORMS,
    AdverseEvent,
    Chemistry,
    Coagulation,
    Exposure,
    FormRecord,
    Haematology,
    Lesion,
    LesionMeasurement,
    VitalSigns,
)
from ramunet.edc.screening.models import Patient
from ramunet.edc.visits.models import Visit
from ramunet.exports.catalogue import FieldKind, FieldSpec, FormSpec

#: Columns every form has that are bookkeeping, not data (``missing`` is described apart).
SKIPPED: Final = frozenset({"id", "version", "patient", "visit", "frozen", "missing"})
SUBJECT_FIELDS: Final = (
    "sequence",
    "sex",
    "year_of_birth",
    "consent_date",
    "registered_on",
    "planned_first_dose",
    "first_dose",
    "status",
    "override_reason",
    "locked",
)
VISIT_FIELDS: Final = (
    "code",
    "label",
    "order",
    "unscheduled",
    "planned_date",
    "earliest",
    "latest",
    "actual_date",
    "status",
    "expected_forms",
    "note",
)
LESION_FIELDS: Final = ("label", "target", "organ", "nodal", "location")
MEASURE_FIELDS: Final = ("lesion", "diameter_mm", "too_small", "not_assessed")

_SUFFIX_UNITS: Final = (
    ("_mmhg", "mmHg"),
    ("_bpm", "beats/min"),
    ("_mm", "mm"),
    ("_cm", "cm"),
    ("_kg", "kg"),
    ("_mg", "mg"),
    ("_percent", "%"),
    ("temperature_c", "C"),
)
_RULE: Final = re.compile(r'"([a-z][a-z0-9_]*\.[a-z][a-z0-9_]*)"')


def _kind(field: models.Field[Any, Any]) -> FieldKind:
    if isinstance(field, models.ForeignKey):
        return "reference"
    if isinstance(field, models.BooleanField):
        return "boolean"
    if isinstance(field, models.DateTimeField):
        return "datetime"
    if isinstance(field, models.DateField):
        return "date"
    if isinstance(field, models.DecimalField):
        return "decimal"
    if isinstance(field, models.IntegerField):
        return "integer"
    if isinstance(field, models.JSONField):
        return "json"
    return "text"


def _unit(model: type[models.Model], name: str) -> str | None:
    try:
        companion = model._meta.get_field(f"{name}_unit")
    except Exception:  # FieldDoesNotExist: no companion unit field
        companion = None
    if companion is not None:
        default = companion.default  # type: ignore[union-attr]
        return str(default) if isinstance(default, str) and default else None
    for suffix, unit in _SUFFIX_UNITS:
        if name.endswith(suffix):
            return unit
    return None


def _ranges(model: type[models.Model]) -> dict[str, str]:
    """Numeric range checks of a form, by field."""
    ranges: dict[str, str] = {}
    soft: dict[str, tuple[Decimal, Decimal]] = (
        checks.PLAUSIBLE if model in (Haematology, Chemistry, Coagulation) else {}
    )
    for name, (low, high) in soft.items():
        ranges[name] = f"soft: plausible {low}-{high} in the canonical unit, else a query"
    hard: dict[str, tuple[Decimal, Decimal]] = {}
    if model is VitalSigns:
        hard = checks.VITAL_LIMITS
    elif model.__name__ == "PhysicalExam":
        hard = form_checks.PE_LIMITS
    for name, (low, high) in hard.items():
        ranges[name] = f"hard: {low}-{high}, else the save is refused"
    return ranges


def _field_checks(field: models.Field[Any, Any], extra: str | None) -> tuple[str, ...]:
    found: list[str] = []
    if not (field.null or field.blank or field.has_default()):
        found.append("required")
    if isinstance(field, models.CharField) and field.max_length:
        found.append(f"at most {field.max_length} characters")
    if isinstance(field, models.DecimalField):
        found.append(f"at most {field.max_digits} digits, {field.decimal_places} decimals")
    if isinstance(field, models.PositiveIntegerField | models.PositiveSmallIntegerField):
        found.append("not negative")
    if field.choices:
        found.append("one of the allowed values")
    if extra:
        found.append(extra)
    return tuple(found)


def field_spec(
    model: type[models.Model], name: str, ranges: dict[str, str] | None = None
) -> FieldSpec:
    """Describe one model field."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)
    kind = _kind(field)
    choices = tuple((str(code), str(label)) for code, label in (field.choices or ()))
    return FieldSpec(
        name=name,
        label=str(field.verbose_name),
        kind=kind,
        required=not (field.null or field.blank or field.has_default()),
        max_length=field.max_length if kind == "text" else None,
        digits=getattr(field, "max_digits", None),
        decimals=getattr(field, "decimal_places", None),
        choices=choices,
        unit=_unit(model, name) if kind in ("decimal", "integer") else None,
        help=str(field.help_text or ""),
        checks=_field_checks(field, (ranges or {}).get(name)),
        derived=not field.editable or name in ("derived", "computed_dose_mg"),
    )


def _form_rules(model: type[FormRecord]) -> tuple[str, ...]:
    """The stable rule codes of a form's edit checks, read from its check function."""
    functions: list[Any] = [checks.run_checks, checks.check_missing_codes]
    by_model: dict[type[FormRecord], Any] = {
        Haematology: checks.check_lab,
        Chemistry: checks.check_lab,
        Coagulation: checks.check_lab,
        VitalSigns: checks.check_vitals,
        AdverseEvent: checks.check_adverse_event,
        Exposure: checks.check_exposure,
    }
    name = f"check_{model.__name__.lower()}"
    specific = by_model.get(model) or getattr(form_checks, name, None)
    if specific is None:
        specific = _form_check_by_dispatch(model)
    if specific is not None:
        functions.append(specific)
    rules: list[str] = []
    for function in functions:
        for rule in _RULE.findall(inspect.getsource(function)):
            if rule not in rules:
                rules.append(rule)
    return tuple(rules)


def _form_check_by_dispatch(model: type[FormRecord]) -> Any:
    source = inspect.getsource(form_checks.check_form)
    match = re.search(rf"\b{model.__name__}: (\w+)", source)
    return getattr(form_checks, match.group(1)) if match else None


@functools.cache
def form_specs() -> tuple[FormSpec, ...]:
    """Every form in ``FORMS`` order, preceded by ``SUBJECT`` and ``VISIT``."""
    specs = [subject_spec(), visit_spec()]
    for code, model in FORMS.items():
        ranges = _ranges(model)
        names = [
            f.name
            for f in model._meta.concrete_fields
            if f.name not in SKIPPED and not f.name.endswith("_ptr")
        ]
        specs.append(
            FormSpec(
                code=code,
                name=str(model._meta.verbose_name),
                repeating=model.REPEATING,
                fields=tuple(field_spec(model, name, ranges) for name in names),
                checks=_form_rules(model),
            )
        )
    return tuple(specs)


def subject_spec() -> FormSpec:
    return FormSpec(
        "SUBJECT",
        "registered patient",
        False,
        tuple(field_spec(Patient, name) for name in SUBJECT_FIELDS),
    )


def visit_spec() -> FormSpec:
    return FormSpec("VISIT", "visit", False, tuple(field_spec(Visit, n) for n in VISIT_FIELDS))


@functools.cache
def part_specs() -> dict[str, tuple[FormSpec, ...]]:
    """The repeating parts of forms: the tumour form's lesions and measurements."""
    lesion = FormSpec(
        "TUMOUR.LESION", "lesion", True, tuple(field_spec(Lesion, n) for n in LESION_FIELDS)
    )
    measure = FormSpec(
        "TUMOUR.MEASURE",
        "lesion measurement",
        True,
        tuple(field_spec(LesionMeasurement, n) for n in MEASURE_FIELDS),
    )
    return {"TUMOUR": (lesion, measure)}


def spec_of(code: str) -> FormSpec:
    for spec in form_specs():
        if spec.code == code:
            return spec
    for parts in part_specs().values():
        for spec in parts:
            if spec.code == code:
                return spec
    raise KeyError(code)
