"""``ramunet export`` (the transfer package or one part of it) and ``ramunet import-odm``.

Examples::

    ramunet export --as biometrician --to transfer/ramunet-2026-11-24.zip
    ramunet export --as datamanager --to odm/ --what odm --audit
    ramunet export --as datamanager --to transfer/ --workers 1   (in one process)
    ramunet import-odm --as datamanager transfer/ramunet.xml
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from ramunet.cli.django_setup import setup

WHAT = ("package", "odm", "sdtm", "tidy", "dictionary")


def register(subparsers: Any) -> None:
    export = subparsers.add_parser(
        "export",
        help="the transfer package (ODM, SDTM XPT/CSV, tidy tables, trail, dictionary) or a part",
    )
    export.add_argument("--as", dest="username", required=True, help="the person exporting")
    export.add_argument(
        "--to",
        type=Path,
        required=True,
        help="a .zip file, or a folder (a folder that exists gets a dated zip for a package)",
    )
    export.add_argument("--what", choices=WHAT, default="package", help="default: package")
    export.add_argument(
        "--audit",
        action="store_true",
        help="ODM with audit records and signatures (a package always has them)",
    )
    export.add_argument(
        "--workers",
        type=int,
        default=None,
        help="processes writing the parts at once (default: one per core; 1 in one process)",
    )
    export.set_defaults(func=run_export)

    load = subparsers.add_parser(
        "import-odm", help="load an ODM file of ours into this empty database (data managers)"
    )
    load.add_argument("file", type=Path)
    load.add_argument("--as", dest="username", required=True, help="the data manager importing")
    load.set_defaults(func=run_import)


def _person(username: str) -> Any:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise SystemExit(f"--as {username!r}: no active account of that name")
    return user


def _target(to: Path, what: str) -> Path:
    if to.suffix.lower() == ".zip" or what != "package" or not to.is_dir():
        return to
    return to / f"ramunet-transfer-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}.zip"


def run_export(args: argparse.Namespace) -> int:
    setup()
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from ramunet.clinical.errors import RamunetError
    from ramunet.edc.exporting.package import PARTS, write_transfer_package
    from ramunet.edc.exporting.parallel import default_workers

    user = _person(args.username)
    target = _target(args.to, args.what)
    parts = PARTS if args.what == "package" else (args.what,)
    audit = args.audit or args.what == "package"
    console = Console(stderr=True)
    manifest = None
    try:
        with Progress(
            TextColumn("{task.description:<28}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as bar:
            task = bar.add_task("export", total=None)

            def progress(name: str, number: int, total: int) -> None:
                bar.update(task, description=name, completed=number - 1, total=total)

            manifest = write_transfer_package(
                user,
                target,
                parts=parts,
                audit_records=audit,
                progress=progress,
                workers=default_workers() if args.workers is None else args.workers,
            )
    except RamunetError as error:
        print(f"export refused: {error}", file=sys.stderr)
        return 1
    size = sum(entry.size for entry in manifest.entries)
    console.print(
        f"[green]{target}[/]: {len(manifest.entries)} files, {size / 1e6:.1f} MB, "
        f"{manifest.facts['patients']} patients, {manifest.facts['status']}"
    )
    return 0


def run_import(args: argparse.Namespace) -> int:
    setup()
    from ramunet.clinical.errors import RamunetError
    from ramunet.edc.exporting.odm_import import import_odm

    user = _person(args.username)
    try:
        summary = import_odm(user, args.file.read_bytes(), source=args.file.name)
    except RamunetError as error:
        print(f"import refused: {error}", file=sys.stderr)
        return 1
    print(
        f"imported {summary.patients} patients, {summary.forms} forms, {summary.centres} centres "
        f"from {args.file} (sha256 {summary.sha256[:16]})"
    )
    return 0
