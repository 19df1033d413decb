"""Reading many rows for the exports: the values Django's ``values_list`` gives, faster.

Django converts every value it reads through the database backend's converters, which are
written for one value at a time (a SQLite date time goes through ``parse_datetime``, an
awareness test and ``make_aware``; a decimal is rebuilt from its float on every row). The
exports read tens of millions of values, so :func:`values_rows` runs the queryset's own SQL
through Django (the same server-side cursor as ``.iterator()``) and converts with cheaper
equivalents that give equal values of the same types:

- SQLite date and date time text through ``fromisoformat`` (what ``parse_date`` and
  ``parse_datetime`` try first), and naive date times made aware in the connection's time
  zone as ``make_aware`` does;
- decimals through Django's own converter, remembered per stored value (a laboratory value
  recurs thousands of times);
- JSON through ``json.loads``, an empty object or list without it; or, for the columns of
  ``json_text``, not decoded at all: the database's own text of the value as a
  :class:`JsonText` (SQLite: the text Django wrote; PostgreSQL: jsonb's normal form), for
  exports that only write the value out again (decoding and encoding the derived values
  with their provenance is most of what JSON costs an export);
- any other converter as Django applies it.

``tests/edc/exporting/test_rows.py`` checks the rows equal Django's, value and type, on
SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Collection, Iterator
from typing import Any, Final

from django.db.models import JSONField
from django.db.models.expressions import Col
from django.db.models.query import ValuesListIterable
from django.db.models.sql.constants import MULTI

from ramunet.exports.catalogue import JsonText

CHUNK_ROWS: Final = 2000
#: distinct values remembered per decimal column before the memory starts again
DECIMAL_MEMORY: Final = 50_000

Convert = Callable[[Any], Any]


def _json_text(value: Any) -> JsonText:
    return JsonText(value if type(value) is str else json.dumps(value))


def values_rows(
    queryset: Any, chunk_size: int = CHUNK_ROWS, *, json_text: Collection[int] = ()
) -> Iterator[tuple[Any, ...]]:
    """The rows of a ``values_list`` queryset, as tuples equal to those of
    ``queryset.iterator(chunk_size)``, streamed in chunks of ``chunk_size``; the JSON columns
    at the positions ``json_text`` as :class:`JsonText` instead. A flat queryset, or one with
    annotations (a column read twice is one), goes through that iterator itself, as Django
    reads it (``json_text`` then does not apply)."""
    query = queryset.query
    if (
        queryset._iterable_class is not ValuesListIterable
        or query.annotation_select
        or query.extra_select
    ):
        yield from queryset.iterator(chunk_size=chunk_size)
        return
    compiler = query.get_compiler(queryset.db)
    results = compiler.execute_sql(MULTI, chunked_fetch=True, chunk_size=chunk_size)
    fields = [selected[0] for selected in compiler.select[0 : compiler.col_count]]
    plan = [
        (
            position,
            _json_text
            if position in json_text and isinstance(expression.output_field, JSONField)
            else _fast(convs, expression, compiler.connection),
        )
        for position, (convs, expression) in compiler.get_converters(fields).items()
    ]
    for chunk in results:
        if not plan:
            yield from map(tuple, chunk)
            continue
        for raw in chunk:
            row = list(raw)
            for position, convert in plan:
                value = row[position]
                if value is not None:
                    row[position] = convert(value)
            yield tuple(row)


def _fast(convs: list[Any], expression: Any, connection: Any) -> Convert:
    """One function doing what Django's converters ``convs`` do to a non-null value."""
    steps = [_fast_one(convert, expression, connection) for convert in convs]
    if len(steps) == 1:
        return steps[0]

    def chained(value: Any) -> Any:
        for step in steps:
            value = step(value)
        return value

    return chained


def _fast_one(convert: Any, expression: Any, connection: Any) -> Convert:
    name = getattr(convert, "__name__", "")
    plain_column = isinstance(expression, Col)
    if name == "convert_datetimefield_value":
        return _datetime(convert, expression, connection)
    if name == "convert_datefield_value":
        return _date(convert, expression, connection)
    if name == "converter" and "get_decimalfield_converter" in convert.__qualname__:
        return _remembered(convert, expression, connection)
    field = getattr(convert, "__self__", None)
    if (
        name == "from_db_value"
        and plain_column
        and type(field) is JSONField
        and field.decoder is None
    ):
        return _json
    return lambda value: convert(value, expression, connection)


def _datetime(convert: Any, expression: Any, connection: Any) -> Convert:
    from django.conf import settings

    zone = connection.timezone if settings.USE_TZ else None
    parse = dt.datetime.fromisoformat

    def fast(value: Any) -> Any:
        # the sqlite3 driver parses a column declared "datetime" itself (Django registers
        # its parser); other date times come as text
        if type(value) is str:
            try:
                value = parse(value)
            except ValueError:
                return convert(value, expression, connection)
        if type(value) is dt.datetime:
            if zone is not None and value.tzinfo is None:
                return value.replace(tzinfo=zone)
            return value
        return convert(value, expression, connection)

    return fast


def _date(convert: Any, expression: Any, connection: Any) -> Convert:
    parse = dt.date.fromisoformat

    def fast(value: Any) -> Any:
        if type(value) is str:
            try:
                return parse(value)
            except ValueError:
                pass
        return convert(value, expression, connection)

    return fast


def _remembered(convert: Any, expression: Any, connection: Any) -> Convert:
    memory: dict[Any, Any] = {}

    def fast(value: Any) -> Any:
        known = memory.get(value)
        if known is None:
            known = convert(value, expression, connection)
            if len(memory) >= DECIMAL_MEMORY:
                memory.clear()
            memory[value] = known
        return known

    return fast


def _json(value: Any) -> Any:
    if value == "{}":
        return {}
    if value == "[]":
        return []
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        return value
