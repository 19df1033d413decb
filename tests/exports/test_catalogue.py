"""Field values as ODM/CSV text and back."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ramunet.clinical.errors import InvalidInput, UnknownTerm
from ramunet.exports.catalogue import FieldSpec, FormSpec, parse_value, value_text


@pytest.mark.parametrize(
    ("kind", "value", "text"),
    [
        ("decimal", Decimal("2.5000"), "2.5000"),
        ("date", dt.date(2026, 3, 16), "2026-03-16"),
        ("datetime", dt.datetime(2026, 4, 5, 9, 0, tzinfo=dt.UTC), "2026-04-05T09:00:00+00:00"),
        ("boolean", False, "false"),
        ("integer", 3, "3"),
        ("json", ["death", "hospitalisation"], '["death","hospitalisation"]'),
        ("text", "liver", "liver"),
    ],
)
def test_value_round_trips_through_its_text(kind, value, text):
    spec = FieldSpec("f", "f", kind)
    assert value_text(spec, value) == text
    assert parse_value(spec, text) == value


def test_empty_text_is_not_answered():
    spec = FieldSpec("regimen", "regimen", "text")
    assert value_text(spec, "") is None
    assert parse_value(spec, None) == ""


def test_text_that_is_no_date_is_refused_naming_the_field():
    with pytest.raises(InvalidInput) as error:
        parse_value(FieldSpec("form_date", "date", "date"), "16.03.2026")
    assert str(error.value) == "form_date '16.03.2026': not a date value"


def test_unknown_kind_is_refused():
    with pytest.raises(UnknownTerm):
        FieldSpec("f", "f", "money")  # type: ignore[arg-type]


def test_unknown_field_names_the_form_and_the_fields():
    form = FormSpec("ECOG", "ECOG", False, (FieldSpec("ecog", "ECOG", "integer"),))
    with pytest.raises(InvalidInput) as error:
        form.field("karnofsky")
    assert str(error.value) == "ECOG field 'karnofsky': not a field of the form; expected ecog"
