"""Tables as CSV: blocks of rows give the same text as line-by-line CSV."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

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
