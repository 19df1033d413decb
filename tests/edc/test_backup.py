"""Backups with a checksum; a restored backup passes audit verify and equals the source."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from ramunet.clinical.errors import InvalidInput, WorkflowError
from ramunet.edc import backup
from tests.factories import make_centre

RAMUNET = [sys.executable, "-m", "ramunet.cli.main"]


def run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY")}
    env.update(
        RAMUNET_DATA_DIR=str(data_dir),
        RAMUNET_DEMO="1",
        DJANGO_SETTINGS_MODULE="ramunet.edc.settings",
    )
    return subprocess.run([*RAMUNET, *args], env=env, capture_output=True, text=True, timeout=300)


def dump(path: Path) -> list[str]:
    with sqlite3.connect(path) as db:
        return list(db.iterdump())


@pytest.mark.slow
def test_sqlite_backup_restores_identical_and_verified(tmp_path):
    source, target = tmp_path / "source", tmp_path / "target"
    assert run(source, "demo", "--no-serve", "--empty").returncode == 0
    made = run(source, "backup")
    assert made.returncode == 0, made.stderr
    file = next((source / "backups").glob("*.sqlite3"))
    restored = run(target, "restore", str(file))
    assert restored.returncode == 0, restored.stderr
    assert "audit trail intact" in restored.stdout
    assert dump(target / "ramunet.sqlite3") == dump(source / "ramunet.sqlite3")


@pytest.mark.slow
def test_restore_refuses_to_overwrite_without_force(tmp_path):
    data = tmp_path / "data"
    run(data, "demo", "--no-serve", "--empty")
    run(data, "backup")
    file = next((data / "backups").glob("*.sqlite3"))
    refused = run(data, "restore", str(file))
    assert refused.returncode == 2
    assert "exists; pass --force to replace it" in refused.stderr
    assert run(data, "restore", "--force", str(file)).returncode == 0


def test_damaged_backup_is_refused(tmp_path, transactional_db):
    make_centre("HAL")
    made = backup.backup(tmp_path)
    with made.path.open("r+b") as handle:
        handle.seek(200)
        handle.write(b"\x00damage\x00")
    with pytest.raises(InvalidInput) as error:
        backup.check_backup(made.path)
    assert "differs from the manifest's; the file is damaged" in str(error.value)


def test_backup_manifest_records_checksum_and_audit_head(tmp_path, transactional_db):
    make_centre("HAL")
    made = backup.backup(tmp_path)
    manifest = backup.check_backup(made.path)
    assert manifest["sha256"] == made.sha256
    assert manifest["audit_seq"] == 1
    assert manifest["database"] == connection.vendor
    if connection.vendor == "postgresql":
        listed = subprocess.run(
            [backup._tool("pg_restore"), "--list", str(made.path)], capture_output=True, text=True
        )
        assert "TABLE DATA public audit_auditrecord" in listed.stdout


def test_backup_inside_a_transaction_is_refused(tmp_path, db):
    with pytest.raises(WorkflowError) as error:
        backup.backup(tmp_path)
    assert str(error.value) == "a backup cannot run inside a transaction; run it on its own"


def test_postgresql_backup_restores_into_an_identical_database(tmp_path, transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL round trip: runs in the PostgreSQL pass of CI")
    import psycopg

    make_centre("HAL")
    made = backup.backup(tmp_path)
    source = connection.settings_dict
    copy = dict(source, NAME=f"{source['NAME']}_restored")
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{copy["NAME"]}"')
        cursor.execute(f'CREATE DATABASE "{copy["NAME"]}"')
    try:
        backup.restore_postgresql(made.path, copy)

        def snapshot(settings):
            with psycopg.connect(
                host=settings["HOST"],
                port=settings["PORT"],
                user=settings["USER"],
                password=settings["PASSWORD"],
                dbname=settings["NAME"],
            ) as db:
                audit = db.execute(
                    "SELECT seq, hash FROM audit_auditrecord ORDER BY seq"
                ).fetchall()
                centres = db.execute(
                    "SELECT code, name, version FROM ramunet_sites_centre"
                ).fetchall()
                head = db.execute("SELECT seq, hash FROM audit_chainhead").fetchall()
            return audit, centres, head

        assert snapshot(copy) == snapshot(source)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{copy["NAME"]}"')
