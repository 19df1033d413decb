"""Server time of every site and oversight page type, p95 against 150 ms (issue #7).

Run: .venv/bin/python benchmarks/pages.py [--requests 20] [--trial-5000 PATH]

Two trials: the demo's 45 patients (simulated afresh through the services into a temporary
SQLite database: ``ramunet simulate --patients 45``) and the 5,000-patient synthetic trial
the simulator builds (default ``data/bench/trial-5000/ramunet.sqlite3``, or any other with
``--trial-5000 PATH``; copied with SQLite's online backup before use, so the benchmark never
changes it and may read one still being built; the JSON gives the patients it held).
Each trial is measured in its own process (Django's settings name one database) with
Django's test client: the whole request through the middleware, views and templates,
without network; static files as in production (collectstatic, whitenoise manifest). For
every page type: a few warm-up requests, then ``--requests`` timed ones; p50 and p95 in
milliseconds. Prints one JSON object; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TARGET_P95_MS = 150.0
WARM_UP = 3


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _pages(client: Any) -> list[tuple[str, str, Any]]:
    """(page type, url, user) for every page type, on the busiest patient of one centre."""
    from django.db.models import Count
    from django.urls import NoReverseMatch, reverse

    from ramunet.edc.crfs.models import FORMS
    from ramunet.edc.screening.models import Patient, ScreeningEntry
    from ramunet.edc.sites.models import Membership
    from ramunet.edc.visits.models import Visit

    def person(role: str, centre_id: int | None = None) -> Any:
        rows = Membership.objects.filter(role=role).select_related("user")
        if centre_id is not None:
            rows = rows.filter(centre_id=centre_id)
        found = rows.order_by("pk").first()
        return found.user if found else None

    centre_id = (
        Patient.objects.values("centre_id").annotate(n=Count("pk")).order_by("-n")[0]["centre_id"]
    )
    nurse = person("nurse", centre_id)
    investigator = person("investigator", centre_id)
    monitor = person("monitor")
    manager = person("data_manager")
    patient = (
        Patient.objects.filter(centre_id=centre_id)
        .annotate(n=Count("visits"))
        .order_by("-n", "code")
        .first()
    )
    c1d1 = Visit.objects.get(patient=patient, code="C1D1")
    entry = ScreeningEntry.objects.filter(centre_id=centre_id).order_by("pk").first()
    pages: list[tuple[str, str, Any]] = [
        ("home (nurse)", "/", nurse),
        ("home (investigator)", "/", investigator),
        ("worklist", "/site/worklist/", nurse),
        ("screening list", "/site/screening/", nurse),
        ("screening detail", f"/site/screening/{entry.pk}/", nurse),
        ("casebook", f"/site/patients/{patient.code}/", nurse),
    ]
    for code, model in FORMS.items():
        if model.CAPABILITY.value != "enter_data":
            continue
        row = model.objects.filter(patient=patient).order_by("pk").first()
        visit_id = (row.visit_id if row is not None else None) or c1d1.pk
        url = f"/site/patients/{patient.code}/visits/{visit_id}/forms/{code}/"
        if row is not None and not model.SERVICE:
            url += f"?instance={row.pk}"
        pages.append((f"eCRF {code}", url, nurse))
    oversight = [
        ("oversight home (monitor)", "oversight:home", (), monitor),
        ("oversight home (data manager)", "oversight:home", (), manager),
        ("oversight queries", "oversight:queries", (), monitor),
        ("oversight SDV", "oversight:sdv", (), monitor),
        ("oversight SDV patient", "oversight:sdv_patient", (patient.code,), monitor),
        ("oversight locks", "oversight:locks", (), manager),
        ("oversight exports", "oversight:exports", (), manager),
        ("oversight sign", "oversight:sign", (patient.code,), investigator),
    ]
    for label, name, args, user in oversight:
        try:
            pages.append((label, reverse(name, args=args), user))
        except NoReverseMatch:
            continue
    return [(label, url, user) for label, url, user in pages if user is not None]


def measure(data_dir: str, requests: int) -> dict[str, Any]:
    """Time every page type against the database in ``data_dir`` (this process only)."""
    os.environ.update(RAMUNET_DATA_DIR=data_dir, RAMUNET_DEMO="1")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ramunet.edc.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    from rich.progress import Progress

    from ramunet.edc.screening.models import Patient

    setup_test_environment()
    # served as in production: hashed, compressed static files from STATIC_ROOT (whitenoise)
    call_command("collectstatic", "--noinput", verbosity=0)
    client = Client(raise_request_exception=False)
    pages = _pages(client)
    results = []
    with Progress(transient=True) as progress:  # rich writes to stderr by default here
        task = progress.add_task("pages", total=len(pages))
        for label, url, user in pages:
            client.force_login(user)
            for _ in range(WARM_UP):
                status = client.get(url).status_code
            times = []
            for _ in range(requests):
                start = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - start) * 1000)
            p95 = _p95(times)
            results.append(
                {
                    "page": label,
                    "url": url,
                    "status": status,
                    "p50_ms": round(statistics.median(times), 1),
                    "p95_ms": round(p95, 1),
                    "pass": status == 200 and p95 < TARGET_P95_MS,
                }
            )
            progress.advance(task)
    return {"patients": Patient.objects.count(), "pages": results}


def _child(data_dir: str, requests: int) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--measure", data_dir, "--requests", str(requests)],
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def _demo_trial() -> str:
    """A fresh 45-patient trial simulated through the services (about a minute)."""
    data_dir = tempfile.mkdtemp(prefix="ramunet-pages-45-")
    env = dict(os.environ, RAMUNET_DATA_DIR=data_dir, RAMUNET_DEMO="1")
    env.pop("DATABASE_URL", None)
    ramunet = str(Path(sys.executable).parent / "ramunet")
    subprocess.run([ramunet, "manage", "migrate", "-v", "0"], check=True, env=env)
    subprocess.run(
        [ramunet, "simulate", "--patients", "45", "--seed", "2026"],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    return data_dir


def _copy_of(database: Path) -> str:
    """A consistent copy of ``database`` (SQLite's online backup: safe while it is written)."""
    import sqlite3

    data_dir = tempfile.mkdtemp(prefix="ramunet-pages-big-")
    source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    target = sqlite3.connect(Path(data_dir) / "ramunet.sqlite3")
    with target:
        source.backup(target)
    source.close()
    target.close()
    return data_dir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument(
        "--trial-5000", default=str(ROOT / "data" / "bench" / "trial-5000" / "ramunet.sqlite3")
    )
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.requests)))
        return
    trials: dict[str, Any] = {"demo": _child(_demo_trial(), args.requests)}
    big = Path(args.trial_5000)
    if big.exists():
        trials["synthetic"] = _child(_copy_of(big), args.requests)
    else:
        trials["synthetic"] = {"missing": f"{big} not built (ramunet simulate --patients 5000)"}
    pages = [page for trial in trials.values() for page in trial.get("pages", [])]
    synthetic_patients = trials["synthetic"].get("patients", 0)
    print(
        json.dumps(
            {
                "benchmark": "pages",
                "target": {"p95_ms_below": TARGET_P95_MS, "synthetic_patients": 5000},
                "requests_per_page": args.requests,
                "trials": trials,
                "worst_p95_ms": max((page["p95_ms"] for page in pages), default=None),
                "synthetic_complete": synthetic_patients >= 5000,
                "pass": bool(pages) and all(page["pass"] for page in pages),
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
