"""Tidy tables: named, typed columns and rows streamed once, written as CSV.

A :class:`Table` is what every tabular export hands to a writer: the tidy tables for R and
Python users and the SDTM datasets alike. ``rows`` is a zero-argument callable returning a
fresh iterator, so a table can be written more than once (XPT and CSV) without holding it
in memory.

References
----------
H. Wickham, "Tidy Data", J Stat Softw 59(10), 2014: one variable per column, one
observation per row, one kind of observational unit per table.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Final, Literal

from ramunet.clinical.errors import InvalidInput, UnknownTerm
from ramunet.exports.csvsafe import FORMULA_TRIGGERS, csv_cell, csv_lines, escape_formula

ColumnKind = Literal["text", "integer", "decimal", "date", "datetime", "boolean", "json"]
COLUMN_KINDS: Final = ("text", "integer", "decimal", "date", "datetime", "boolean", "json")
_TRIGGERS: Final = frozenset("".join(FORMULA_TRIGGERS))


@dataclass(frozen=True)
class Column:
    """One column: its name, type and human label (and unit, when it has one)."""

    name: str
    kind: ColumnKind
    label: str = ""
    unit: str = ""

    def __post_init__(self) -> None:
        if self.kind not in COLUMN_KINDS:
            raise UnknownTerm(f"column {self.name} kind", self.kind, COLUMN_KINDS)


@dataclass(frozen=True)
class Table:
    """A named table whose rows (tuples in column order) are produced on demand."""

    name: str
    label: str
    columns: tuple[Column, ...]
    rows: Callable[[], Iterable[Sequence[object]]]
    #: the rows hold only text, integers and None, the text already formula-escaped
    #: (``escape_formula``), so they are written as they are
    plain: bool = False
    #: the CSV text of all of ``rows`` (no header) in blocks, as the csv writer writes
    #: them: for tables of millions of rows, made without a tuple per row
    text: Callable[[], Iterable[str]] | None = None

    @property
    def header(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)


def table_csv_lines(table: Table) -> Iterator[str]:
    """The table as CSV lines (header first), formula-escaped, streamed."""
    return csv_lines(table.header, table.rows())


def csv_blocks(
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    batch: int = 2000,
    plain: bool = False,
) -> Iterator[str]:
    """The same text as :func:`ramunet.exports.csvsafe.csv_lines`, in blocks of ``batch``
    rows (one ``writerows`` call per block: several times faster for large tables).

    ``plain`` rows (only text, integers and None, the text already escaped by
    ``escape_formula``) go to the writer without a look at their cells."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([escape_formula(name) for name in header])
    width = len(header)
    block: list[Sequence[object]] = []
    for number, row in enumerate(rows, start=1):
        if len(row) != width:
            raise InvalidInput(f"CSV row {number}", f"has {len(row)} values; expected {width}")
        if plain:
            block.append(row)
        else:
            # the csv module writes int, str and None (as empty) itself: those cells go as
            # they are unless a formula trigger starts the text; any other cell via _cell
            block.append(
                [
                    value
                    if (kind := type(value)) is int
                    or value is None
                    or (kind is str and value[:1] not in _TRIGGERS)  # type: ignore[index]
                    else _cell(value, header, index, number)
                    for index, value in enumerate(row)
                ]
            )
        if len(block) == batch:
            writer.writerows(block)
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            block = []
    writer.writerows(block)
    yield buffer.getvalue()


def _cell(value: object, header: Sequence[str], index: int, number: int) -> str:
    kind = type(value)
    if kind is str:
        text: str = value  # type: ignore[assignment]
        return escape_formula(text) if text and text[0] in _TRIGGERS else text
    if value is None:
        return ""
    if kind is int:
        return str(value)
    # a finite decimal or float is its str (what csv_cell gives); the rest via csv_cell
    if (kind is Decimal and value.is_finite()) or (kind is float and math.isfinite(value)):  # type: ignore[attr-defined,arg-type]
        return str(value)
    return csv_cell(value, f"CSV row {number} {header[index]}")


def table_csv_blocks(table: Table) -> Iterator[str]:
    """The table as CSV text in blocks of rows (header first), for files and downloads."""
    if table.text is not None:
        return _text_blocks(table.header, table.text())
    return csv_blocks(table.header, table.rows(), plain=table.plain)


def _text_blocks(header: Sequence[str], blocks: Iterable[str]) -> Iterator[str]:
    yield "".join(csv_lines(header, ()))
    yield from blocks


def columns_csv_lines(tables: Sequence[Table]) -> Iterator[str]:
    """One row per column of every table: table, column, type, unit, label (a codebook)."""
    header = ("table", "column", "type", "unit", "label")
    rows = ((t.name, c.name, c.kind, c.unit, c.label) for t in tables for c in t.columns)
    return csv_lines(header, rows)
