"""Study-wide audit-trail export of a large synthetic trial: time and memory.

Run: .venv/bin/python benchmarks/audit_export_bench.py [--patients 5000] [--records 100]

Builds a fresh SQLite database holding a valid hash-chained trail of ``patients x records``
audit records (form creations with their full state, and changes), as a 5,000-patient trial
would leave; then exports it as CSV through ``ramunet.edc.audit.review.export_csv`` in a
separate process, once for the whole study and once for one of the eight centres. Flat memory
means the two exports peak at about the same resident size although one writes eight times
more. Prints JSON. Target: the whole export under 30 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CENTRES = ("HAL", "MAR", "BER", "MUC", "ESS", "HAN", "FRA", "WUE")


def setup_django(data_dir: str) -> None:
    os.environ.update(RAMUNET_DATA_DIR=data_dir, RAMUNET_DEMO="1")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ramunet.edc.settings")
    import django

    django.setup()


def generate(patients: int, per_patient: int) -> int:
    from django.core.management import call_command
    from django.db import connection, transaction

    from ramunet.edc.audit.chain import canonical, link_hash
    from ramunet.edc.audit.models import AuditRecord, ChainHead
    from tests.factories import make_person

    call_command("migrate", verbosity=0)
    make_person("dm.bench", "data_manager")
    head = ChainHead.objects.get(pk=1)
    seq, prev = head.seq, head.hash
    start = dt.datetime(2019, 6, 1, 8, tzinfo=dt.UTC)
    batch: list[AuditRecord] = []
    with transaction.atomic():
        for p in range(patients):
            centre = CENTRES[p % len(CENTRES)]
            code = f"{centre}-{p // len(CENTRES) + 1:04d}"
            for k in range(per_patient):
                seq += 1
                at = start + dt.timedelta(seconds=37 * seq)
                pk = str(p * per_patient + k // 5 + 1)
                created = k % 5 == 0
                state = {
                    "id": pk,
                    "form_date": "2020-01-15",
                    "anc": "2.5",
                    "anc_unit": "10^9/L",
                    "platelets": "180",
                    "platelets_unit": "10^9/L",
                    "hemoglobin": "11.9",
                    "hemoglobin_unit": "g/dL",
                    "wbc": "4.4",
                    "wbc_unit": "10^9/L",
                    "version": 1 + k % 5,
                    "crf_page": f"{k}",
                }
                changes = (
                    {name: [None, value] for name, value in state.items()}
                    if created
                    else {"anc": [f"2.{k % 9}", f"2.{(k + 1) % 9}"]}
                )
                action = "crf.haem.created" if created else "crf.haem.updated"
                reason = "" if created else "transcription error corrected"
                payload = canonical(
                    {
                        "seq": seq,
                        "at": at,
                        "actor": f"nurse.{centre.lower()}",
                        "action": action,
                        "model": "crfs.Haematology",
                        "pk": pk,
                        "patient": code,
                        "centre": centre,
                        "reason": reason,
                        "changes": changes,
                        "state": state,
                        "deleted": False,
                        "data": {},
                    }
                )
                digest = link_hash(prev, payload)
                batch.append(
                    AuditRecord(
                        seq=seq,
                        at=at,
                        actor=f"nurse.{centre.lower()}",
                        action=action,
                        model="crfs.Haematology",
                        object_pk=pk,
                        patient=code,
                        centre=centre,
                        reason=reason,
                        payload=payload,
                        prev_hash=prev,
                        hash=digest,
                    )
                )
                prev = digest
                if len(batch) >= 20000:
                    AuditRecord.objects.bulk_create(batch)
                    batch.clear()
        AuditRecord.objects.bulk_create(batch)
        ChainHead.objects.filter(pk=1).update(seq=seq, hash=prev)
    connection.close()
    return seq


def export(centre: str) -> None:
    """Child process: export (all, or one centre's patients) to a file; print JSON."""
    from django.contrib.auth import get_user_model

    from ramunet.edc.audit import review

    user = get_user_model().objects.get(username="dm.bench")
    where = review.TrailFilter() if centre == "ALL" else None
    out = Path(os.environ["RAMUNET_DATA_DIR"]) / f"trail-{centre}.csv"
    started, cpu_started = time.perf_counter(), time.process_time()
    size = lines = 0
    with out.open("w", encoding="utf-8", newline="") as handle:
        rows = (
            review.export_csv(user, where)
            if where is not None
            else review.csv_lines(
                review.COLUMNS,
                (
                    row
                    for patient_code in _patients_of(centre)
                    for row in review.tuples(user, review.TrailFilter(patient=patient_code))
                ),
            )
        )
        for line in rows:
            handle.write(line)
            size += len(line)
            lines += 1
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu_seconds": cpu,
                "lines": lines,
                "bytes": size,
                "peak_rss_mb": peak_mb,
            }
        )
    )


def _patients_of(centre: str) -> list[str]:
    from ramunet.edc.audit.models import AuditRecord

    return sorted(set(AuditRecord.objects.filter(centre=centre).values_list("patient", flat=True)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--patients", type=int, default=5000)
    parser.add_argument("--records", type=int, default=100, help="audit records per patient")
    parser.add_argument("--export-only", metavar="CENTRE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.export_only:
        setup_django(os.environ["RAMUNET_DATA_DIR"])
        export(args.export_only)
        return
    data_dir = tempfile.mkdtemp(prefix="ramunet-audit-bench-")
    setup_django(data_dir)
    started = time.perf_counter()
    records = generate(args.patients, args.records)
    generated = time.perf_counter() - started
    env = dict(os.environ, RAMUNET_DATA_DIR=data_dir)
    results = {}
    for centre in ("ALL", "HAL"):
        child = subprocess.run(
            [sys.executable, __file__, "--export-only", centre],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        results[centre] = json.loads(child.stdout)
    whole, one = results["ALL"], results["HAL"]
    database_mb = (Path(data_dir) / "ramunet.sqlite3").stat().st_size / 1e6
    print(
        json.dumps(
            {
                "benchmark": "study-wide audit-trail export (CSV, streamed)",
                "patients": args.patients,
                "audit_records": records,
                "database_mb": round(database_mb, 1),
                "generate_seconds": round(generated, 1),
                "export_seconds": round(whole["seconds"], 2),
                "export_rows": whole["lines"] - 1,
                "export_mb": round(whole["bytes"] / 1e6, 1),
                "rows_per_second": round((whole["lines"] - 1) / whole["seconds"]),
                "peak_rss_mb_whole_study": round(whole["peak_rss_mb"], 1),
                "peak_rss_mb_one_centre": round(one["peak_rss_mb"], 1),
                "memory_ratio_whole_to_one_centre": round(
                    whole["peak_rss_mb"] / one["peak_rss_mb"], 2
                ),
                "target_seconds": 30,
                "passed": whole["seconds"] < 30,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
