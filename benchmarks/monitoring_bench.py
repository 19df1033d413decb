"""Benchmark: 1,000,000 simulated curtailed RamuNET trials against the exact figures.

Run: ``.venv/bin/python benchmarks/monitoring_bench.py``. Prints one JSON object. For the
true rates p0 = 0.60 and p1 = 0.80 (n = 45, r = 33, stop at 33 successes or 13 failures),
1,000,000 trials are simulated (seeded) and compared with the exact rejection probability
and expected sample size. Targets: each simulation under 5 s; Monte Carlo and exact figures
within 4 Monte Carlo standard errors.
"""

from __future__ import annotations

import json
import time

from ramunet.stats.monitoring_oc import (
    curtailed_operating_characteristics,
    simulate_curtailed_trials,
)

N_TRIALS = 1_000_000
TARGET_S = 5.0
SEED = 20261124


def main() -> None:
    simulate_curtailed_trials(0.7, n_trials=1_000)  # warm-up
    results = {}
    passed = True
    for p in (0.60, 0.80):
        exact = curtailed_operating_characteristics(p)
        start = time.perf_counter()
        simulated = simulate_curtailed_trials(p, n_trials=N_TRIALS, seed=SEED)
        seconds = time.perf_counter() - start
        agrees = simulated.agrees_with(exact)
        passed = passed and agrees and seconds < TARGET_S
        results[f"p={p:.2f}"] = {
            "seconds": round(seconds, 3),
            "exact_rejection": round(exact.rejection_probability, 6),
            "mc_rejection": round(simulated.rejection_probability, 6),
            "rejection_difference_in_se": round(
                (simulated.rejection_probability - exact.rejection_probability)
                / simulated.rejection_se,
                2,
            ),
            "exact_expected_n": round(exact.expected_n, 4),
            "mc_expected_n": round(simulated.expected_n, 4),
            "expected_n_difference_in_se": round(
                (simulated.expected_n - exact.expected_n) / simulated.expected_n_se, 2
            ),
            "agrees_within_4_se": agrees,
        }
    print(
        json.dumps(
            {
                "benchmark": "monitoring_bench",
                "n_trials": N_TRIALS,
                "target_seconds": TARGET_S,
                "results": results,
                "pass": passed,
            }
        )
    )


if __name__ == "__main__":
    main()
