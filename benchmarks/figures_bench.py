"""Benchmark: render every report figure for 45 and for 5,000 patients.

Run: ``.venv/bin/python benchmarks/figures_bench.py``. Prints one JSON object with the seconds
to build each figure and render it to PNG (best of three, after one warm-up). Targets: every
figure for 45 patients under 2 s; the waterfall, swimmer and spider plots for 5,000 patients
under 5 s each (their bars and lines are single collections, not one artist per patient).
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable

import numpy as np
from matplotlib.figure import Figure

from ramunet.report.figures import (
    ConsortCounts,
    ScaleChange,
    curve_from_kaplan_meier,
    figure_bytes,
    make_consort_figure,
    make_kaplan_meier_figure,
    make_qlq_c30_figure,
    make_recruitment_figure,
    make_spider_figure,
    make_swimmer_figure,
    make_toxicity_figure,
    make_waterfall_figure,
    worst_grade_counts,
)
from ramunet.stats.survival import kaplan_meier

SIZES = (45, 5000)
REPEATS = 3
TARGET_SMALL_S = 2.0
TARGET_LARGE_S = 5.0
LARGE_TARGETED = ("waterfall", "swimmer", "spider")
CENTRES = ("HAL", "MAR", "BER", "MUC", "ESS", "HAM", "MAI", "ULM")
TERMS = ("Hypertension", "Proteinuria", "Nausea", "Fatigue", "Neutropenia", "Epistaxis")


def best_time(build: Callable[[], Figure]) -> float:
    figure_bytes(build())  # warm-up
    timings = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        figure_bytes(build())
        timings.append(time.perf_counter() - start)
    return min(timings)


def builders(n: int, rng: np.random.Generator) -> dict[str, Callable[[], Figure]]:
    ids = [f"P{i:05d}" for i in range(n)]
    change = np.clip(rng.normal(-10, 30, n), -100, 200)
    responses = ["PD" if c >= 20 else "PR" if c <= -30 else "SD" for c in change]
    follow_up = rng.uniform(1, 36, n)
    treatment_end = np.where(rng.random(n) < 0.2, np.nan, follow_up * rng.uniform(0.3, 1, n))
    progression = np.where(rng.random(n) < 0.5, follow_up * 0.8, np.nan)
    death = np.where(rng.random(n) < 0.2, follow_up, np.nan)
    onset = np.where(np.isin(responses, ["PR"]), np.minimum(3.0, follow_up), np.nan)
    weeks = [12.0 * np.arange(1, rng.integers(2, 9)) for _ in range(n)]
    spider = [np.clip(np.cumsum(rng.normal(-2, 5, len(w))), -100, None) for w in weeks]
    event = rng.exponential(12 / np.log(2), n)
    censor = rng.uniform(6, 36, n)
    fit = kaplan_meier(np.minimum(event, censor), (event <= censor).astype(np.int64))
    start = dt.date(2019, 6, 1)
    days = np.sort(rng.integers(0, 900, n))
    registered = [start + dt.timedelta(days=int(d)) for d in days]
    centres = [CENTRES[i] for i in rng.integers(0, len(CENTRES), n)]
    ae_rows = 6 * n
    toxicity = worst_grade_counts(
        [ids[i] for i in rng.integers(0, n, ae_rows)],
        [TERMS[i] for i in rng.integers(0, len(TERMS), ae_rows)],
        [int(g) for g in rng.choice([1, 2, 3, 4, 5], ae_rows, p=[0.5, 0.3, 0.15, 0.04, 0.01])],
    )
    scales = [
        ScaleChange(code, np.array([12.0, 24, 36]), m, m - 6, m + 6)
        for code, m in (
            (code, np.cumsum(rng.normal(0, 3, 3))) for code in ("QL2", "PF2", "FA", "PA")
        )
    ]
    failures = n // 4
    consort = ConsortCounts(
        screened=n + failures,
        screening_failures={"Inclusion criteria not met": failures},
        registered=n,
        treated=n - 1,
        evaluable_primary=n - 2,
        discontinued={"Progressive disease": n // 3, "Toxicity": n // 10},
    )
    return {
        "waterfall": lambda: make_waterfall_figure(ids, change, responses),
        "swimmer": lambda: make_swimmer_figure(
            ids,
            follow_up,
            treatment_end_months=treatment_end,
            best_response=responses,
            partial_response_months=onset,
            progression_months=progression,
            death_months=death,
        ),
        "spider": lambda: make_spider_figure(ids, weeks, spider, responses),
        "kaplan_meier": lambda: make_kaplan_meier_figure(curve_from_kaplan_meier(fit, "PFS")),
        "consort": lambda: make_consort_figure(consort),
        "recruitment": lambda: make_recruitment_figure(
            registered,
            centres,
            target=max(45, n),
            projected_date=registered[-1] + dt.timedelta(days=200),
            projected_interval=(
                registered[-1] + dt.timedelta(days=100),
                registered[-1] + dt.timedelta(days=400),
            ),
        ),
        "qlq_c30": lambda: make_qlq_c30_figure(scales),
        "toxicity": lambda: make_toxicity_figure(toxicity, n_patients=n),
    }


def main() -> None:
    rng = np.random.default_rng(20261124)
    results: dict[str, dict[str, float]] = {}
    for n in SIZES:
        results[str(n)] = {
            name: round(best_time(build), 4) for name, build in builders(n, rng).items()
        }
    small_pass = all(s < TARGET_SMALL_S for s in results["45"].values())
    large_pass = all(results["5000"][name] < TARGET_LARGE_S for name in LARGE_TARGETED)
    print(
        json.dumps(
            {
                "benchmark": "report_figures_png",
                "seconds_build_and_render_png": results,
                "target_45_patients_each_s": TARGET_SMALL_S,
                "target_5000_patients_s": {name: TARGET_LARGE_S for name in LARGE_TARGETED},
                "pass": small_pass and large_pass,
            }
        )
    )


if __name__ == "__main__":
    main()
