"""``ramunet protocol``: a readable summary of the RamuNET protocol as the system implements it.

Prints the regimen, the schedule of assessments, the criteria, the design, the endpoints and the
errata with the reading applied; ``--json`` prints the same as one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from decimal import Decimal
from enum import Enum

from rich.console import Console
from rich.table import Table

from ramunet.protocol.study import PROTOCOL, Protocol


def _plain(value: object) -> object:
    """JSON-friendly copy: decimals and enums as strings, tuples as lists."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    return value


def protocol_as_dict(protocol: Protocol) -> dict[str, object]:
    """The protocol as plain data (what ``--json`` prints)."""
    data = {
        "title": protocol.title,
        "eudract": protocol.eudract,
        "version": protocol.version,
        "regimen": asdict(protocol.regimen),
        "visits": [asdict(visit) for visit in protocol.visits],
        "criteria": [
            {**asdict(item), "applied": item.applied, "label": item.label}
            for item in protocol.criteria
        ],
        "design": asdict(protocol.design),
        "endpoints": [asdict(item) for item in protocol.endpoints],
        "errata": [asdict(item) for item in protocol.errata],
        "settings": asdict(protocol.settings),
    }
    result = _plain(data)
    assert isinstance(result, dict)
    return result


def _regimen_table(protocol: Protocol) -> Table:
    regimen = protocol.regimen
    table = Table(
        title=f"Regimen: {regimen.cycle_length_days}-day cycles, "
        f"{regimen.protocol_cycles} protocol cycles"
    )
    for column in ("Order", "Drug", "Dose", "Basis", "Route", "Minutes", "Cycle days"):
        table.add_column(column)
    for drug in sorted(regimen.drugs, key=lambda item: item.order):
        table.add_row(
            str(drug.order),
            drug.name,
            f"{drug.dose} {drug.dose_unit}",
            drug.basis.value,
            drug.route,
            str(drug.infusion_minutes),
            ", ".join(str(day) for day in drug.cycle_days),
        )
    table.caption = f"{regimen.sequence_rule}. {regimen.continuation_rule}."
    return table


def _schedule_table(protocol: Protocol) -> Table:
    table = Table(title="Schedule of assessments (days after the first dose; day 0 = C1D1)")
    for column in ("Visit", "Label", "Target", "Window", "Forms"):
        table.add_column(column)
    for visit in protocol.visits:
        target = f"month {visit.month}" if visit.month is not None else f"day {visit.day}"
        table.add_row(
            visit.code,
            visit.label,
            target,
            f"-{visit.window_before}/+{visit.window_after} d",
            " ".join(visit.forms),
        )
    return table


def _criteria_table(protocol: Protocol) -> Table:
    table = Table(title="Eligibility criteria")
    for column in ("Id", "Kind", "Criterion", "Rule applied"):
        table.add_column(column)
    for item in protocol.criteria:
        table.add_row(item.id, item.kind.value, item.label, item.rule)
    return table


def _design_table(protocol: Protocol) -> Table:
    design = protocol.design
    table = Table(title=f"Design: {design.method}")
    table.add_column("Parameter")
    table.add_column("Value")
    low, high = protocol.settings.month6_window
    for name, value in (
        ("H0 / H1", f"p <= {design.p0} / p >= {design.p1}"),
        ("alpha (one-sided) / beta", f"{design.alpha} / {design.beta}"),
        ("n / reject H0 if successes >=", f"{design.n} / {design.r}"),
        ("actual alpha / power", f"{design.actual_alpha} / {design.actual_power}"),
        ("follow-up", f"{design.follow_up_months} months from start of treatment"),
        ("screening window", f"{protocol.settings.screening_window_days} days"),
        ("month-6 window", f"day {low}..{high}"),
    ):
        table.add_row(name, value)
    return table


def _endpoints_table(protocol: Protocol) -> Table:
    table = Table(title="Endpoints")
    for column in ("Code", "Role", "Endpoint", "Definition"):
        table.add_column(column)
    for item in protocol.endpoints:
        table.add_row(item.code, item.role.value, item.name, item.definition)
    return table


def _errata_table(protocol: Protocol) -> Table:
    table = Table(title="Errata and gaps, with the reading applied (confirm or override)")
    for column in ("Id", "Erratum", "Reading applied", "Applied in"):
        table.add_column(column, overflow="fold")
    for item in protocol.errata:
        table.add_row(item.id, item.title, item.reading, ", ".join(item.applied_in))
    return table


def run(args: argparse.Namespace) -> int:
    protocol = PROTOCOL
    if args.json:
        sys.stdout.write(json.dumps(protocol_as_dict(protocol), indent=2, ensure_ascii=False))
        sys.stdout.write("\n")
        return 0
    console = Console(file=sys.stdout)
    console.print(f"[bold]{protocol.title}[/bold]")
    console.print(f"EudraCT {protocol.eudract}, protocol version {protocol.version}")
    for table in (
        _regimen_table(protocol),
        _schedule_table(protocol),
        _criteria_table(protocol),
        _design_table(protocol),
        _endpoints_table(protocol),
        _errata_table(protocol),
    ):
        console.print(table)
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``protocol`` subcommand."""
    parser = subparsers.add_parser(
        "protocol",
        help="print the protocol as implemented: regimen, schedule, criteria, design, errata",
        description=__doc__,
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(func=run)
