"""CSV export that spreadsheets cannot turn into formulas (CSV injection), streamed row by row.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return may be run as a
formula by Excel, LibreOffice or Google Sheets. Such text cells get a leading single quote
(``'``), as OWASP recommends; fields are quoted by the csv module whenever they hold the
delimiter, a quote or a line break, so no value can open a new cell. A plain negative number
(``-3``, ``-0.25``, ``-1.5e3``), whether given as a number or as text, is left alone so it
stays a number in the spreadsheet.

References
----------
OWASP, "CSV Injection" (https://owasp.org/www-community/attacks/CSV_Injection).
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Final, TextIO

from ramunet.clinical.errors import InvalidInput

#: First characters that make a spreadsheet read a cell as a formula (OWASP).
FORMULA_TRIGGERS: Final = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NEGATIVE: Final = re.compile(r"-(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")


def escape_formula(text: str) -> str:
    """Prefix ``'`` to text a spreadsheet would run as a formula; plain negatives stay.

    >>> escape_formula("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> escape_formula("-12.5")
    '-12.5'
    """
    if text.startswith(FORMULA_TRIGGERS) and _PLAIN_NEGATIVE.fullmatch(text) is None:
        return "'" + text
    return text


def csv_cell(value: object, field: str = "value") -> str:
    """One cell's text: ``None`` and NaN empty, numbers as written, dates ISO 8601, text
    escaped.

    Raises
    ------
    InvalidInput
        An infinite number, or a type with no agreed CSV form.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return escape_formula(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float | Decimal):
        if value != value:  # NaN, float or Decimal
            return ""
        if (isinstance(value, float) and math.isinf(value)) or (
            isinstance(value, Decimal) and value.is_infinite()
        ):
            raise InvalidInput(field, "infinite numbers have no CSV form", value)
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    raise InvalidInput(
        field,
        f"{type(value).__name__} has no CSV form; expected str, int, float, Decimal, bool, "
        "date, datetime, time or None",
        value,
    )


_TRIGGER_CHARS: Final = frozenset("".join(FORMULA_TRIGGERS))


def _cells(header: Sequence[str], row: Sequence[object], number: int) -> list[str]:
    if len(row) != len(header):
        raise InvalidInput(f"CSV row {number}", f"has {len(row)} values; expected {len(header)}")
    cells = []
    for name, value in zip(header, row, strict=True):
        # fast path for the common cells; everything else (and every error) via csv_cell
        kind = type(value)
        if kind is str:
            text: str = value  # type: ignore[assignment]
            cells.append(escape_formula(text) if text and text[0] in _TRIGGER_CHARS else text)
        elif value is None:
            cells.append("")
        elif kind is int:
            cells.append(str(value))
        else:
            cells.append(csv_cell(value, f"CSV row {number} {name}"))
    return cells


def csv_lines(
    header: Sequence[str], rows: Iterable[Sequence[object]], *, delimiter: str = ","
) -> Iterator[str]:
    """Yield the CSV text line by line (header first), e.g. for a streaming HTTP response.

    Lines end with ``\\r\\n`` (RFC 4180).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([escape_formula(name) for name in header])
    yield buffer.getvalue()
    for number, row in enumerate(rows, start=1):
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(_cells(header, row, number))
        yield buffer.getvalue()


def write_csv(
    out: TextIO, header: Sequence[str], rows: Iterable[Sequence[object]], *, delimiter: str = ","
) -> int:
    """Write a header and rows to a text file (open it with ``newline=""``); the row count."""
    lines = csv_lines(header, rows, delimiter=delimiter)
    out.write(next(lines))
    count = 0
    for line in lines:
        out.write(line)
        count += 1
    return count
