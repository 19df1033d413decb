"""Chaining a transaction's audit records: each gets its time, sequence number and previous
hash, and is inserted, the chain head locked (``audit.deferral`` says when this runs).

The payload is the record's canonical JSON (``chain.canonical``). Its keys sort with ``seq``
next to last, so it is written as two texts around the sequence number, both made before
the head is locked: ``head`` (``{"action":...,"reason":...,"seq":``) and ``tail``
(``,"state":...}``). Only the sequence number, the previous hash and the link hash
(``chain.link_hash``) remain to be made under the lock.

On PostgreSQL one call of the database function ``ramunet_audit_chain`` (migration 0004)
locks the head, links and inserts the records and moves the head; at the transaction's end
the ``COMMIT`` goes in the same round trip, so the head's row lock is taken and released
inside the server, and a server process never waits for its client while holding it. (Under
load, a client thread returning for its next statement may wait milliseconds for the GIL and
a core: holding the lock across round trips made the saves of all clients queue.) SQLite
serialises whole write transactions anyway; there the same steps run in Python.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Final

from django.db import DatabaseError, connection
from django.utils import timezone

from ramunet.clinical.errors import LockedError
from ramunet.edc import compiled, direct
from ramunet.edc.audit.chain import jsonable, link_hash
from ramunet.edc.audit.models import AuditRecord, ChainHead

LOCKED: Final = "the database is locked; no trial data can change"
#: the SQLSTATE ``ramunet_audit_chain`` raises when the lock refuses a record
LOCKED_SQLSTATE: Final = "RN001"
HEAD_TABLE: Final = ChainHead._meta.db_table
_COLUMNS: Final = ("actor", "action", "model", "object_pk", "patient", "centre", "reason")
_MOVE_HEAD: Final = f"UPDATE {HEAD_TABLE} SET seq = %s, hash = %s WHERE id = 1"


@dataclass
class Waiting:
    """An audit record waiting for its transaction's end: all but its place in the chain
    (time, sequence number, previous hash), which it gets when it is chained."""

    record: AuditRecord
    body: dict[str, Any]  # the payload without "at" and "seq"
    frozen_by_lock: bool  # trial data: refused while the database is locked


def _encode(data: dict[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def payload_parts(body: dict[str, Any], at: str) -> tuple[str, str]:
    """The canonical payload text before and after the sequence number."""
    before = {k: v for k, v in body.items() if k < "seq"} | {"at": at}
    after = {k: v for k, v in body.items() if k > "seq"}
    return _encode(before)[:-1] + ',"seq":', "," + _encode(after)[1:]


def chain(waiting: list[Waiting], *, commit: bool = False) -> None:
    """Chain and insert ``waiting`` (in order); with ``commit`` (PostgreSQL) commit the
    transaction in the same round trip. Raises ``LockedError`` when the database lock refuses
    one of them."""
    parts = []
    for item in waiting:
        item.record.at = timezone.now()
        parts.append(payload_parts(item.body, jsonable(item.record.at)))
    if connection.vendor == "postgresql":
        _chain_in_server(waiting, parts, commit)
    else:
        _chain_here(waiting, parts)


def _fill(record: AuditRecord, seq: int, prev_hash: str, head: str, tail: str) -> str:
    record.seq = seq
    record.prev_hash = prev_hash
    record.payload = f"{head}{seq}{tail}"
    record.hash = link_hash(prev_hash, record.payload)
    return record.hash


def _chain_in_server(waiting: list[Waiting], parts: list[tuple[str, str]], commit: bool) -> None:
    records = [item.record for item in waiting]
    given = [
        {name: getattr(r, name) for name in _COLUMNS}
        | {"at": r.at.isoformat(), "head": h, "tail": t}
        for r, (h, t) in zip(records, parts, strict=True)
    ]
    params = [json.dumps(given), any(item.frozen_by_lock for item in waiting)]
    sql = "SELECT id, seq, prev_hash, hash FROM ramunet_audit_chain(%s, %s)"
    try:
        rows = direct.fetchall(sql + ("; COMMIT" if commit else ""), params)
    except DatabaseError as error:
        if getattr(error.__cause__, "sqlstate", None) == LOCKED_SQLSTATE:
            raise LockedError(LOCKED) from None
        raise
    for record, (head, tail), (pk, seq, prev_hash, digest) in zip(
        records, parts, rows, strict=True
    ):
        if _fill(record, seq, prev_hash, head, tail) != digest:  # the server hashed other text
            raise DatabaseError(f"audit record #{seq}: the server's hash differs from ours")
        record.pk = pk
        record._state.adding = False
        record._state.db = connection.alias


def _chain_here(waiting: list[Waiting], parts: list[tuple[str, str]]) -> None:
    head_seq, head_hash, locked = lock_chain_head()
    if locked and any(item.frozen_by_lock for item in waiting):
        raise LockedError(LOCKED)
    for item, (head, tail) in zip(waiting, parts, strict=True):
        head_seq += 1
        head_hash = _fill(item.record, head_seq, head_hash, head, tail)
        compiled.insert(item.record)
    direct.execute(_MOVE_HEAD, [head_seq, head_hash])


def lock_chain_head() -> tuple[int, str, bool]:
    """Read the chain head, locking its row until the transaction ends (appends queue here).

    PostgreSQL locks the row (``FOR UPDATE``); SQLite already holds the database's write lock,
    since every transaction begins IMMEDIATE (settings).
    """
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    row = direct.fetchone(f"SELECT seq, hash, locked FROM {HEAD_TABLE} WHERE id = 1{lock}", [])
    if row is None:  # a database migrated without the head row: create it once
        ChainHead.objects.get_or_create(pk=1)
        return lock_chain_head()
    return int(row[0]), str(row[1]), bool(row[2])
