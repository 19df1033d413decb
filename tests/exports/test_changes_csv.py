"""An audit record's changed fields cut from its JSON text equal a full decode written by csv."""

from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ramunet.exports.changes_csv import changes_csv
from ramunet.exports.csvsafe import escape_formula


def canonical(data: dict[str, object]) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def payload(changes: dict[str, object]) -> str:
    return canonical(
        {
            "action": "crf.haem.updated",
            "actor": 'nurse "hal"',
            "at": "2026-11-25T08:00:00+00:00",
            "centre": "HAL",
            "changes": changes,
            "data": {"changes": {"x": [1, 2]}},
            "model": "crfs.Haematology",
            "state": {"changes": "not these", "anc": "1.5"},
        }
    )


def decoded(seq: int, text: str) -> str:
    """What the table promises: every changed field decoded, written by the csv module."""

    def cell(value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, str):
            return escape_formula(value)
        return json.dumps(value, sort_keys=True, separators=(",", ":"))

    changes = json.loads(text).get("changes") or {}
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(
        (seq, name, cell(old), cell(new)) for name, (old, new) in changes.items()
    )
    return buffer.getvalue()


def test_plain_fields_become_lines_of_seq_field_old_new():
    text = payload({"anc": [None, "1.5"], "done": [True, False], "n": [3, -4], "z": [{}, []]})
    assert changes_csv(7, text) == "7,anc,,1.5\r\n7,done,true,false\r\n7,n,3,-4\r\n7,z,{},[]\r\n"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("null", None),  # the text "null" is not nothing
        ("", "a, b"),  # a comma quotes the cell
        ('say "hi"', "line\nbreak"),
        ("=1+1", "-3"),  # a formula is escaped, a plain negative is not
        ("@SUM(A1)", "+1"),
        ("-x", "\tx"),
        ("Müller ä", "\x00"),  # escaped in JSON, decoded in the cell
        ({"scores": {"QL2": "75"}, "rule": "EORTC"}, [1, "two", None]),
        (1.5e-07, -2.25),
        (float("inf"), float("nan")),
        ("a]", "b],"),
        ('":[', '],"'),
        (":[", "x"),  # text opening like a name's end
        ([], "x"),  # an empty list before text, closing like a field's end
        ({}, []),
    ],
)
def test_awkward_values_are_written_as_a_full_decode_writes_them(old, new):
    text = payload({"a": [1, 2], "m": [old, new], "null": [None, "null"], "z": [None, 0]})
    assert changes_csv(11, text) == decoded(11, text)


def test_a_record_without_changes_gives_no_lines():
    assert changes_csv(1, payload({})) == ""
    assert changes_csv(1, canonical({"action": "login", "data": {}})) == ""


def test_text_not_in_the_canonical_shape_is_left_to_the_full_decode():
    assert changes_csv(1, '{"changes":{"a b":[1,2]}}') is None  # a key the scan does not take
    assert changes_csv(1, '{"changes":{"a":[1,2,3]}}') is None
    assert changes_csv(1, '{"changes":{"a":[1 ,2]}}') is None
    assert changes_csv(1, '{"changes":{"a":[{"x":1},2}') is None
    assert changes_csv(1, '{"changes":{"a":[{"x":1}') is None


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=False)
    | st.text(st.characters(codec="utf-8"), max_size=12)
    | st.sampled_from(["", ",", '"', "-1", "-1x", "=", "null", "]", '],"', ":[", ":", "[]"])
    | st.sampled_from([[], {}]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=6,
)
names = st.from_regex(r"[A-Za-z0-9_]{1,12}", fullmatch=True)


@settings(max_examples=500, deadline=None)
@given(st.dictionaries(names, st.tuples(json_values, json_values), max_size=8))
def test_any_changes_are_written_as_a_full_decode_writes_them(changes):
    text = payload({name: list(pair) for name, pair in changes.items()})
    assert changes_csv(123, text) == decoded(123, text)
