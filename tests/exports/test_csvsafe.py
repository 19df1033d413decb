"""CSV injection escaping and the streaming CSV writer (OWASP "CSV Injection")."""

from __future__ import annotations

import csv
import io
import math
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from ramunet.clinical.errors import InvalidInput
from ramunet.exports.csvsafe import csv_cell, csv_lines, escape_formula, write_csv


@pytest.mark.parametrize(
    "text",
    [
        "=SUM(A1:A9)",
        "+41 30 1234",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(1+1)",
        "\t=1",
        "\r=1",
        "-",
        "--1",
        "-1-1",
        "-1,5",
    ],
)
def test_formula_trigger_at_the_start_gets_a_quote(text):
    assert escape_formula(text) == "'" + text


@pytest.mark.parametrize("text", ["-3", "-0.25", "-1.", "-.5", "-1.5e3", "-2E-7", "-120"])
def test_plain_negative_number_text_is_left_alone(text):
    assert escape_formula(text) == text


@pytest.mark.parametrize("text", ["Nausea", " =1", "a=b", "1-2", "", "'quoted", "3"])
def test_text_without_a_leading_trigger_is_left_alone(text):
    assert escape_formula(text) == text


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (None, ""),
        (-1.5, "-1.5"),
        (-7, "-7"),
        (Decimal("-88.40"), "-88.40"),
        (0.1, "0.1"),
        (math.nan, ""),
        (Decimal("NaN"), ""),
        (True, "true"),
        (date(2025, 1, 2), "2025-01-02"),
        (datetime(2025, 1, 2, 8, 30, tzinfo=UTC), "2025-01-02T08:30:00+00:00"),
        ("=1+1", "'=1+1"),
    ],
)
def test_cell_text_of_each_type(value, cell):
    assert csv_cell(value) == cell


def test_infinite_number_is_refused():
    with pytest.raises(InvalidInput) as caught:
        csv_cell(math.inf, "LBSTRESN")
    assert str(caught.value) == "LBSTRESN inf: infinite numbers have no CSV form"


def test_unknown_type_is_refused():
    with pytest.raises(InvalidInput) as caught:
        csv_cell(b"x", "AETERM")
    assert str(caught.value) == (
        "AETERM b'x': bytes has no CSV form; expected str, int, float, Decimal, bool, date, "
        "datetime, time or None"
    )


def test_lines_are_streamed_header_first_with_crlf():
    lines = csv_lines(["USUBJID", "VALUE"], [("HAL-001", -1.5), ("HAL-002", None)])
    assert list(lines) == ["USUBJID,VALUE\r\n", "HAL-001,-1.5\r\n", "HAL-002,\r\n"]


def test_rows_are_read_lazily():
    def rows():
        yield ("a",)
        raise AssertionError("read too far")

    lines = csv_lines(["X"], rows())
    assert (next(lines), next(lines)) == ("X\r\n", "a\r\n")


def test_delimiters_quotes_and_newlines_are_quoted_so_no_new_cell_starts():
    lines = list(csv_lines(["X", "Y"], [("a,=1", 'say "hi"\n=2')]))
    assert lines[1] == '"a,=1","say ""hi""\n=2"\r\n'


def test_escaped_file_reads_back_with_the_quote_prefix_only_on_triggers():
    buffer = io.StringIO(newline="")
    rows = [("=cmd", -2, "-2"), ("ok", 3.5, "@x")]
    assert write_csv(buffer, ["A", "B", "C"], rows) == 2
    assert list(csv.reader(io.StringIO(buffer.getvalue(), newline=""))) == [
        ["A", "B", "C"],
        ["'=cmd", "-2", "-2"],
        ["ok", "3.5", "'@x"],
    ]


def test_header_cells_are_escaped_too():
    assert next(csv_lines(["=A", "B"], [])) == "'=A,B\r\n"


def test_semicolon_delimiter_for_german_spreadsheets():
    assert list(csv_lines(["A", "B"], [(1, "x;y")], delimiter=";"))[1] == '1;"x;y"\r\n'


def test_row_of_the_wrong_length_is_refused():
    with pytest.raises(InvalidInput) as caught:
        list(csv_lines(["A", "B"], [(1, 2), (1,)]))
    assert str(caught.value) == "CSV row 2: has 1 values; expected 2"


def test_empty_export_writes_only_the_header():
    buffer = io.StringIO(newline="")
    assert write_csv(buffer, ["A"], []) == 0
    assert buffer.getvalue() == "A\r\n"
