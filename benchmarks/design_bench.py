"""Benchmark: the whole A'Hern single-stage table, and Simon's designs for RamuNET.

Run: ``.venv/bin/python benchmarks/design_bench.py``. Prints one JSON object. The A'Hern
table is p0 = 0.05..0.85 by 0.05, p1 = p0 + 0.15 and p0 + 0.20, alpha 0.05 and 0.10,
beta 0.10 and 0.20; combinations with p1 >= 1 have no design and are skipped (and counted).
Target: the whole table in under 1 s (best of three runs, after a warm-up).
"""

from __future__ import annotations

import json
import time

from ramunet.stats.design import ahern, simon

TARGET_S = 1.0
REPEATS = 3


def table_inputs() -> tuple[list[tuple[float, float, float, float]], int]:
    rows = []
    skipped = 0
    for step in range(1, 18):
        p0 = round(0.05 * step, 2)
        for difference in (0.15, 0.20):
            p1 = round(p0 + difference, 2)
            for alpha in (0.05, 0.10):
                for beta in (0.10, 0.20):
                    if p1 >= 1.0:
                        skipped += 1
                    else:
                        rows.append((p0, p1, alpha, beta))
    return rows, skipped


def main() -> None:
    rows, skipped = table_inputs()
    for row in rows[:3]:
        ahern(*row)  # warm-up
    timings = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        designs = [ahern(*row) for row in rows]
        timings.append(time.perf_counter() - start)
    best = min(timings)
    start = time.perf_counter()
    optimal = simon(0.60, 0.80, 0.05, 0.10, "optimal")
    minimax = simon(0.60, 0.80, 0.05, 0.10, "minimax")
    simon_s = time.perf_counter() - start
    ramunet = ahern(0.60, 0.80, 0.05, 0.10)
    print(
        json.dumps(
            {
                "benchmark": "design_bench",
                "ahern_designs": len(designs),
                "ahern_skipped_p1_at_least_1": skipped,
                "ahern_table_seconds": round(best, 4),
                "ahern_table_target_seconds": TARGET_S,
                "largest_n": max(design.n for design in designs),
                "ramunet_ahern": {"n": ramunet.n, "r": ramunet.r},
                "simon_ramunet_seconds": round(simon_s, 4),
                "simon_ramunet_optimal": f"{optimal.r1}/{optimal.n1}, {optimal.r}/{optimal.n}",
                "simon_ramunet_minimax": f"{minimax.r1}/{minimax.n1}, {minimax.r}/{minimax.n}",
                "pass": best < TARGET_S,
            }
        )
    )


if __name__ == "__main__":
    main()
