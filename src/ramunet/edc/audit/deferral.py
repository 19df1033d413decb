"""Audit records held back until their transaction ends, then chained all at once.

Every audit record is a link of one hash chain, so appending one means locking the chain
head (the next sequence number and the previous hash) until the transaction commits: appends
of concurrent transactions queue there. Taken at a transaction's first append, that lock
would be held for all the work the transaction does after it (validation, derived values,
further rows), and saves would run one after another. Instead, ``audit.services`` puts a
transaction's records in its connection's ``AuditDeferral``, and the database backends
(``ChainDeferringWrapper``) hand them to the chain just before the transaction commits:
the head is locked only for the inserts of the records and the commit itself.

The records follow the transaction's savepoints: a savepoint rolled back drops the records
appended after it, a rollback drops them all. Under a test case's outer transaction (which
never commits), the records are chained when the outermost atomic block inside it ends, as
they would be at its commit outside a test.

This module is the Django backends' half and imports no model (backends load before the
apps); ``audit.services`` supplies the function that writes the records.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import DatabaseError


class AuditDeferral:
    """One connection's audit records waiting for their transaction's end."""

    def __init__(self) -> None:
        self.records: list[Any] = []
        #: writes ``records`` to the chain and empties the list, committing the transaction
        #: in the same round trip when told to (set by ``audit.services``)
        self.write: Callable[[bool], None] | None = None
        #: the records' count when each open savepoint was taken
        self.marks: dict[str, int] = {}
        self.writing = False

    def discard(self) -> None:
        self.records.clear()
        self.marks.clear()

    def chain(self, *, commit: bool = False) -> None:
        """Write the waiting records; with ``commit``, commit the transaction with them (else
        it goes on, holding the chain head until its end)."""
        if self.records and self.write is not None and not self.writing:
            self.writing = True  # the write's own atomic blocks must not chain them again
            try:
                self.write(commit)
            finally:
                self.writing = False


class ChainDeferringWrapper:
    """Mixin for a Django ``DatabaseWrapper``: chains the waiting audit records just before
    the transaction commits (or, in a test case, before its outermost own block ends)."""

    audit_deferral: AuditDeferral
    atomic_blocks: list[Any]
    #: whether the records' write may carry the transaction's COMMIT (saving a round trip
    #: with the chain head locked)
    commits_with_chain: bool = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.audit_deferral = AuditDeferral()

    def savepoint(self) -> Any:
        sid = super().savepoint()  # type: ignore[misc]
        if sid is not None:
            self.audit_deferral.marks[sid] = len(self.audit_deferral.records)
        return sid

    def savepoint_rollback(self, sid: str) -> None:
        super().savepoint_rollback(sid)  # type: ignore[misc]
        mark = self.audit_deferral.marks.get(sid)
        if mark is not None:
            del self.audit_deferral.records[mark:]

    def savepoint_commit(self, sid: str) -> None:
        deferral = self.audit_deferral
        # a block ending right inside a test case's transaction (which never commits)
        if (
            deferral.records
            and self.atomic_blocks
            and all(getattr(block, "_from_testcase", False) for block in self.atomic_blocks)
        ):
            try:
                deferral.chain()
            except DatabaseError:
                raise  # the atomic block rolls back to its savepoint
            except BaseException:
                self.savepoint_rollback(sid)
                super().savepoint_commit(sid)  # type: ignore[misc]
                deferral.marks.pop(sid, None)
                raise
        super().savepoint_commit(sid)  # type: ignore[misc]
        deferral.marks.pop(sid, None)

    def commit(self) -> None:
        deferral = self.audit_deferral
        if deferral.records:
            try:
                deferral.chain(commit=self.commits_with_chain)
            except DatabaseError:
                raise  # the atomic block rolls back
            except BaseException:
                self.rollback()
                raise
        super().commit()  # type: ignore[misc]
        deferral.discard()

    def rollback(self) -> None:
        try:
            super().rollback()  # type: ignore[misc]
        finally:
            self.audit_deferral.discard()

    def close(self) -> None:
        try:
            super().close()  # type: ignore[misc]
        finally:
            self.audit_deferral.discard()
