"""Consistent online backups with a checksum, and restore.

SQLite: the SQLite online backup API copies a consistent snapshot while the system runs.
PostgreSQL: ``pg_dump --format=custom`` (a consistent snapshot by MVCC); ``pg_restore``
restores it. Each backup has a manifest beside it (``<file>.json``) with the SHA-256 of the
file, the audit chain's head (sequence and hash) at the time, and the software version;
``restore`` refuses a file whose checksum differs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection

from ramunet import __version__
from ramunet.clinical.errors import InvalidInput, WorkflowError
from ramunet.edc.audit.services import chain_head


@dataclass(frozen=True)
class Backup:
    path: Path
    manifest: Path
    sha256: str
    audit_seq: int
    audit_hash: str


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_env(database: dict[str, Any]) -> tuple[dict[str, str], str]:
    """libpq's environment and the database name of a Django database settings dict."""
    env = dict(os.environ)
    env.update(
        PGHOST=str(database.get("HOST") or "localhost"),
        PGPORT=str(database.get("PORT") or 5432),
        PGUSER=str(database.get("USER") or ""),
        PGPASSWORD=str(database.get("PASSWORD") or ""),
    )
    return env, str(database["NAME"])


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
        return str(candidate)
    raise WorkflowError(f"{name} is not installed; install Debian's postgresql-client")


def backup(directory: Path, now: dt.datetime | None = None) -> Backup:
    """Write a consistent backup of the current database into ``directory``.

    Runs outside any transaction (SQLite's backup waits on the running transaction's locks).
    """
    if connection.in_atomic_block:
        raise WorkflowError("a backup cannot run inside a transaction; run it on its own")
    directory.mkdir(parents=True, exist_ok=True)
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%SZ")
    head = chain_head()
    vendor = connection.vendor
    if vendor == "sqlite":
        target = directory / f"ramunet-{stamp}.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
    elif vendor == "postgresql":
        target = directory / f"ramunet-{stamp}.pgdump"
        env, name = _pg_env(connection.settings_dict)  # the database in use (tests: test_...)
        subprocess.run(
            [_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={target}", name],
            env=env,
            check=True,
            capture_output=True,
        )
    else:  # pragma: no cover - only SQLite and PostgreSQL are configured
        raise WorkflowError(f"backups of {vendor} databases are not supported")
    checksum = sha256_file(target)
    manifest = target.with_name(target.name + ".json")
    manifest.write_text(
        json.dumps(
            {
                "file": target.name,
                "sha256": checksum,
                "database": vendor,
                "audit_seq": head[0],
                "audit_hash": head[1],
                "created": stamp,
                "software": f"ramunet {__version__}",
            },
            indent=2,
        )
    )
    return Backup(target, manifest, checksum, head[0], head[1])


def check_backup(path: Path) -> dict[str, object]:
    """The manifest of a backup file, after checking its checksum."""
    manifest = path.with_name(path.name + ".json")
    if not path.exists():
        raise InvalidInput("backup", "no such file", str(path))
    if not manifest.exists():
        raise InvalidInput("backup", f"its manifest {manifest.name} is missing", str(path))
    data: dict[str, object] = json.loads(manifest.read_text())
    actual = sha256_file(path)
    if actual != data["sha256"]:
        raise InvalidInput(
            "backup",
            f"checksum {actual[:16]}... differs from the manifest's; the file is damaged",
            str(path),
        )
    return data


def restore_sqlite(path: Path, database: Path, *, force: bool = False) -> None:
    """Put a checked SQLite backup in place of ``database`` (refuses to overwrite unless forced)."""
    check_backup(path)
    if database.exists() and not force:
        raise WorkflowError(f"{database} exists; pass --force to replace it")
    for suffix in ("-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    database.parent.mkdir(parents=True, exist_ok=True)
    tmp = database.with_name(database.name + ".restoring")
    shutil.copyfile(path, tmp)
    tmp.replace(database)


def restore_postgresql(path: Path, database: dict[str, Any]) -> None:
    """Restore a checked pg_dump into ``database`` (Django settings; its tables are replaced)."""
    check_backup(path)
    env, name = _pg_env(database)
    subprocess.run(
        [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            f"--dbname={name}",
            str(path),
        ],
        env=env,
        check=True,
        capture_output=True,
    )
