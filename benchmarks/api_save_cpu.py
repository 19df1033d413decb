"""Where the CPU of one API lab save goes: each step's thread CPU, in one process.

Run (SQLite):      .venv/bin/python benchmarks/api_save_cpu.py [--saves 500]
Run (PostgreSQL):  scripts/with-postgres .venv/bin/python benchmarks/api_save_cpu.py

The load benchmark (``api_load_bench.py``) gives latencies under load; this one says which
step of a save costs what, to find the next thing worth making cheaper. The same
application, centre, nurse and patients as the load benchmark; the saves go through
Django's test client (the whole middleware stack, no HTTP server): ``--saves`` times after a
warm-up for the totals, then as many again with each step timed by wrapping its function
and reading the thread's CPU clock (waits for the database do not count; a step's time
includes the steps listed under it).
Prints JSON: wall time and CPU per save, the queries of one save, and each step's CPU.
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

#: (label, module path, attribute path): the steps of a save, outermost first
STEPS = (
    (
        "authentication",
        "ramunet.edc.api.base",
        "AccountTokenAuthentication.authenticate_credentials",
    ),
    ("patient look-up", "ramunet.edc.api.forms", "visible_patient"),
    ("input validation", "rest_framework.serializers", "Serializer.is_valid"),
    ("checks", "ramunet.edc.crfs.services", "_checked_form"),
    ("  field validation", "ramunet.edc.crfs.services", "clean_form"),
    ("  ranges and baseline", "ramunet.edc.crfs.services", "context_for"),
    ("  derived values", "ramunet.edc.crfs.services", "derive"),
    ("  edit checks", "ramunet.edc.crfs.services", "_findings"),
    ("write", "ramunet.edc.crfs.services", "_store_form"),
    ("  insert and audit record", "ramunet.edc.audit.services", "create_within"),
    ("  last contact (OS)", "ramunet.edc.endpoints.services", "extends_last_contact"),
    ("audit chain and commit", "ramunet.edc.audit.deferral", "ChainDeferringWrapper.commit"),
    ("response", "ramunet.edc.api.forms", "FormOutBase.to_representation"),
)


def _instrument(spent: dict[str, float]) -> None:
    """Wrap each step's function so that its thread CPU adds up in ``spent``."""
    import importlib

    for label, module_path, attribute in STEPS:
        owner: Any = importlib.import_module(module_path)
        *outer, name = attribute.split(".")
        for part in outer:
            owner = getattr(owner, part)
        original = getattr(owner, name)

        def timed(*args: Any, _f: Any = original, _label: str = label, **kwargs: Any) -> Any:
            started = time.thread_time()
            try:
                return _f(*args, **kwargs)
            finally:
                spent[_label] += time.thread_time() - started

        setattr(owner, name, functools.wraps(original)(timed))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--saves", type=int, default=500)
    args = parser.parse_args()
    import api_load_bench as load

    token, codes, _ = load.prepare("ramunet-save-cpu-")
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Token {token}", HTTP_HOST="127.0.0.1")
    body = json.dumps({"values": load.VALUES})
    path = f"/api/v1/patients/{codes[0]}/forms/HAEM/"

    def save() -> None:
        response = client.post(path, data=body, content_type="application/json")
        if response.status_code != 201:
            raise SystemExit(f"save refused: {response.status_code} {response.content[:300]!r}")

    for _ in range(50):
        save()
    connection.force_debug_cursor = True  # the log restarts with each request
    save()
    queries = [q["sql"][:80] for q in connection.queries]
    connection.force_debug_cursor = False
    started, cpu = time.perf_counter(), time.thread_time()
    for _ in range(args.saves):
        save()
    wall, cpu = time.perf_counter() - started, time.thread_time() - cpu
    spent: dict[str, float] = defaultdict(float)
    _instrument(spent)  # then the steps, in as many saves again
    for _ in range(args.saves):
        save()
    print(
        json.dumps(
            {
                "benchmark": "CPU of one API lab save, by step (thread CPU, one process)",
                "database": connection.vendor,
                "saves": args.saves,
                "wall_ms_per_save": round(1000 * wall / args.saves, 3),
                "cpu_ms_per_save": round(1000 * cpu / args.saves, 3),
                "queries_of_one_save": queries,
                "step_cpu_ms": {
                    label: round(1000 * spent[label] / args.saves, 3) for label, *_ in STEPS
                },
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
