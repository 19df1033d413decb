"""``ramunet report``: the analysis report (HTML and PDF) from the trial database."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    report = subparsers.add_parser(
        "report",
        help="the analysis report (HTML and PDF); DRAFT on every page before the database lock",
    )
    report.add_argument(
        "--as",
        dest="username",
        required=True,
        help="the person writing it: biometrician (after the lock), data manager or sponsor",
    )
    report.add_argument("--to", type=Path, default=Path("report"), help="folder (default: report)")
    report.add_argument(
        "--final-only",
        action="store_true",
        help="refuse to write a draft from an unlocked database",
    )
    report.set_defaults(func=run_report)


def _person(username: str) -> Any:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise SystemExit(f"--as {username!r}: no active account of that name")
    return user


STEPS = ("load", "hash", "analyse", "figures", "html", "pdf")


def run_report(args: argparse.Namespace) -> int:
    from ramunet.cli.django_setup import setup

    setup()
    from rich.progress import Progress

    from ramunet.clinical.errors import RamunetError
    from ramunet.edc.reporting.write import write_report

    user = _person(args.username)
    with Progress(transient=True) as bar:
        task = bar.add_task("writing the report", total=len(STEPS))

        def advance(step: str) -> None:
            bar.update(task, description=step)
            if step in STEPS:
                bar.advance(task)

        try:
            manifest = write_report(
                args.to, actor=user, draft_ok=not args.final_only, progress=advance
            )
        except RamunetError as error:
            print(f"report refused: {error}", file=sys.stderr)
            return 2
    print(f"{manifest.status} report: {manifest.html}\n{' ' * 13}{manifest.pdf}")
    print(f"snapshot sha256 {manifest.snapshot_sha256}")
    print(f"audit head #{manifest.audit_seq} {manifest.audit_head_hash}")
    print(f"ramunet {manifest.software_version}, protocol version {manifest.protocol_version}")
    return 0
