"""Statements whose SQL ramunet already holds, run on the database driver's own connection.

Django's cursor wrapper costs about 12 µs of CPU per statement on top of the driver's
(a one-row SELECT on SQLite: 16.1 µs through ``connection.cursor()``, 4.5 µs on the
``sqlite3`` connection): a new wrapper per cursor, the thread, transaction and asyncio
checks, and on SQLite the rewriting of ``%s`` into ``?`` on every call. A form save runs
about ten statements whose SQL is built once (``compiled``, the audit chain, the form's
INSERT); these come here, with the SQL rewritten for the driver once.

On SQLite a statement goes to a ``sqlite3`` cursor; on PostgreSQL to the cursor the backend
makes (``create_cursor``: Django's psycopg class, with its time zone). Kept from Django's
cursor wrapper: the same connection and transaction (opened on first use), Django's
exceptions for the driver's (``django.db.IntegrityError`` and so on, marking the
connection as Django does), and the refusal to run inside a transaction that must roll
back. While queries are logged (``DEBUG``, ``assertNumQueries``, ``CaptureQueriesContext``)
or an execute wrapper is installed, the statements go through Django's cursor, to be seen.

The SQL is in Django's style: ``%s`` for each parameter, ``%%`` for a literal ``%``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper

Row = tuple[Any, ...]

# Django's own conversion for SQLite (``SQLiteCursorWrapper.convert_query``), done once
_FORMAT_MARK = re.compile(r"(?<!%)%s")


@functools.lru_cache(maxsize=512)
def _native(vendor: str, sql: str) -> str:
    """``sql`` in the driver's parameter style (sqlite3: ``?``)."""
    if vendor == "sqlite":
        return _FORMAT_MARK.sub("?", sql).replace("%%", "%")
    return sql


#: a database alias, or the connection itself (a backend's own methods)
Using = str | BaseDatabaseWrapper


def _run(sql: str, params: Sequence[Any], using: Using, fetch: str | None) -> Any:
    connection = connections[using] if isinstance(using, str) else using
    if connection.queries_logged or connection.execute_wrappers:
        with connection.cursor() as wrapped:
            wrapped.execute(sql, params)
            if fetch is None:
                return None
            return wrapped.fetchone() if fetch == "one" else wrapped.fetchall()
    connection.validate_no_broken_transaction()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        if connection.vendor == "sqlite":  # the driver's cursor; the SQL rewritten once
            cursor, sql = connection.connection.cursor(), _native(connection.vendor, sql)
        else:  # the backend's own cursor (psycopg: Django's class and time zone)
            cursor = connection.create_cursor()
        try:
            cursor.execute(sql, params)
            if fetch is None:
                return None
            return cursor.fetchone() if fetch == "one" else cursor.fetchall()
        finally:
            cursor.close()


def fetchall(sql: str, params: Sequence[Any], *, using: Using = DEFAULT_DB_ALIAS) -> list[Row]:
    """The rows of ``sql`` run with ``params``."""
    rows: list[Row] = _run(sql, params, using, "all")
    return rows


def fetchone(sql: str, params: Sequence[Any], *, using: Using = DEFAULT_DB_ALIAS) -> Row | None:
    """The first row of ``sql`` run with ``params`` (``None``: no row)."""
    row: Row | None = _run(sql, params, using, "one")
    return row


def execute(sql: str, params: Sequence[Any], *, using: Using = DEFAULT_DB_ALIAS) -> None:
    """Run ``sql`` with ``params`` (a statement giving no rows)."""
    _run(sql, params, using, None)
