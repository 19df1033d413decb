"""The trial simulator timed: 45 patients (and a large trial), and the demo end to end.

Run: .venv/bin/python benchmarks/simulate.py [--patients 5000] [--demo]

Each simulation runs in its own process into a fresh SQLite database (temporary folder,
migrated first, migration not timed): the 45-patient trial always, a trial of ``--patients``
when given, and with ``--demo`` the whole ``ramunet demo --no-serve`` (migrate, seed,
simulate, close and lock, report). Prints JSON: wall seconds and CPU seconds (the machine is
shared: wall time depends on its load, also reported), ms per patient, the large trial's
per-patient cost as a ratio to the 45-patient run's, and pass/fail of the wall time against
the targets (demo < 120 s, 5,000 patients < 15 min).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO_TARGET_S = 120.0
LARGE_TARGET_S = 900.0


def _env(data_dir: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY")}
    env.update(RAMUNET_DATA_DIR=data_dir, RAMUNET_DEMO="1")
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def worker(patients: int, seed: int) -> None:
    """In this process: migrate, then time the simulation; print its JSON line."""
    sys.path.insert(0, str(ROOT / "src"))
    from ramunet.cli.django_setup import setup

    setup()
    from django.core.management import call_command

    from ramunet.simulate import SimulationConfig, simulate_trial

    call_command("migrate", verbosity=0)
    began, cpu = time.perf_counter(), time.process_time()
    summary = simulate_trial(SimulationConfig(patients=patients, seed=seed), progress=False)
    seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
    print(
        json.dumps(
            {
                "patients": summary.registered,
                "screened": summary.screened,
                "seconds": round(seconds, 2),
                "cpu_seconds": round(cpu, 2),
                "ms_per_patient": round(1000 * seconds / summary.registered, 1),
                "cpu_ms_per_patient": round(1000 * cpu / summary.registered, 1),
                "month6_rate": round(summary.month6_rate, 3),
            }
        )
    )


def run_worker(patients: int, seed: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="ramunet-sim-bench-") as data_dir:
        done = subprocess.run(
            [sys.executable, __file__, "--worker", str(patients), "--seed", str(seed)],
            env=_env(data_dir),
            capture_output=True,
            text=True,
            check=True,
        )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_demo() -> tuple[float, float]:
    """Wall and CPU seconds (the demo and the processes it starts)."""
    with tempfile.TemporaryDirectory(prefix="ramunet-demo-bench-") as data_dir:
        began, cpu = time.perf_counter(), _children_cpu()
        subprocess.run(
            [str(Path(sys.executable).with_name("ramunet")), "demo", "--no-serve"],
            env=_env(data_dir),
            capture_output=True,
            text=True,
            check=True,
        )
        return time.perf_counter() - began, _children_cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--patients", type=int, default=0, help="also a trial of this size")
    parser.add_argument("--demo", action="store_true", help="also time ramunet demo")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--worker", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.seed)
        return
    report: dict[str, object] = {"benchmark": "simulate", "load_average_before": os.getloadavg()}
    base = run_worker(45, args.seed)
    report["trial_45"] = base
    if args.patients:
        large = run_worker(args.patients, args.seed)
        large["ratio_per_patient_to_45"] = round(
            large["ms_per_patient"] / base["ms_per_patient"], 2
        )
        large["cpu_ratio_per_patient_to_45"] = round(
            large["cpu_ms_per_patient"] / base["cpu_ms_per_patient"], 2
        )
        report[f"trial_{args.patients}"] = large
        report["target_large_s"] = LARGE_TARGET_S
        report["large_pass"] = large["seconds"] < LARGE_TARGET_S
    if args.demo:
        seconds, cpu = run_demo()
        report["demo_seconds"] = round(seconds, 1)
        report["demo_cpu_seconds"] = round(cpu, 1)
        report["target_demo_s"] = DEMO_TARGET_S
        report["demo_pass"] = seconds < DEMO_TARGET_S
    report["load_average_after"] = os.getloadavg()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
