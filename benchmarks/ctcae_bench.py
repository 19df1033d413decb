"""Benchmark: grade 1,000,000 lab values by CTCAE v5.0 with grade_many (target: under 1 s).

Mixed terms (125,000 values each of 8 terms) with realistic short-decimal values, per-value
LLN/ULN drawn from a few laboratory reference ranges and, for the liver tests and creatinine,
per-value baselines (a quarter missing). Fixed seed. "seconds" is the median of 3 runs;
"float_path_seconds" grades the same distributions unrounded (module docstring of
ramunet.clinical.ctcae_vector, path 2). Also checks a random sample of 2,000 values against the
exact scalar ``grade``. Prints one JSON object.

Run: ``.venv/bin/python benchmarks/ctcae_bench.py``
"""

from __future__ import annotations

import json
import time

import numpy as np

from ramunet.clinical.ctcae import grade, grade_many

TOTAL = 1_000_000
TARGET_SECONDS = 1.0
SEED = 20171127  # CTCAE v5.0 release date


def _dataset(
    rng: np.random.Generator, rounded: bool = True
) -> list[tuple[str, str, dict[str, object], np.ndarray]]:
    """8 terms x 125,000 values; ``rounded=False`` keeps full floats (the float path)."""
    n = TOTAL // 8

    def rnd(values: np.ndarray, places: int) -> np.ndarray:
        return np.round(values, places) if rounded else values

    def pick(options: list[float]) -> np.ndarray:
        return rng.choice(np.array(options), size=n)

    def baseline(ulns: np.ndarray, places: int) -> np.ndarray:
        values = rnd(ulns * rng.uniform(0.3, 2.5, size=n), places)
        values[rng.random(n) < 0.25] = np.nan
        return values

    alt_uln = pick([33.0, 41.0, 45.0])
    creat_uln = pick([1.1, 1.2, 1.3])
    bili_uln = pick([1.0, 1.2])
    return [
        (
            "Neutrophil count decreased",
            "10^9/L",
            {"lln": pick([1.8, 2.0])},
            rnd(rng.gamma(3, 1.2, n), 2),
        ),
        (
            "Platelet count decreased",
            "10^9/L",
            {"lln": pick([150.0, 140.0])},
            rnd(rng.gamma(4, 50, n), 0),
        ),
        (
            "Anemia",
            "g/dL",
            {"lln": pick([12.0, 13.5])},
            rnd(rng.normal(11.5, 2, n).clip(3), 1),
        ),
        (
            "Alanine aminotransferase increased",
            "U/L",
            {"uln": alt_uln, "baseline": baseline(alt_uln, 0)},
            rnd(rng.lognormal(3.5, 0.9, n), 0),
        ),
        (
            "Blood bilirubin increased",
            "mg/dL",
            {"uln": bili_uln, "baseline": baseline(bili_uln, 1)},
            rnd(rng.lognormal(0, 0.8, n), 1),
        ),
        (
            "Creatinine increased",
            "mg/dL",
            {"uln": creat_uln, "baseline": baseline(creat_uln, 2)},
            rnd(rng.lognormal(0, 0.5, n), 2),
        ),
        (
            "Hyperkalemia",
            "mmol/L",
            {"uln": pick([5.1, 5.3])},
            rnd(rng.normal(4.6, 0.8, n).clip(1), 1),
        ),
        (
            "Hyponatremia",
            "mmol/L",
            {"lln": pick([135.0, 136.0])},
            rnd(rng.normal(136, 5, n), 0),
        ),
    ]


def _run(
    dataset: list[tuple[str, str, dict[str, object], np.ndarray]],
) -> tuple[float, list[np.ndarray]]:
    start = time.perf_counter()
    results = [grade_many(term, values, unit, **limits) for term, unit, limits, values in dataset]  # type: ignore[arg-type]
    return time.perf_counter() - start, results


def _agreement(dataset, results, rng: np.random.Generator, samples: int = 2000) -> int:
    """Number of sampled values whose bulk grade differs from the scalar grade."""
    mismatches = 0
    per_term = samples // len(dataset)
    for (term, unit, limits, values), grades in zip(dataset, results, strict=True):
        for index in rng.choice(values.size, size=per_term, replace=False):
            kwargs = {}
            for name, limit in limits.items():
                item = float(limit[index])  # type: ignore[index]
                kwargs[name] = None if np.isnan(item) else item
            expected = grade(term, float(values[index]), unit, **kwargs).grade
            mismatches += int(expected != grades[index])
    return mismatches


def main() -> None:
    rng = np.random.default_rng(SEED)
    dataset = _dataset(rng)
    count = sum(values.size for *_, values in dataset)
    timings = []
    results: list[np.ndarray] = []
    for _ in range(3):
        seconds, results = _run(dataset)
        timings.append(seconds)
    median = sorted(timings)[1]
    # the same distributions unrounded (no short decimal form): the float path with guard band
    float_path_seconds, _ = _run(_dataset(np.random.default_rng(SEED), rounded=False))
    mismatches = _agreement(dataset, results, rng)
    distribution = np.bincount(np.concatenate(results), minlength=5).tolist()
    print(
        json.dumps(
            {
                "benchmark": "ctcae_grade_many",
                "values": count,
                "terms": len(dataset),
                "seconds": round(median, 4),
                "seconds_all_runs": [round(t, 4) for t in timings],
                "values_per_second": round(count / median),
                "float_path_seconds": round(float_path_seconds, 4),
                "target_seconds": TARGET_SECONDS,
                "grade_counts_0_to_4": distribution,
                "scalar_agreement_sample": 2000,
                "scalar_mismatches": mismatches,
                "pass": median < TARGET_SECONDS and mismatches == 0,
            }
        )
    )


if __name__ == "__main__":
    main()
