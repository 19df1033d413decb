"""``ramunet design ahern|simon|monitor``: exact phase II designs, their operating
characteristics and the interim status of a running trial.

Thin wrappers over ``ramunet.stats.design``, ``ramunet.stats.monitoring`` and
``ramunet.stats.monitoring_oc``: print the design and a table of operating characteristics
over a grid of true response rates (or the interim status), or JSON with ``--json``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from typing import Any

from rich.console import Console
from rich.table import Table

from ramunet.clinical.errors import InvalidInput
from ramunet.stats.design import SIMON_KINDS, AhernDesign, SimonDesign, ahern, simon
from ramunet.stats.monitoring import RAMUNET_N, RAMUNET_R, interim_status
from ramunet.stats.monitoring_oc import curtailed_operating_characteristics

GRID_STEP = 0.05


def register(subparsers: Any) -> None:
    design = subparsers.add_parser("design", help="exact single-arm phase II designs")
    kinds = design.add_subparsers(dest="design_kind", metavar="DESIGN", required=True)

    single = kinds.add_parser("ahern", help="A'Hern exact single-stage design (Stat Med 2001)")
    _add_hypotheses(single)
    single.set_defaults(func=run_ahern)

    two_stage = kinds.add_parser("simon", help="Simon two-stage design (Control Clin Trials 1989)")
    _add_hypotheses(two_stage)
    two_stage.add_argument("--kind", choices=SIMON_KINDS, default="optimal")
    two_stage.add_argument(
        "--n-max", type=int, default=None, help="largest total sample size searched"
    )
    two_stage.set_defaults(func=run_simon)

    monitor = kinds.add_parser(
        "monitor", help="interim status of a single-stage design: curtailment, predictive"
    )
    monitor.add_argument("--successes", type=int, required=True)
    monitor.add_argument("--failures", type=int, required=True)
    monitor.add_argument("--n", type=int, default=RAMUNET_N, help="patients planned (45)")
    monitor.add_argument("--r", type=int, default=RAMUNET_R, help="successes that reject H0")
    monitor.add_argument("--p0", type=float, default=0.60, help="response rate under H0")
    monitor.add_argument("--p1", type=float, default=0.80, help="response rate under H1")
    monitor.add_argument("--prior-a", type=float, default=1.0, help="Beta prior a (1)")
    monitor.add_argument("--prior-b", type=float, default=1.0, help="Beta prior b (1)")
    monitor.add_argument("--json", action="store_true", help="print JSON for machines")
    monitor.set_defaults(func=run_monitor)


def _add_hypotheses(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--p0", type=float, required=True, help="response rate under H0")
    parser.add_argument("--p1", type=float, required=True, help="response rate under H1")
    parser.add_argument("--alpha", type=float, default=0.05, help="one-sided type I error")
    parser.add_argument("--beta", type=float, default=0.10, help="type II error (1 - power)")
    parser.add_argument(
        "--grid",
        type=str,
        default=None,
        help="true rates for the operating characteristics, comma-separated "
        "(default: p0 - 0.10 to p1 + 0.10 in steps of 0.05)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON for machines")


def response_grid(p0: float, p1: float, grid: str | None) -> list[float]:
    """The true rates to tabulate: ``grid`` parsed, or p0 - 0.10 .. p1 + 0.10 by 0.05."""
    if grid is not None:
        try:
            points = [float(item) for item in grid.split(",") if item.strip()]
        except ValueError:
            raise InvalidInput("--grid", "must be comma-separated numbers", grid) from None
        if not points or not all(0.0 < point < 1.0 for point in points):
            raise InvalidInput("--grid", "must list rates strictly between 0 and 1", grid)
        return points
    lowest, highest = max(GRID_STEP, p0 - 0.10), min(1.0 - GRID_STEP, p1 + 0.10)
    steps = round((highest - lowest) / GRID_STEP)
    spaced = {round(lowest + i * GRID_STEP, 4) for i in range(steps + 1)} | {p0, p1}
    return sorted(point for point in spaced if 0.0 < point < 1.0)


def _fail(error: InvalidInput) -> int:
    print(f"ramunet design: {error}", file=sys.stderr)
    return 2


def ahern_rows(design: AhernDesign, grid: list[float]) -> list[dict[str, float]]:
    """Per true rate: rejection probability, expected N and early stop under curtailment."""
    rows = []
    for p in grid:
        oc = curtailed_operating_characteristics(p, design.n, design.r)
        rows.append(
            {
                "p": p,
                "rejection_probability": oc.rejection_probability,
                "expected_n_curtailed": oc.expected_n,
                "early_stop_probability": oc.early_stop_probability(),
            }
        )
    return rows


def simon_rows(design: SimonDesign, grid: list[float]) -> list[dict[str, float]]:
    """Per true rate: rejection probability, early termination and expected N."""
    return [
        {
            "p": p,
            "rejection_probability": design.rejection_probability(p),
            "early_termination_probability": design.early_termination_probability(p),
            "expected_n": design.expected_sample_size(p),
        }
        for p in grid
    ]


def _show(
    args: argparse.Namespace,
    design: Any,
    rows: list[dict[str, float]],
    summary: str,
    title: str,
    columns: tuple[tuple[str, str, str], ...],
) -> int:
    """Print a design and its operating characteristics: JSON, or text and a table whose
    ``columns`` are (heading, row key, format)."""
    if args.json:
        print(json.dumps({"design": dataclasses.asdict(design), "operating_characteristics": rows}))
        return 0
    console = Console()
    console.print(summary)
    table = Table(title=title)
    for heading, _, _ in columns:
        table.add_column(heading, justify="right")
    for row in rows:
        table.add_row(*(format(row[key], fmt) for _, key, fmt in columns))
    console.print(table)
    return 0


def run_ahern(args: argparse.Namespace) -> int:
    try:
        design = ahern(args.p0, args.p1, args.alpha, args.beta)
        rows = ahern_rows(design, response_grid(args.p0, args.p1, args.grid))
    except InvalidInput as error:
        return _fail(error)
    summary = (
        f"[bold]A'Hern exact single-stage design[/] (Stat Med 2001;20:859-866)\n"
        f"H0 p <= {design.p0}, H1 p >= {design.p1}, alpha {design.alpha}, beta {design.beta}\n"
        f"n = {design.n}; reject H0 if at least r = {design.r} respond "
        f"(stop for futility at {design.n - design.r + 1} failures)\n"
        f"actual alpha {design.alpha_actual:.4f}, actual power {design.power_actual:.4f}"
    )
    columns = (
        ("true p", "p", ".2f"),
        ("P(reject H0)", "rejection_probability", ".4f"),
        ("E[N] curtailed", "expected_n_curtailed", ".1f"),
        ("P(stop early)", "early_stop_probability", ".3f"),
    )
    title = "Operating characteristics (stopping once the decision is certain)"
    return _show(args, design, rows, summary, title, columns)


def run_simon(args: argparse.Namespace) -> int:
    try:
        design = simon(args.p0, args.p1, args.alpha, args.beta, args.kind, args.n_max)
        rows = simon_rows(design, response_grid(args.p0, args.p1, args.grid))
    except InvalidInput as error:
        return _fail(error)
    summary = (
        f"[bold]Simon {design.kind} two-stage design[/] (Control Clin Trials 1989;10:1-10)\n"
        f"H0 p <= {design.p0}, H1 p >= {design.p1}, alpha {design.alpha}, beta {design.beta}\n"
        f"stage 1: {design.n1} patients, stop if <= r1 = {design.r1} respond\n"
        f"total: {design.n} patients, reject H0 if > r = {design.r} respond\n"
        f"EN0 {design.en0:.1f}, PET0 {design.pet0:.3f}, "
        f"actual alpha {design.alpha_actual:.4f}, actual power {design.power_actual:.4f}"
    )
    columns = (
        ("true p", "p", ".2f"),
        ("P(reject H0)", "rejection_probability", ".4f"),
        ("P(stop at stage 1)", "early_termination_probability", ".3f"),
        ("E[N]", "expected_n", ".1f"),
    )
    return _show(args, design, rows, summary, "Operating characteristics", columns)


def run_monitor(args: argparse.Namespace) -> int:
    try:
        status = interim_status(
            args.successes, args.failures, args.n, args.r, args.prior_a, args.prior_b
        )
        conditional = [
            curtailed_operating_characteristics(p, args.n, args.r, args.successes, args.failures)
            for p in (args.p0, args.p1)
        ]
    except InvalidInput as error:
        return _fail(error)
    rows = [
        {
            "p": oc.p,
            "conditional_rejection_probability": oc.rejection_probability,
            "expected_n_curtailed": oc.expected_n,
        }
        for oc in conditional
    ]
    if args.json:
        print(json.dumps({"status": dataclasses.asdict(status), "conditional": rows}))
        return 0
    console = Console()
    console.print(
        f"[bold]Interim status[/]: {status.successes} successes, {status.failures} failures "
        f"of {status.n} (reject H0 at {status.r} successes)\n"
        f"decision: {status.decision}; {status.successes_needed} more successes reject H0, "
        f"{status.failures_to_futility} more failures end the trial\n"
        f"{status.remaining} outcomes to come; predictive probability "
        f"(Beta({status.prior_a:g}, {status.prior_b:g}) prior) "
        f"{status.predictive_probability:.4f}"
    )
    table = Table(title="From here, if the true rate is")
    for heading in ("true p", "P(reject H0)", "E[N] curtailed"):
        table.add_column(heading, justify="right")
    for row in rows:
        table.add_row(
            f"{row['p']:.2f}",
            f"{row['conditional_rejection_probability']:.4f}",
            f"{row['expected_n_curtailed']:.1f}",
        )
    console.print(table)
    return 0
