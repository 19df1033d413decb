"""The full transfer package of a large synthetic trial: time, memory, and a plain dump for scale.

Run: .venv/bin/python benchmarks/export.py [--database PATH] [--patients 100] [--workers N]

The database is the simulator's 5,000-patient trial (``--database``, by default
``data/bench/trial-5000/ramunet.sqlite3`` when it exists); without one, ``--patients`` are
simulated through the services into a fresh SQLite database first (not timed). The database
is copied (SQLite backup API) so the export's own audit record leaves the original alone.

Two child processes then run on the copy, one after the other: the full package
(``write_transfer_package``: ODM with audit records and signatures, 14 SDTM/ADSL datasets as
XPT and CSV, the tidy tables, the trail, the dictionary) and a plain ``sqlite3 .dump`` of the
same database (the sqlite3 command-line tool if installed, else Python's ``iterdump``). Each
reports wall time and peak resident memory; flat memory shows as a package peak far below
the database size. Prints JSON. Target: the package in under 60 s at 5,000 patients.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_DATABASE = ROOT / "data" / "bench" / "trial-5000" / "ramunet.sqlite3"
TARGET_SECONDS = 60.0


def setup_django(data_dir: str) -> None:
    os.environ.update(RAMUNET_DATA_DIR=data_dir, RAMUNET_DEMO="1")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ramunet.edc.settings")
    import django

    django.setup()


def simulate(data_dir: str, patients: int) -> None:
    """Child process: a fresh migrated database with ``patients`` simulated patients."""
    setup_django(data_dir)
    from django.core.management import call_command

    from ramunet.simulate import SimulationConfig, simulate_trial

    call_command("migrate", verbosity=0)
    summary = simulate_trial(SimulationConfig(patients=patients, seed=2026), progress=False)
    print(json.dumps({"registered": summary.registered}))


def _exporter() -> object:
    from ramunet.edc.sites.models import Membership
    from tests.factories import make_person

    membership = Membership.objects.filter(role="data_manager").select_related("user").first()
    if membership is not None:
        return membership.user
    return make_person("dm.bench", "data_manager")


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished workers."""
    own, workers = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def _children_rss_mb() -> float:
    """Peak resident memory of the largest finished worker."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def export(data_dir: str, workers: int | None) -> None:
    """Child process: write the package; print JSON (seconds, peak memory, size, parts)."""
    setup_django(data_dir)
    from ramunet.edc.exporting.package import write_transfer_package
    from ramunet.edc.exporting.parallel import default_workers
    from ramunet.edc.screening.models import Patient

    user = _exporter()
    workers = default_workers() if workers is None else workers
    patients = Patient.objects.count()
    parts: dict[str, float] = {}
    growth: dict[str, float] = {}
    last = [time.perf_counter(), "", _rss_mb()]

    def progress(name: str, number: int, total: int) -> None:
        now, rss = time.perf_counter(), _rss_mb()
        if last[1]:
            parts[str(last[1])] = round(now - float(last[0]), 3)
            growth[str(last[1])] = round(rss - float(last[2]), 1)
        last[0], last[1], last[2] = now, name, rss

    target = Path(data_dir) / "transfer.zip"
    started, cpu_started = time.perf_counter(), _cpu_seconds()
    manifest = write_transfer_package(user, target, progress=progress, workers=workers)
    seconds = time.perf_counter() - started
    cpu = _cpu_seconds() - cpu_started
    slowest = dict(sorted(parts.items(), key=lambda kv: -kv[1])) if workers == 1 else {}
    grew = {name: mb for name, mb in sorted(growth.items(), key=lambda kv: -kv[1])[:4] if mb > 0}
    print(
        json.dumps(
            {
                "patients": patients,
                "workers": workers,
                "seconds": round(seconds, 2),
                "cpu_seconds_all_processes": round(cpu, 2),
                "peak_rss_mb": round(max(_rss_mb(), _children_rss_mb()), 1),
                "package_mb": round(target.stat().st_size / 1e6, 1),
                "uncompressed_mb": round(sum(e.size for e in manifest.entries) / 1e6, 1),
                "files": len(manifest.entries),
                "slowest_parts_s": slowest,
                "peak_rss_growth_mb": grew,
            }
        )
    )


def dump(database: str, out: str) -> None:
    """Child process: ``sqlite3 .dump`` of ``database`` into ``out``; print JSON."""
    started = time.perf_counter()
    tool = shutil.which("sqlite3")
    if tool:
        with open(out, "wb") as handle:
            subprocess.run([tool, database, ".dump"], stdout=handle, check=True)
        how = "sqlite3 CLI .dump"
    else:
        connection = sqlite3.connect(database)
        with open(out, "w", encoding="utf-8") as handle:
            for line in connection.iterdump():
                handle.write(line + "\n")
        connection.close()
        how = "python sqlite3 iterdump"
    seconds = time.perf_counter() - started
    peak = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    )
    print(
        json.dumps(
            {
                "seconds": round(seconds, 2),
                "how": how,
                "peak_rss_mb": round(peak / 1024, 1),
                "dump_mb": round(os.path.getsize(out) / 1e6, 1),
            }
        )
    )


def _child(*args: str) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, __file__, "--child", *args], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"child {args[0]} failed:\n{result.stderr[-3000:]}")
    parsed: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return parsed


def _copy(source: Path, target: Path) -> None:
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", type=Path, default=None)
    parser.add_argument("--patients", type=int, default=100, help="simulated without --database")
    parser.add_argument("--workers", type=int, default=None, help="default: one per core")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        if kind == "simulate":
            simulate(rest[0], int(rest[1]))
        elif kind == "export":
            export(rest[0], int(rest[1]) if rest[1] != "auto" else None)
        else:
            dump(rest[0], rest[1])
        return
    work = tempfile.mkdtemp(prefix="ramunet-export-bench-")
    try:
        database = args.database or (DEFAULT_DATABASE if DEFAULT_DATABASE.exists() else None)
        copy = Path(work) / "ramunet.sqlite3"
        simulated = None
        if database is None:
            started = time.perf_counter()
            _child("simulate", work, str(args.patients))
            simulated = round(time.perf_counter() - started, 1)
        else:
            _copy(database, copy)
        package = _child("export", work, "auto" if args.workers is None else str(args.workers))
        plain = _child("dump", str(copy), str(Path(work) / "dump.sql"))
        seconds = float(package["seconds"])  # type: ignore[arg-type]
        ratio = seconds / max(float(plain["seconds"]), 1e-9)  # type: ignore[arg-type]
        print(
            json.dumps(
                {
                    "benchmark": "transfer package export",
                    "database": str(database) if database else f"simulated ({simulated} s)",
                    "database_mb": round(copy.stat().st_size / 1e6, 1),
                    "package": package,
                    "sqlite_dump": plain,
                    "ratio_package_to_dump": round(ratio, 1),
                    "target_seconds": TARGET_SECONDS,
                    "pass": seconds < TARGET_SECONDS,
                },
                indent=2,
            )
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
