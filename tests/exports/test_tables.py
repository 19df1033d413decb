"""Tables as CSV: blocks of rows give the same text as line-by-line CSV."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ramunet.clinical.errors import InvalidInput
from ramunet.exports.csvsafe import csv_lines
from ramunet.exports.tables import csv_blocks

ROWS = [
    ("HAL-001", 3, Decimal("2.50"), dt.date(2026, 3, 16), True, None, "=cmd|' /C calc'!A0"),
    ("HAL-002", -4, 1.5, None, False, "", 'say "hi",\nthen go'),
] * 3


def test_blocks_give_the_same_text_as_lines():
    header = ("patient", "n", "x", "day", "flag", "empty", "text")
    assert "".join(csv_blocks(header, ROWS, batch=4)) == "".join(csv_lines(header, ROWS))


def test_row_of_the_wrong_width_is_refused_naming_the_row():
    with pytest.raises(InvalidInput) as error:
        list(csv_blocks(("a", "b"), [("1", "2"), ("3",)]))
    assert str(error.value) == "CSV row 2: has 1 values; expected 2"


CELLS = st.one_of(
    st.none(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.text(alphabet='-=+@\t\r\n",.0123456789eE x', max_size=8),
    st.decimals(
        allow_nan=False, allow_infinity=False, places=2, max_value=10**4, min_value=-(10**4)
    ),
    st.dates(),
    st.booleans(),
    st.floats(allow_infinity=False),
    st.decimals(allow_nan=False, allow_infinity=False),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(CELLS, CELLS, CELLS), max_size=12), st.integers(min_value=1, max_value=5))
def test_blocks_equal_lines_for_any_cells_including_formula_triggers_and_negatives(rows, batch):
    header = ("a", "-b", "=c")
    assert "".join(csv_blocks(header, rows, batch=batch)) == "".join(csv_lines(header, rows))


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ("-3", "-3"),
        ("-0.25", "-0.25"),
        ("-1.5e3", "-1.5e3"),
        ("-", "'-"),
        ("-3x", "'-3x"),
        ("=1+1", "'=1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("+1", "'+1"),
        ("\tx", "'\tx"),
    ],
)
def test_text_cell_in_a_block_is_escaped_unless_a_plain_negative(text, cell):
    written = "".join(csv_blocks(("id", "value"), [(1, text), (2, "plain")]))
    assert written.split("\r\n")[1] == f"1,{cell}"


def test_table_given_as_text_is_written_after_its_header_as_it_is():
    from ramunet.exports.tables import Column, Table, table_csv_blocks

    rows = [(1, "a", "'=x"), (2, "b", "-3"), (3, "c, d", 'say "hi"')]
    blocks = ["1,a,'=x\r\n2,b,-3\r\n", "", '3,"c, d","say ""hi"""\r\n']
    table = Table(
        "t",
        "t",
        (Column("n", "integer"), Column("x", "text"), Column("=y", "text")),
        lambda: rows,
        plain=True,
        text=lambda: blocks,
    )
    written = "".join(table_csv_blocks(table))
    assert written == "".join(csv_lines(table.header, table.rows()))
    assert written.startswith("n,x,'=y\r\n1,a,")
