"""``ramunet simulate``: a realistic RamuNET trial written through the EDC's services."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any

from ramunet.cli.django_setup import setup


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; expected YYYY-MM-DD") from None


def register(subparsers: Any) -> None:
    sim = subparsers.add_parser(
        "simulate",
        help="simulate a realistic trial into the configured (migrated) database",
        description="Screening, registration, visits, every form, queries and central results "
        "of a synthetic RamuNET trial, written through the same services people use.",
    )
    sim.add_argument("--patients", type=int, default=45, help="registered patients (45)")
    sim.add_argument("--centres", type=int, default=8, help="centres (8)")
    sim.add_argument(
        "--dc-probability",
        type=float,
        default=0.75,
        help="true probability of disease control at 6 months (0.75)",
    )
    sim.add_argument(
        "--median-pfs-months",
        type=float,
        default=9.0,
        help="true median progression-free survival (9)",
    )
    sim.add_argument("--seed", type=int, default=2026, help="random seed (2026)")
    sim.add_argument(
        "--start",
        type=_date,
        default=None,
        help="first centre's activation, YYYY-MM-DD (default: early enough for "
        "24 months of follow-up before today)",
    )
    sim.add_argument(
        "--append", action="store_true", help="add to a database that holds patients already"
    )
    sim.add_argument("--no-progress", action="store_true", help="no progress bar")
    sim.set_defaults(func=run_simulate)


def config_from(args: argparse.Namespace) -> Any:
    """The options as a ``SimulationConfig``; ``InvalidInput`` names a bad one."""
    from ramunet.simulate.config import SimulationConfig

    return SimulationConfig(
        patients=args.patients,
        centres=args.centres,
        dc_probability=args.dc_probability,
        median_pfs_months=args.median_pfs_months,
        seed=args.seed,
        start=args.start,
    )


def print_summary(summary: Any, console: Any) -> None:
    from rich.table import Table

    table = Table(title="Simulated trial", show_header=False)
    table.add_column("what")
    table.add_column("value", justify="right")
    table.add_row("first centre activated", summary.start.isoformat())
    table.add_row("data cut-off", summary.cutoff.isoformat())
    table.add_row("screened", str(summary.screened))
    for reason, count in summary.failures.items():
        table.add_row(f"  not registered: {reason}", str(count))
    requested = summary.config.patients
    still = (
        f" of {requested} (still recruiting at the cut-off)"
        if summary.registered < requested
        else ""
    )
    table.add_row("registered", f"{summary.registered}{still}")
    table.add_row(
        "disease control at 6 months (derived)",
        f"{summary.month6_successes} / {summary.month6_evaluated} "
        f"({100 * summary.month6_rate:.1f}%)",
    )
    table.add_row("queries raised and closed", str(summary.queries))
    table.add_row("translational results", str(summary.translational))
    table.add_row("time", f"{summary.seconds:.1f} s ({summary.ms_per_patient:.0f} ms per patient)")
    console.print(table)


def run_simulate(args: argparse.Namespace) -> int:
    from ramunet.clinical.errors import InvalidInput, RamunetError

    try:
        config = config_from(args)
    except InvalidInput as error:
        print(f"ramunet simulate: --{error.field.replace('_', '-')}: {error}", file=sys.stderr)
        return 2
    setup()
    from rich.console import Console

    from ramunet.simulate import simulate_trial

    console = Console()
    try:
        summary = simulate_trial(config, progress=not args.no_progress, append=args.append)
    except RamunetError as error:
        print(f"ramunet simulate refused: {error}", file=sys.stderr)
        return 2
    print_summary(summary, console)
    return 0
