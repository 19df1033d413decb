"""The transfer package written by several processes: the same files as by one, or a refusal."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import time_machine
from django.db import connection

from ramunet.clinical.errors import InvalidInput
from ramunet.edc.exporting.package import write_transfer_package
from ramunet.exports.package import verify_package
from tests.factories import make_person

ROOT = Path(__file__).resolve().parents[3]
AT = dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC)
# the audit trail grows by the first export's own record; everything else is equal (the
# exporter exports once before, so that the ODM's list of users is the same for both)
GROWS = ("trail/audit_records.csv", "trail/audit_changes.csv")


def _compare(first: Path, second: Path) -> None:
    with zipfile.ZipFile(first) as one, zipfile.ZipFile(second) as two:
        assert one.namelist() == two.namelist()
        for name in one.namelist():
            if name == "manifest.json":
                continue
            if name in GROWS:
                assert two.read(name).startswith(one.read(name)), name
            else:
                assert one.read(name) == two.read(name), name


def test_zero_workers_are_refused(trial, exporter, tmp_path):
    with pytest.raises(InvalidInput, match="workers 0: at least 1 process"):
        write_transfer_package(exporter, tmp_path / "t.zip", parts=("dictionary",), workers=0)


def test_two_workers_are_refused_where_they_cannot_see_the_data(trial, exporter, tmp_path):
    with pytest.raises(InvalidInput, match=r"other processes cannot read .*; use 1"):
        write_transfer_package(exporter, tmp_path / "t.zip", workers=2)
    assert not (tmp_path / "t.zip").exists()


@pytest.mark.django_db(transaction=True)
def test_two_workers_write_the_package_one_process_writes(tmp_path):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("in-memory SQLite; the SQLite file case runs in a child process below")
    from ramunet.simulate import SimulationConfig, simulate_trial

    simulate_trial(SimulationConfig(patients=3, centres=2, seed=11), progress=False)
    exporter = make_person("dm.parallel", "data_manager")
    write_transfer_package(exporter, tmp_path / "first.zip", parts=("dictionary",))
    with time_machine.travel(AT, tick=False):
        one = write_transfer_package(exporter, tmp_path / "one.zip", workers=1)
        two = write_transfer_package(exporter, tmp_path / "two.zip", workers=2)
    assert verify_package(tmp_path / "two.zip") == []
    assert two.facts["sdtm_rows"] == one.facts["sdtm_rows"]
    _compare(tmp_path / "one.zip", tmp_path / "two.zip")


CHILD = """
import json, os, sys, datetime as dt
import django, time_machine
django.setup()
from django.core.management import call_command
from ramunet.edc.exporting.package import write_transfer_package
from ramunet.simulate import SimulationConfig, simulate_trial
from tests.factories import make_person
call_command("migrate", verbosity=0)
simulate_trial(SimulationConfig(patients=3, centres=2, seed=11), progress=False)
exporter = make_person("dm.parallel", "data_manager")
write_transfer_package(exporter, sys.argv[1] + "/first.zip", parts=("dictionary",))
with time_machine.travel(dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC), tick=False):
    one = write_transfer_package(exporter, sys.argv[1] + "/one.zip", workers=1)
    two = write_transfer_package(exporter, sys.argv[1] + "/two.zip", workers=2)
print(json.dumps([one.facts["sdtm_rows"], two.facts["sdtm_rows"]]))
"""


def test_two_workers_on_a_sqlite_file_write_the_package_one_process_writes(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        RAMUNET_DATA_DIR=str(tmp_path),
        RAMUNET_DEMO="1",
        DJANGO_SETTINGS_MODULE="ramunet.edc.settings",
        PYTHONPATH=str(ROOT),
    )
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    rows_one, rows_two = json.loads(result.stdout.strip().splitlines()[-1])
    assert rows_one == rows_two and rows_one["DM"] == 3
    assert verify_package(tmp_path / "two.zip") == []
    _compare(tmp_path / "one.zip", tmp_path / "two.zip")
