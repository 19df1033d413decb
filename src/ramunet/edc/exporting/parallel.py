"""Writing the transfer package's parts in several processes at once.

Each part (the ODM, one SDTM domain, one tidy table, ...) reads the database and formats its
own files, independently of the others, so ``write_steps`` hands the parts to a pool of
forked worker processes, each with its own database connection. A worker writes its part's
files, unhashed, into a folder of its own; the parent takes the finished parts in the
package's fixed order and adds each file to the package (compressing it and hashing it
there, once, as a single process does, and checking its size), so the package holds the
same files in the same order as one written by a single process.

The workers read what is committed: the database must be a file or a server (not SQLite in
memory) and the caller outside a transaction (``unshareable`` says why not).
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from typing import Any, Final

from django.db import DEFAULT_DB_ALIAS, connections

from ramunet.clinical.errors import InvalidInput
from ramunet.exports.package import DirectoryWriter, ManifestEntry, PackageWriter

#: a part: its name and the function writing it (package, created, facts)
Step = tuple[str, Callable[..., Any]]
Progress = Callable[[str, int, int], None]

#: the parts that take longest, started first so that no worker is left with one at the end
LONGEST_FIRST: Final = (
    "odm",
    "sdtm LB",
    "trail audit_changes",
    "trail audit_records",
    "sdtm QS",
    "sdtm VS",
    "trail sdv_status",
)
MAX_WORKERS: Final = 8

# the steps and creation time of the package being written, inherited by the forked workers
_JOB: list[tuple[Sequence[Step], Any]] = []


def unshareable() -> str | None:
    """Why other processes cannot read this database as this process sees it (None: they
    can)."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.in_atomic_block:
        return "the data inside this transaction, which other processes cannot see"
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        return "an in-memory SQLite database"
    return None


def default_workers() -> int:
    """As many workers as cores (at most ``MAX_WORKERS``), or 1 where they cannot share the
    database."""
    if unshareable() is not None:
        return 1
    return max(1, min(MAX_WORKERS, os.cpu_count() or 1))


def _work(index: int, folder: str) -> tuple[Any, ...]:
    """In a worker: write part ``index`` into ``folder``; its entries and facts, or the
    refusal (an ``InvalidInput``'s field, rule and value) to raise in the parent."""
    steps, created = _JOB[0]
    writer = DirectoryWriter(folder, digests=False)  # hashed once, in the package
    facts: dict[str, Any] = {}
    try:
        steps[index][1](writer, created, facts)
    except InvalidInput as error:
        return ("refused", error.field, error.rule, error.value)
    finally:
        connections.close_all()
    return ("done", writer.entries, facts)


def _merge(facts: dict[str, Any], found: dict[str, Any]) -> None:
    for key, value in found.items():
        if isinstance(value, dict):
            facts.setdefault(key, {}).update(value)
        else:
            facts[key] = value


def _add(package: PackageWriter, folder: str, entry: ManifestEntry) -> None:
    path = os.path.join(folder, *entry.path.split("/"))
    with open(path, "rb") as source:
        added = package.add_file(entry.path, source)
    os.unlink(path)
    if added.size != entry.size:
        raise InvalidInput(entry.path, "changed between its worker and the package", added.size)


def write_steps(
    package: PackageWriter,
    steps: Sequence[Step],
    created: Any,
    facts: dict[str, Any],
    *,
    workers: int,
    progress: Progress | None = None,
) -> None:
    """Write ``steps`` into ``package`` with ``workers`` processes (1: in this process).

    Raises ``InvalidInput`` when ``workers`` is below 1, or above 1 while other processes
    cannot read the database (``unshareable``), and whatever a part refuses.
    """
    if workers < 1:
        raise InvalidInput("workers", "at least 1 process", workers)
    if workers == 1:
        for number, (name, write) in enumerate(steps, start=1):
            if progress is not None:
                progress(name, number, len(steps))
            write(package, created, facts)
        return
    reason = unshareable()
    if reason is not None:
        raise InvalidInput("workers", f"other processes cannot read {reason}; use 1", workers)
    rank = {name: place for place, name in enumerate(LONGEST_FIRST)}
    order = sorted(range(len(steps)), key=lambda i: (rank.get(steps[i][0], len(rank)), i))
    temp = tempfile.mkdtemp(prefix="ramunet-export-")
    connections.close_all()  # each worker opens its own connection
    _JOB[:] = [(steps, created)]
    try:
        with multiprocessing.get_context("fork").Pool(min(workers, len(steps))) as pool:
            pending = {
                index: pool.apply_async(_work, (index, os.path.join(temp, f"{index:03d}")))
                for index in order
            }
            for index, (name, _) in enumerate(steps):
                outcome = pending[index].get()
                if outcome[0] == "refused":
                    raise InvalidInput(*outcome[1:])
                if progress is not None:
                    progress(name, index + 1, len(steps))
                for entry in outcome[1]:
                    _add(package, os.path.join(temp, f"{index:03d}"), entry)
                _merge(facts, outcome[2])
    finally:
        _JOB.clear()
        shutil.rmtree(temp, ignore_errors=True)
