"""Django's SQLite backend, with writers queued on a file lock instead of SQLite's busy handler.

SQLite lets one writer at a time hold the database. A writer that finds it taken waits in
SQLite's busy handler, which sleeps and retries (1, 2, 5, 10, ... up to 100 ms between
tries), so under many concurrent writers some wait several rounds of sleep after the lock
was free: long tails (a 95th centile of 300-400 ms for the lab form under 20 clients).
Here each transaction first takes an exclusive ``flock`` on ``<database>.writers``; the
kernel hands that lock to the next waiter the moment it is released, and only then does the
transaction ``BEGIN IMMEDIATE``. Writers across all server processes and threads queue in
arrival order without sleeping; the lock is released at commit, rollback or close. An
in-memory database (the tests) has no other process to queue with and takes no lock.

Like the PostgreSQL backend (``ramunet.edc.postgresql``), it chains a transaction's audit
records just before the transaction commits (``ramunet.edc.audit.deferral``).

References
----------
SQLite, "File Locking And Concurrency In SQLite Version 3" and ``sqlite3_busy_timeout``
(the default busy handler's sleep schedule); flock(2).
"""

from __future__ import annotations

import fcntl
import os
from typing import Any

from django.db.backends.sqlite3 import base

from ramunet.edc import direct
from ramunet.edc.audit.deferral import ChainDeferringWrapper


class DatabaseWrapper(ChainDeferringWrapper, base.DatabaseWrapper):  # type: ignore[misc]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._writers_fd: int | None = None
        self._writing = False

    def _take_writer_lock(self) -> None:
        if self.is_in_memory_db():
            return
        if self._writers_fd is None:
            path = f"{self.settings_dict['NAME']}.writers"
            self._writers_fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._writers_fd, fcntl.LOCK_EX)
        self._writing = True

    def _release_writer_lock(self) -> None:
        if self._writing and self._writers_fd is not None:
            fcntl.flock(self._writers_fd, fcntl.LOCK_UN)
        self._writing = False

    def _start_transaction_under_autocommit(self) -> None:
        self._take_writer_lock()
        try:  # Django's BEGIN, on the driver's connection (``direct``)
            begin = f"BEGIN {self.transaction_mode}" if self.transaction_mode else "BEGIN"
            direct.execute(begin, [], using=self)
        except BaseException:
            self._release_writer_lock()
            raise

    def _commit(self) -> Any:
        try:
            return super()._commit()
        finally:
            self._release_writer_lock()

    def _rollback(self) -> Any:
        try:
            return super()._rollback()
        finally:
            self._release_writer_lock()

    def _close(self) -> Any:
        try:
            return super()._close()
        finally:
            self._release_writer_lock()
            if self._writers_fd is not None:
                os.close(self._writers_fd)
                self._writers_fd = None
