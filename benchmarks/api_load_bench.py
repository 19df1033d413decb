"""Saving a laboratory form through the HTTP API under load, against a bare insert endpoint.

Run (SQLite):      .venv/bin/python benchmarks/api_load_bench.py [--clients 20] [--seconds 60]
Run (PostgreSQL):  scripts/with-postgres .venv/bin/python benchmarks/api_load_bench.py

Starts Granian (the production server, as ``ramunet serve`` starts it) on loopback with the
real application plus one bare endpoint that does a single ORM insert of the same model
behind the same token authentication. N client threads then POST haematology forms to the
real endpoint (permission and centre check, validation, CTCAE grading, edit checks, the
audit chain) and to the bare one, ``--seconds`` each, in ``--turns`` alternations (so that
the machine's load drifting during the run weighs on both alike). Prints JSON: p50, p95 and
throughput of each, and the ratios (what validation, permissions and the audit cost).
Targets: p95 under 100 ms, p95 ratio under 3.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
VALUES = {
    "form_date": "2026-01-19",
    "hemoglobin": "11.2",
    "anc": "2.1",
    "platelets": "180",
    "wbc": "4.4",
    "lymphocytes": "1.3",
}


def prepare(prefix: str) -> tuple[str, list[str], int]:
    """In a new data directory (``prefix``) with the benchmark's settings (the application
    plus the bare endpoint): migrate, and create the centre, a nurse with an API token, and
    20 patients. The token, the patients' codes and the first patient's id."""
    os.environ.update(
        RAMUNET_DATA_DIR=tempfile.mkdtemp(prefix=prefix),
        RAMUNET_DEMO="1",
        DJANGO_SETTINGS_MODULE="benchmarks.apiload.settings",
    )
    import django

    django.setup()
    import datetime as dt
    from decimal import Decimal

    from django.core.management import call_command
    from rest_framework.authtoken.models import Token

    from ramunet.edc.sites import services as sites
    from ramunet.edc.sites.demo import DEMO_RANGES
    from tests.factories import make_centre, make_patient, make_person

    call_command("migrate", verbosity=0)
    centre = make_centre("HAL")
    for analyte, unit, lln, uln in DEMO_RANGES:
        sites.add_reference_range(
            "system",
            centre,
            analyte=analyte,
            unit=unit,
            lln=Decimal(lln) if lln else None,
            uln=Decimal(uln) if uln else None,
            valid_from=dt.date(2019, 1, 1),
        )
    nurse = make_person("nurse.load", "nurse", centre)
    patients = [make_patient(centre, sequence=i + 1) for i in range(20)]
    token = Token.objects.create(user=nurse).key
    return token, [p.code for p in patients], patients[0].pk


@dataclass
class Measured:
    """Latencies (seconds), errors and time under load of one kind of request."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0

    def summary(self) -> dict[str, float]:
        ordered = sorted(self.latencies)
        return {
            "requests": len(ordered),
            "errors": self.errors,
            "p50_ms": round(1000 * statistics.median(ordered), 1),
            "p95_ms": round(1000 * ordered[int(0.95 * (len(ordered) - 1))], 1),
            "throughput_per_s": round(len(ordered) / self.seconds, 1),
        }


def load(
    port: int, paths: list[str], token: str, clients: int, seconds: float, into: Measured
) -> None:
    """``clients`` threads POST to ``paths`` for ``seconds``; latencies added to ``into``."""
    lock = threading.Lock()
    body = json.dumps({"values": VALUES})
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
    deadline = time.perf_counter() + seconds

    def client(number: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        path = paths[number % len(paths)]
        mine: list[float] = []
        failed = 0
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            conn.request("POST", path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            mine.append(time.perf_counter() - started)
            failed += response.status != 201
        conn.close()
        with lock:
            into.latencies.extend(mine)
            into.errors += failed

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    into.seconds += time.perf_counter() - started


def main() -> None:
    from ramunet.cli.serve_cmd import (
        at_least_one,
        default_threads,
        default_workers,
        free_port,
        server_command,
        wait_until_listening,
    )

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=at_least_one, default=None, help="default: one per core")
    parser.add_argument(
        "--threads", type=at_least_one, default=None, help="per worker (default: as ramunet serve)"
    )
    parser.add_argument("--turns", type=int, default=6, help="alternations of the two kinds")
    args = parser.parse_args()
    database = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite (WAL)"
    token, codes, first_pk = prepare("ramunet-load-")
    port = free_port()
    workers, threads = args.workers or default_workers(), args.threads or default_threads()
    server = subprocess.Popen(
        server_command("127.0.0.1", port, workers=workers, threads=threads),
        cwd=ROOT,
        env=dict(
            os.environ,
            PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]),  # this checkout
            DJANGO_SETTINGS_MODULE="benchmarks.apiload.settings",
        ),
    )
    try:
        wait_until_listening(server, port)
        service_paths = [f"/api/v1/patients/{code}/forms/HAEM/" for code in codes]
        bare_paths = [f"/bench/bare/{first_pk}/"]
        load(port, service_paths, token, args.clients, 3, Measured())  # warm up both
        load(port, bare_paths, token, args.clients, 3, Measured())
        # the two kinds in turns, so that a change of the machine's load during the run
        # falls on both alike
        measured = {"service": Measured(), "bare": Measured()}
        for _ in range(args.turns):
            for kind, paths in (("service", service_paths), ("bare", bare_paths)):
                load(port, paths, token, args.clients, args.seconds / args.turns, measured[kind])
        service, bare = measured["service"].summary(), measured["bare"].summary()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    print(
        json.dumps(
            {
                "benchmark": "lab form save through the HTTP API vs a bare insert endpoint",
                "database": database,
                "server": f"granian {workers} workers x {threads} threads",
                "clients": args.clients,
                "seconds_each": args.seconds,
                "turns": args.turns,
                "service": service,
                "bare": bare,
                "p95_ratio": round(service["p95_ms"] / bare["p95_ms"], 2),
                "p50_ratio": round(service["p50_ms"] / bare["p50_ms"], 2),
                "throughput_ratio": round(
                    bare["throughput_per_s"] / service["throughput_per_s"], 2
                ),
                "targets": {"service_p95_ms_max": 100, "p95_ratio_max": 3},
                "load_average": round(os.getloadavg()[0], 1),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
