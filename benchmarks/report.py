"""Benchmark: the full analysis report (load, hash, analyse, figures, HTML, PDF), timed.

Run: ``.venv/bin/python benchmarks/report.py [--database PATH_OR_URL ...] [--out DIR]``.
Prints one JSON object with the seconds of each phase per trial. Each database (an SQLite
file or a ``DATABASE_URL``) is reported in its own process (Django is set up once per
process) with ``load_dataset`` and ``build_report`` directly, so it is only read (no audit
record is appended). Without ``--database``: the demo database (``data/ramunet.sqlite3``)
when it holds patients, and the simulator's 5,000-patient trial
(``data/bench/trial-5000/ramunet.sqlite3``) when it exists. ``--replicate-to 5000`` copies a
smaller database's patients up to 5,000 (load time scaled linearly, marked as an estimate).
``--synthetic`` (implied when no database is found) adds seeded synthetic trials of 45 and
5,000 patients through the pure pipeline (no load phase).
Target: the 5,000-patient report in under 60 s (``seconds.total``, wall clock; ``cpu_s`` is
the process's CPU time, which shows how much of the wall time the shared machine took away).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

TARGET_5000_S = 60.0
LARGE = 5000
LARGE_DATABASE = ROOT / "data" / "bench" / "trial-5000" / "ramunet.sqlite3"
CENTRES = ("HAL", "MAR", "BER", "MUC", "ESS", "HAM", "MAI", "ULM")
TERMS = (
    "Hypertension",
    "Proteinuria",
    "Nausea",
    "Fatigue",
    "Epistaxis",
    "Vomiting",
    "Headache",
    "Diarrhea",
    "Anorexia",
    "Thromboembolic event",
)
LAB_TERMS = (
    "Neutrophil count decreased",
    "Platelet count decreased",
    "Anemia",
    "Alanine aminotransferase increased",
)
MARKERS = ("ki67", "vegfr2_tumour", "cd68", "cd8", "il6", "vegf")
SCALES = (
    "QL2",
    "PF2",
    "RF2",
    "EF",
    "CF",
    "SF",
    "FA",
    "NV",
    "PA",
    "DY",
    "SL",
    "AP",
    "CO",
    "DI",
    "FI",
)


def synthetic_trial(n: int, seed: int = 20261124):
    """A seeded trial of ``n`` treated patients with realistic row counts per patient."""
    from ramunet.report.dataset import (
        AdverseEventRow,
        BiomarkerValue,
        CentreRow,
        CgaValue,
        EndpointRow,
        LabGrade,
        PatientRow,
        QlqScores,
        ScreeningRow,
        TrialDataset,
        TumourPoint,
    )

    rng = np.random.default_rng(seed)
    start = dt.date(2019, 6, 1)
    span = max(720, n // 2)
    centres = tuple(CentreRow(c, f"Centre {c}", start) for c in CENTRES)
    screening, patients, endpoints, tumour, events = [], [], [], [], []
    labs, cga, qlq, markers = [], [], [], []
    for i in range(n):
        centre = CENTRES[i % len(CENTRES)]
        code = f"{centre}-{i // len(CENTRES) + 1:04d}"
        registered = start + dt.timedelta(days=int(i * span / n))
        first = registered + dt.timedelta(days=7)
        screening.append(ScreeningRow(centre, i + 1, registered, "registered"))
        if i % 5 == 0:
            screening.append(ScreeningRow(centre, 100_000 + i, registered, "failed", ("IN09",)))
        success = rng.random() < 0.72
        slope = -4.0 if success else 7.0
        days = np.arange(84, 84 * int(rng.integers(2, 9)), 84)
        change = np.clip(np.cumsum(rng.normal(slope, 5, len(days))), -100, 150)
        pd_day = None
        for d, c in zip(days, change, strict=True):
            overall = "PD" if c >= 20 else "PR" if c <= -30 else "SD"
            tumour.append(
                TumourPoint(code, first + dt.timedelta(days=int(d)), overall, round(float(c), 1))
            )
            if overall == "PD" and pd_day is None:
                pd_day = int(d)
        died = rng.random() < 0.25
        follow = int(days[-1] + rng.integers(30, 300))
        eot = first + dt.timedelta(days=int(pd_day or days[-1]))
        patients.append(
            PatientRow(
                code,
                centre,
                "female" if i % 2 else "male",
                1945 + i % 30,
                registered,
                registered,
                first,
                "follow_up",
                "G2" if i % 3 else "G1",
                float(rng.uniform(1, 20)),
                bool(i % 7 == 0),
                bool(i % 2),
                int(i % 3),
                eot,
                "progression" if pd_day else "completed",
                None,
                "",
                first + dt.timedelta(days=follow) if died else None,
            )
        )
        endpoints.append(
            EndpointRow(
                code,
                "PD" if pd_day else "SD",
                "PD" if pd_day else "SD",
                bool(success and (pd_day is None or pd_day > 182)),
                "",
                first + dt.timedelta(days=168),
                None if pd_day is None else first + dt.timedelta(days=pd_day),
                pd_day is not None or died,
                pd_day or follow,
                died,
                follow,
                "stable",
                len(days) * 3,
                float(rng.uniform(60, 100)),
                float(rng.uniform(60, 100)),
            )
        )
        for k in range(int(rng.integers(4, 14))):
            grade = int(rng.choice([1, 2, 3, 4, 5], p=[0.5, 0.3, 0.15, 0.04, 0.01]))
            serious = grade >= 3 and rng.random() < 0.3
            events.append(
                AdverseEventRow(
                    code,
                    TERMS[int(rng.integers(0, len(TERMS)))],
                    grade,
                    first + dt.timedelta(days=10 * k + 3),
                    None,
                    serious,
                    ("hospitalisation",) if serious else (),
                    "possible",
                    "unlikely",
                    "recovered",
                )
            )
        for term in LAB_TERMS:
            if rng.random() < 0.5:
                labs.append(LabGrade(code, term, int(rng.integers(1, 4))))
        base = float(rng.uniform(50, 800))
        for k, d in enumerate([-3, *days[:4].tolist()]):
            value = base * (1 + rng.normal(-0.1 if success else 0.2, 0.2) * k)
            cga.append(
                CgaValue(
                    code,
                    first + dt.timedelta(days=int(d)),
                    "chromogranin_a",
                    max(value, 1.0),
                    100.0,
                )
            )
        for d in [-2, *days[:4].tolist()]:
            scores = tuple((s, float(np.clip(rng.normal(60, 15), 0, 100))) for s in SCALES)
            qlq.append(QlqScores(code, first + dt.timedelta(days=int(d)), scores))
        markers += [BiomarkerValue(code, m, float(rng.lognormal(1, 0.5)), "") for m in MARKERS]
    return TrialDataset(
        centres,
        tuple(screening),
        tuple(sorted(patients, key=lambda p: p.code)),
        tuple(sorted(endpoints, key=lambda e: e.patient)),
        tuple(tumour),
        tuple(events),
        tuple(labs),
        tuple(cga),
        tuple(qlq),
        tuple(markers),
        False,
        0,
        "0" * 64,
        start + dt.timedelta(days=span + 700),
    )


def _pages(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(next(x for x in out.stdout.splitlines() if x.startswith("Pages:"))[6:])


def report_dataset(
    dataset, out: Path, load_s: float | None, load_cpu_s: float = 0.0
) -> dict[str, object]:
    from ramunet import __version__
    from ramunet.protocol.study import PROTOCOL
    from ramunet.report.build import build_report

    started, cpu = time.perf_counter(), time.process_time()
    built = build_report(
        dataset, out, software_version=__version__, protocol_version=PROTOCOL.version
    )
    seconds = dict(built.seconds)
    if load_s is not None:
        seconds = {"load": round(load_s, 4), **seconds}
    seconds["total"] = round(sum(seconds.values()), 4)
    return {
        "patients": len(dataset.patients),
        "rows": {
            "tumour_points": len(dataset.tumour),
            "adverse_events": len(dataset.adverse_events),
            "qlq": len(dataset.qlq),
        },
        "seconds": seconds,
        "wall_s": round(time.perf_counter() - started + (load_s or 0.0), 4),
        "cpu_s": round(time.process_time() - cpu + load_cpu_s, 4),
        "pdf_pages": _pages(built.pdf),
        "figures": len(built.figures),
    }


def replicate(dataset, target: int):
    """The dataset's patients copied (codes suffixed ``.k``) until ``target`` are reached."""
    import dataclasses

    copies = -(-target // max(len(dataset.patients), 1))

    def copied(rows, k):
        if k == 0:
            return list(rows)
        return [dataclasses.replace(r, patient=f"{r.patient}.{k}") for r in rows]

    tables = {
        name: []
        for name in (
            "endpoints",
            "tumour",
            "adverse_events",
            "lab_grades",
            "cga",
            "qlq",
            "biomarkers",
        )
    }
    patients, screening = [], []
    for k in range(copies):
        patients += [
            dataclasses.replace(p, code=f"{p.code}.{k}") if k else p for p in dataset.patients
        ]
        screening += [
            dataclasses.replace(s, number=s.number + 100_000 * k) for s in dataset.screening
        ]
        for name in tables:
            tables[name] += copied(getattr(dataset, name), k)
    return dataclasses.replace(
        dataset,
        patients=tuple(sorted(patients, key=lambda p: p.code)),
        screening=tuple(screening),
        **{name: tuple(rows) for name, rows in tables.items()},
    )


def one_database(target: str, out: Path, replicate_to: int = 0) -> dict[str, object]:
    """Load and report one database (runs in a child process); with ``replicate_to``, its
    patients are copied up to that many and the load time is scaled linearly (estimated)."""
    url = target if "://" in target else f"sqlite:///{Path(target).resolve()}"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SECRET_KEY", "benchmark-only-" + "x" * 40)
    from ramunet.cli.django_setup import setup

    setup()
    from ramunet.edc.reporting.dataset import load_dataset

    started, cpu = time.perf_counter(), time.process_time()
    dataset = load_dataset()
    load_s, load_cpu = time.perf_counter() - started, time.process_time() - cpu
    loaded = len(dataset.patients)
    if replicate_to and loaded and loaded < replicate_to:
        dataset = replicate(dataset, replicate_to)
        factor = len(dataset.patients) / loaded
        result = report_dataset(dataset, out, load_s * factor, load_cpu * factor)
        return {
            "source": f"{target}: {loaded} patients loaded in {load_s:.2f} s, copied to "
            f"{len(dataset.patients)}; load time scaled linearly (estimate)",
            **result,
        }
    return {"source": target, **report_dataset(dataset, out, load_s, load_cpu)}


def _patients_in(path: Path) -> int:
    import sqlite3

    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
            return int(connection.execute("SELECT count(*) FROM screening_patient").fetchone()[0])
    except sqlite3.Error:
        return 0


def default_databases() -> list[str]:
    """The demo database (if it holds patients) and the 5,000-patient trial (if built)."""
    found = []
    for path in (ROOT / "data" / "ramunet.sqlite3", LARGE_DATABASE):
        if path.exists() and _patients_in(path) > 0:
            found.append(str(path))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", action="append", default=[], help="SQLite file or URL")
    parser.add_argument("--synthetic", action="store_true", help="also the synthetic trials")
    parser.add_argument("--out", type=Path, default=None, help="keep the reports here")
    parser.add_argument(
        "--replicate-to",
        type=int,
        default=0,
        help="copy a smaller database's patients up to this many (e.g. 5000); load scaled",
    )
    parser.add_argument("--one", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="ramunet-report-bench-"))
    if args.one:
        print(json.dumps(one_database(args.one, out, args.replicate_to)))
        return
    runs = []
    databases = args.database or default_databases()
    for index, target in enumerate(databases):
        child = subprocess.run(
            [
                sys.executable,
                __file__,
                "--one",
                target,
                "--out",
                str(out / f"db{index}"),
                "--replicate-to",
                str(args.replicate_to),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append(json.loads(child.stdout.strip().splitlines()[-1]))
    if args.synthetic or not databases:
        for n in (45, LARGE):
            result = report_dataset(synthetic_trial(n), out / f"synthetic{n}", None)
            runs.append({"source": f"synthetic {n} patients (pure pipeline, no load)", **result})
    large = [r for r in runs if int(r["patients"]) >= LARGE]
    print(
        json.dumps(
            {
                "benchmark": "report",
                "runs": runs,
                "target_5000_patients_s": TARGET_5000_S,
                "pass": bool(large)
                and all(float(r["seconds"]["total"]) < TARGET_5000_S for r in large),
                "reports_in": str(out),
            }
        )
    )


if __name__ == "__main__":
    main()
