"""Benchmark: write an LB-like SDTM dataset (1,000,000 rows x 12 variables) as XPT v5.

Run: ``.venv/bin/python benchmarks/xpt_bench.py``. Prints one JSON object.

Target: a 5,000-patient SDTM export within 60 s. LB dominates the row count; at about 1,200
LB rows per patient (25 tests x 48 visits, RamuNET's 2-weekly cycles over ~2 years) that is
6,000,000 rows, so the writer must sustain 100,000 rows/s. The other domains are smaller
together than LB.
"""

from __future__ import annotations

import json
import resource
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pyreadstat

from ramunet.exports.xpt import write_xpt
from ramunet.exports.xpt_model import Dataset, Variable

ROWS = 1_000_000
TARGET_ROWS_PER_S = 100_000

LB_VARIABLES = (
    Variable("STUDYID", "Study Identifier", "char", 8),
    Variable("DOMAIN", "Domain Abbreviation", "char", 2),
    Variable("USUBJID", "Unique Subject Identifier", "char", 16),
    Variable("LBSEQ", "Sequence Number", "num"),
    Variable("LBTESTCD", "Lab Test or Examination Short Name", "char", 8),
    Variable("LBTEST", "Lab Test or Examination Name", "char", 40),
    Variable("LBORRES", "Result or Finding in Original Units", "char", 12),
    Variable("LBORRESU", "Original Units", "char", 12),
    Variable("LBSTRESN", "Numeric Result/Finding in Std Units", "num"),
    Variable("LBSTRESU", "Standard Units", "char", 12),
    Variable("VISITNUM", "Visit Number", "num"),
    Variable("LBDTC", "Date/Time of Specimen Collection", "char", 16),
)
TESTS = (
    ("CREAT", "Creatinine", "umol/L"),
    ("ALT", "Alanine Aminotransferase", "U/L"),
    ("HGB", "Hemoglobin", "g/dL"),
    ("PLAT", "Platelets", "10^9/L"),
    ("BILI", "Bilirubin", "umol/L"),
)


def lb_rows(count: int) -> Iterator[tuple[object, ...]]:
    """Synthetic LB rows, streamed."""
    for index in range(count):
        code, name, unit = TESTS[index % 5]
        value = 50.0 + (index % 997) * 0.125
        yield (
            "RAMUNET",
            "LB",
            f"RAMUNET-{index // 1200:05d}",
            index % 1200 + 1,
            code,
            name,
            f"{value:.3f}",
            unit,
            value,
            unit,
            index % 48 + 1,
            f"2025-{index % 12 + 1:02d}-{index % 28 + 1:02d}T08:30",
        )


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "lb.xpt"
        start = time.perf_counter()
        result = write_xpt(
            path, Dataset("LB", "Laboratory Test Results", LB_VARIABLES, lb_rows(ROWS))
        )
        write_seconds = time.perf_counter() - start
        peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB
        start = time.perf_counter()
        _, meta = pyreadstat.read_xport(str(path), output_format="dict", usecols=["LBSEQ"])
        read_seconds = time.perf_counter() - start
        rows_per_s = ROWS / write_seconds
        print(
            json.dumps(
                {
                    "benchmark": "xpt_write_lb",
                    "rows": ROWS,
                    "variables": len(LB_VARIABLES),
                    "file_mb": round(result.size_bytes / 1e6, 1),
                    "write_seconds": round(write_seconds, 2),
                    "rows_per_s": round(rows_per_s),
                    "peak_rss_mb_after_write": round(peak_rss_mb),
                    "read_back_rows": meta.number_rows,
                    "read_back_seconds": round(read_seconds, 2),
                    "target_rows_per_s": TARGET_ROWS_PER_S,
                    "pass": rows_per_s >= TARGET_ROWS_PER_S and meta.number_rows == ROWS,
                }
            )
        )


if __name__ == "__main__":
    main()
