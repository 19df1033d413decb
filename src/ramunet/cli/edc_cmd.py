"""``ramunet demo``, ``ramunet audit verify`` and ``ramunet manage`` (Django's commands)."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from ramunet.cli.django_setup import setup
from ramunet.cli.serve_cmd import exec_server, server_command


def register(subparsers: Any) -> None:
    demo = subparsers.add_parser(
        "demo",
        help="fresh SQLite demo database with a simulated, locked trial and its report; "
        "the accounts; the server",
    )
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--no-serve", action="store_true", help="set up, then exit")
    demo.add_argument(
        "--empty", action="store_true", help="centres and accounts only, no simulated trial"
    )
    demo.set_defaults(func=run_demo)

    audit = subparsers.add_parser("audit", help="the audit trail")
    audit_sub = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = audit_sub.add_parser(
        "verify", help="check the hash chain and every audited row against it"
    )
    verify.set_defaults(func=run_audit_verify)
    export = audit_sub.add_parser("export", help="the audit trail as CSV, streamed")
    export.add_argument("--as", dest="username", required=True, help="the person exporting")
    export.add_argument("--patient", default="")
    export.add_argument("--output", type=Path, default=None, help="file (default: stdout)")
    export.set_defaults(func=run_audit_export)

    closeout = subparsers.add_parser(
        "closeout", help="a centre's casebook PDFs with audit trail, for its archive"
    )
    closeout.add_argument("--centre", required=True, help="centre code, e.g. HAL")
    closeout.add_argument("--as", dest="username", required=True, help="the person archiving")
    closeout.add_argument("--to", type=Path, required=True, help="folder")
    closeout.set_defaults(func=run_closeout)

    backup = subparsers.add_parser(
        "backup", help="a consistent online backup with a checksum manifest"
    )
    backup.add_argument("--to", type=Path, default=None, help="folder (default: DATA_DIR/backups)")
    backup.set_defaults(func=run_backup)

    restore = subparsers.add_parser("restore", help="restore a backup, then verify the audit trail")
    restore.add_argument("file", type=Path)
    restore.add_argument("--force", action="store_true", help="replace an existing database")
    restore.set_defaults(func=run_restore)

    manage = subparsers.add_parser("manage", help="Django's management commands")
    manage.add_argument("args", nargs=argparse.REMAINDER)
    manage.set_defaults(func=run_manage)


def run_manage(args: argparse.Namespace) -> int:
    setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ramunet manage", *args.args])
    return 0


def run_audit_verify(args: argparse.Namespace) -> int:
    setup()
    from rich.console import Console

    from ramunet.edc.audit.services import verify

    console = Console()
    with console.status("verifying the audit chain"):
        result = verify()
    if result.ok:
        console.print(
            f"[green]audit trail intact[/]: {result.records} records, {result.rows} rows, "
            f"head {result.head_hash[:16]}"
        )
        return 0
    console.print(f"[red]audit trail broken[/]: first broken link: {result.first_broken}")
    for problem in result.problems[1:20]:
        console.print(f"  also: {problem}")
    return 1


def _person(username: str) -> Any:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise SystemExit(f"--as {username!r}: no active account of that name")
    return user


def run_audit_export(args: argparse.Namespace) -> int:
    setup()
    from ramunet.edc.audit import review
    from ramunet.edc.audit import services as audit

    user = _person(args.username)
    lines = review.export_csv(user, review.TrailFilter(patient=args.patient))
    out = args.output.open("w", encoding="utf-8", newline="") if args.output else sys.stdout
    count = -1
    try:
        for line in lines:
            out.write(line)
            count += 1
    finally:
        if args.output:
            out.close()
    audit.append("audit.exported", actor=user, data={"rows": count, "patient": args.patient})
    print(f"{count} rows exported", file=sys.stderr)
    return 0


def run_closeout(args: argparse.Namespace) -> int:
    setup()
    from ramunet.clinical.errors import RamunetError
    from ramunet.edc.locking.closeout import centre_archive
    from ramunet.edc.sites.models import Centre

    centre = Centre.objects.filter(code=args.centre).first()
    if centre is None:
        raise SystemExit(f"--centre {args.centre!r}: no such centre")
    try:
        archive = centre_archive(_person(args.username), centre, args.to)
    except RamunetError as error:
        print(f"close-out refused: {error}", file=sys.stderr)
        return 2
    print(f"{len(archive.files)} casebooks and {archive.manifest.name} in {archive.folder}")
    return 0


def run_backup(args: argparse.Namespace) -> int:
    setup()
    from django.conf import settings

    from ramunet.edc.backup import backup

    made = backup(args.to or Path(settings.DATA_DIR) / "backups")
    print(
        f"backup {made.path}\nsha256 {made.sha256}\naudit head #{made.audit_seq} {made.audit_hash}"
    )
    return 0


def run_restore(args: argparse.Namespace) -> int:
    setup()
    from django.conf import settings
    from django.db import connection

    from ramunet.clinical.errors import RamunetError
    from ramunet.edc import backup

    database = settings.DATABASES["default"]
    try:
        if connection.vendor == "sqlite":
            connection.close()
            backup.restore_sqlite(args.file, Path(database["NAME"]), force=args.force)
        else:
            connection.close()
            backup.restore_postgresql(args.file, database)
    except RamunetError as error:
        print(f"restore refused: {error}", file=sys.stderr)
        return 2
    print(f"restored {args.file}")
    return run_audit_verify(args)


def _demo_environment() -> Path:
    os.environ["RAMUNET_DEMO"] = "1"
    data = Path(os.environ.setdefault("RAMUNET_DATA_DIR", str(Path.cwd() / "data" / "demo")))
    os.environ.pop("DATABASE_URL", None)  # the demo is always SQLite
    return data


DEMO_SEED = 2026  # the demo's simulated trial: the same trial every time


def _demo_trial(console: Any, data: Path) -> Any:
    """Simulate the 45-patient trial (fixed seed, from the first demo centre's activation),
    close it (SDV, signatures, locks) and write the report; the report's manifest."""
    from ramunet.edc.sites.demo import DEMO_CENTRES
    from ramunet.simulate import SimulationConfig, simulate_trial
    from ramunet.simulate.cast import assemble_cast
    from ramunet.simulate.closing import close_trial

    start = min(activated for _, _, _, activated in DEMO_CENTRES)
    config = SimulationConfig(patients=45, seed=DEMO_SEED, start=start)
    summary = simulate_trial(config, progress=True)
    console.print(
        f"simulated: {summary.screened} screened, {summary.registered} registered, disease "
        f"control at 6 months {summary.month6_successes}/{summary.month6_evaluated} "
        f"({summary.seconds:.0f} s)"
    )
    with console.status("monitoring, signatures and the database lock"):
        closing = close_trial(assemble_cast(config.centres, start))
    console.print(
        f"closed: {closing.verified} forms verified, {closing.signed} casebooks signed, "
        f"{closing.locked_patients} patients locked, database locked"
    )
    return _demo_report(console, data / "report")


def _demo_report(console: Any, folder: Path) -> Any:
    # the report package (ramunet.edc.reporting) writes HTML, PDF, figures and tables
    from ramunet.edc.reporting.write import write_report

    with console.status("writing the report"):
        manifest = write_report(folder, actor=None)
    console.print(f"report: {manifest.html} and {manifest.pdf}")
    return manifest


def _collect_static_in_background() -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "ramunet.cli.main", "manage", "collectstatic", "--noinput"]
    return subprocess.Popen([*command, "--verbosity", "0"])


def _accounts_table(password: str) -> Any:
    from django.contrib.auth import get_user_model
    from rich.table import Table

    table = Table(title=f"Demo accounts (password: {password})")
    table.add_column("username")
    table.add_column("role")
    table.add_column("centre")
    users = get_user_model().objects.filter(is_active=True).prefetch_related("memberships__centre")
    for user in users.order_by("username"):
        for membership in user.memberships.all():
            centre = membership.centre.code if membership.centre else "all"
            table.add_row(user.username, membership.role, centre)
    return table


def run_demo(args: argparse.Namespace) -> int:
    data = _demo_environment()
    database = data / "ramunet.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    setup()
    from django.core.management import call_command
    from rich.console import Console

    from ramunet.edc.sites.demo import DEMO_PASSWORD, seed_people

    console = Console()
    with console.status("creating the demo database"):
        call_command("migrate", verbosity=0)
        seed_people()
        shutil.rmtree(data / "static", ignore_errors=True)
    # collecting (and compressing) the static files needs no database: on the other core
    static = _collect_static_in_background()
    if not args.empty:
        _demo_trial(console, data)
    with console.status("collecting the static files"):
        if static.wait() != 0:
            raise SystemExit("collectstatic failed")
    console.print(_accounts_table(DEMO_PASSWORD))
    url = f"http://{args.host}:{args.port}/"
    console.print(f"Database: {database}\nOpen {url} and log in with an account above.")
    if args.no_serve:
        return 0
    console.print("Serving with Granian; Ctrl-C stops.")
    exec_server(server_command(args.host, args.port, access_log=True))
    return 0  # pragma: no cover (exec does not return)
