"""Property: any XML-compatible text survives ODM write -> read unchanged."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from ramunet.clinical.errors import InvalidInput
from ramunet.exports import odm_stream
from ramunet.exports.odm_model import ItemData, TranslatedText
from ramunet.exports.odm_read import read_odm
from ramunet.exports.odm_write import build_odm, odm_bytes
from tests.exports.odm_sample import CREATED, clinical_data, study_meta

# XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
xml_text = st.text(
    st.characters(
        codec="utf-8",
        exclude_categories=("Cs",),
        exclude_characters="".join(chr(c) for c in range(0x20) if c not in (0x9, 0xA, 0xD))
        + "\ufffe\uffff",
    ),
    max_size=40,
)


def with_texts(value: str, question: str):
    meta = study_meta()
    first = dataclasses.replace(meta.items[0], question=(TranslatedText(question, "en"),))
    meta = dataclasses.replace(meta, items=(first, *meta.items[1:]))
    clinical = clinical_data()
    subject = clinical.subjects[1]
    event = clinical.subjects[0].events[0]
    form = event.forms[0]
    group = dataclasses.replace(form.item_groups[0], items=(ItemData("IT.AGE", value),))
    event = dataclasses.replace(event, forms=(dataclasses.replace(form, item_groups=(group,)),))
    subject = dataclasses.replace(subject, events=(event,))
    return meta, dataclasses.replace(clinical, subjects=(subject,))


@settings(max_examples=150, deadline=None, derandomize=True)
@given(xml_text, xml_text)
def test_any_xml_text_round_trips_in_values_and_questions(value, question):
    meta, clinical = with_texts(value, question)
    written = odm_bytes(build_odm(meta, clinical, file_oid="F", created=CREATED))
    assert read_odm(written) == (meta, clinical)


def test_control_character_in_a_value_is_refused():
    meta, clinical = with_texts("a\x01b", "Age")
    with pytest.raises(InvalidInput) as caught:
        build_odm(meta, clinical, file_oid="F", created=CREATED)
    assert str(caught.value) == (
        "ODM ItemData/@Value 'a\\x01b': holds characters XML 1.0 cannot carry (NUL or control "
        "characters)"
    )


def test_control_character_in_a_text_is_refused():
    meta, clinical = with_texts("64", "Age\x00")
    with pytest.raises(InvalidInput) as caught:
        build_odm(meta, clinical, file_oid="F", created=CREATED)
    assert str(caught.value) == (
        "ODM TranslatedText 'Age\\x00': holds characters XML 1.0 cannot carry (NUL or control "
        "characters)"
    )


@settings(max_examples=300, deadline=None, derandomize=True)
@given(xml_text)
def test_any_xml_text_round_trips_through_the_streamed_attribute(value):
    element = etree.fromstring(odm_stream.item("IT.X", value).encode("utf-8"))
    assert element.get("Value") == value


def test_streamed_attribute_escapes_markup_quotes_and_line_breaks():
    assert odm_stream.attr("f", 'a&b<c>"d"\ne\r\tf') == (
        "a&amp;b&lt;c&gt;&quot;d&quot;&#10;e&#13;&#9;f"
    )
    assert odm_stream.attr("f", "plain 12.5") == "plain 12.5"


_VALUES_BY_KIND = {
    "text": st.one_of(xml_text, st.integers()),
    "integer": st.integers(),
    "decimal": st.decimals(allow_nan=False, allow_infinity=False, places=3),
    "boolean": st.booleans(),
    "date": st.dates(),
    "datetime": st.datetimes(),
    "json": st.dictionaries(xml_text, st.one_of(xml_text, st.integers(), st.none()), max_size=3),
}


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(sorted(_VALUES_BY_KIND)).flatmap(
        lambda k: st.tuples(st.just(k), _VALUES_BY_KIND[k])
    )
)
def test_item_writer_gives_what_item_of_value_text_gives_for_every_kind(kind_and_value):
    from ramunet.exports.catalogue import FieldSpec, value_text

    kind, value = kind_and_value
    field = FieldSpec("answer", "an answer", kind)
    expected = value_text(field, value)
    written = odm_stream.item_writer(field, "IT.X.ANSWER")(value)
    assert written == (None if expected is None else odm_stream.item("IT.X.ANSWER", expected))
