"""Entry point of the ``ramunet`` command.

Each subcommand lives in its own module of this package and exposes
``register(subparsers)``, which adds its parser and sets ``func`` to a callable taking the
parsed arguments and returning an exit code. The list below is the only registry.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from ramunet import __version__

SUBCOMMAND_MODULES: tuple[str, ...] = (
    "ramunet.cli.edc_cmd",
    "ramunet.cli.serve_cmd",
    "ramunet.cli.design_cmd",
    "ramunet.cli.protocol_cmd",
    "ramunet.cli.report_cmd",
    "ramunet.cli.export_cmd",
    "ramunet.cli.simulate_cmd",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ramunet",
        description="RamuNET trial data system: EDC, endpoints, statistics, exports, report.",
    )
    parser.add_argument("--version", action="version", version=f"ramunet {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in SUBCOMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    result: int = args.func(args)
    return result


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
