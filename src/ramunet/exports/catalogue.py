"""What an eCRF holds, as plain data: forms, their fields, types, units, choices and checks.

The EDC describes its models with these (``ramunet.edc.exporting.catalogue``); the ODM
metadata (:mod:`ramunet.exports.odm_meta`), the data dictionary
(:mod:`ramunet.exports.dictionary`) and the tidy tables are all generated from one
description, so they cannot disagree.

References
----------
CDISC, "ODM 1.3.2" §3.1.1.3.7 ItemDef (data types), §2.13 Data Formats.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Final, Literal

from ramunet.clinical.errors import InvalidInput, UnknownTerm

FieldKind = Literal[
    "text", "integer", "decimal", "date", "datetime", "boolean", "json", "reference"
]
FIELD_KINDS: Final = (
    "text",
    "integer",
    "decimal",
    "date",
    "datetime",
    "boolean",
    "json",
    "reference",
)

#: Missing-value codes kept apart from values (``crfs.models.MissingCode``).
MISSING_CODES: Final = (("ND", "not done"), ("UNK", "unknown"), ("NA", "not applicable"))


@dataclass(frozen=True)
class FieldSpec:
    """One field of a form.

    ``choices`` are (code, label) pairs; ``unit`` the unit its values are entered in (or the
    default of its companion ``<name>_unit`` field); ``checks`` the edit checks in words.
    ``derived`` marks a value the system computes (never entered).
    """

    name: str
    label: str
    kind: FieldKind
    required: bool = False
    max_length: int | None = None
    digits: int | None = None
    decimals: int | None = None
    choices: tuple[tuple[str, str], ...] = ()
    unit: str | None = None
    help: str = ""
    checks: tuple[str, ...] = ()
    derived: bool = False

    def __post_init__(self) -> None:
        if self.kind not in FIELD_KINDS:
            raise UnknownTerm(f"field {self.name} kind", self.kind, FIELD_KINDS)


@dataclass(frozen=True)
class FormSpec:
    """One eCRF: its stable code, name, whether it repeats, and its fields in order."""

    code: str
    name: str
    repeating: bool
    fields: tuple[FieldSpec, ...]
    checks: tuple[str, ...] = ()

    def field(self, name: str) -> FieldSpec:
        """The field called ``name``; ``InvalidInput`` naming the form if there is none."""
        for spec in self.fields:
            if spec.name == name:
                return spec
        known = ", ".join(spec.name for spec in self.fields)
        raise InvalidInput(f"{self.code} field", f"not a field of the form; expected {known}", name)


class JsonText(str):
    """A JSON value as its text, not decoded: ``value_text`` writes it as it is (a JSON
    string value decodes to ``str``; this type tells the two apart)."""

    __slots__ = ()


def value_text(spec: FieldSpec, value: object) -> str | None:
    """A value as ODM/CSV text: ISO 8601 dates, ``true``/``false``, exact decimals, JSON
    (compact with sorted keys, or a ``JsonText`` as it is).

    ``None`` (and the empty string of a text field) is "not answered" and gives ``None``.
    """
    if value is None:
        return None
    kind = spec.kind
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "json":
        if type(value) is JsonText:
            return value
        if not value and type(value) in (dict, list):  # often: nothing derived, none missing
            return "{}" if type(value) is dict else "[]"
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    if kind in ("date", "datetime"):
        assert isinstance(value, date | datetime)
        return value.isoformat()
    if kind == "decimal":
        return str(value)
    text = str(value)
    return text if text != "" or kind != "text" else None


def parse_value(spec: FieldSpec, text: str | None) -> object:
    """The inverse of :func:`value_text`: ODM text back to a Python value.

    Raises
    ------
    InvalidInput
        Text that is not a value of the field's kind, naming the field.
    """
    if text is None:
        return "" if spec.kind == "text" else None
    try:
        if spec.kind == "boolean":
            if text not in ("true", "false", "1", "0"):
                raise ValueError(text)
            return text in ("true", "1")
        if spec.kind == "integer":
            return int(text)
        if spec.kind == "decimal":
            return Decimal(text)
        if spec.kind == "date":
            return date.fromisoformat(text)
        if spec.kind == "datetime":
            return datetime.fromisoformat(text)
        if spec.kind == "json":
            return json.loads(text)
    except (ValueError, ArithmeticError):
        raise InvalidInput(spec.name, f"not a {spec.kind} value", text) from None
    return text
