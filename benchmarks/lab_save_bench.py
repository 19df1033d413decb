"""Saving a laboratory form through the service layer against a bare ORM insert.

Run: .venv/bin/python benchmarks/lab_save_bench.py [--saves 2000]

One process, a fresh SQLite database in WAL mode. The service path does everything a real
save does (permission and centre check, validation, CTCAE grading and reference-range flags,
edit checks with their discrepancies, the hash-chained audit record); the bare path inserts a
row of the same model with the same values through the ORM alone. Prints JSON with the time
per save of each and their ratio (target: at most 10).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--saves", type=int, default=2000)
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="ramunet-bench-")
    os.environ.update(RAMUNET_DATA_DIR=data_dir, RAMUNET_DEMO="1")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ramunet.edc.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from ramunet.edc.audit import services as audit
    from ramunet.edc.crfs.models import Haematology
    from ramunet.edc.crfs.services import save_form
    from ramunet.edc.sites import services as sites
    from ramunet.edc.sites.demo import DEMO_RANGES
    from tests.factories import make_centre, make_patient, make_person

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal = cursor.fetchone()[0]
    centre = make_centre("HAL")
    for analyte, unit, lln, uln in DEMO_RANGES:
        sites.add_reference_range(
            "system", centre, analyte=analyte, unit=unit,
            lln=Decimal(lln) if lln else None, uln=Decimal(uln) if uln else None,
            valid_from=dt.date(2019, 1, 1),
        )  # fmt: skip
    nurse = make_person("nurse.bench", "nurse", centre)
    patient = make_patient(centre)
    today = dt.date(2026, 6, 1)
    values = {
        "form_date": dt.date(2026, 1, 19),
        "hemoglobin": Decimal("11.2"),
        "anc": Decimal("2.1"),
        "platelets": Decimal("180"),
        "wbc": Decimal("4.4"),
        "lymphocytes": Decimal("1.3"),
    }
    # warm up both paths (imports, caches, prepared statements)
    for _ in range(20):
        save_form(nurse, Haematology, patient=patient, values=values, today=today)
        with transaction.atomic():
            Haematology.objects.create(patient=patient, **values)

    def timed(run) -> float:
        start = time.perf_counter()
        for _ in range(args.saves):
            run()
        return (time.perf_counter() - start) / args.saves

    def service() -> None:
        save_form(nurse, Haematology, patient=patient, values=values, today=today)

    def bare() -> None:
        with transaction.atomic():
            Haematology.objects.create(patient=patient, **values)

    # interleave the two in halves so machine noise hits both alike
    half = args.saves // 2
    args.saves = half
    t_service = (timed(service) + 0.0) / 2
    t_bare = timed(bare) / 2
    t_service += timed(service) / 2
    t_bare += timed(bare) / 2
    verified = audit.verify()
    print(
        json.dumps(
            {
                "benchmark": "lab form save: service layer vs bare ORM insert",
                "database": f"SQLite ({journal})",
                "saves_each": half * 2,
                "service_ms_per_save": round(t_service * 1000, 3),
                "bare_insert_ms_per_save": round(t_bare * 1000, 3),
                "ratio": round(t_service / t_bare, 2),
                "target_ratio_max": 10,
                "passed": t_service / t_bare <= 10,
                "audit_records": verified.records,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
