"""ramunet.exports stays free of Django and of the EDC, so its writers test alone."""

from __future__ import annotations

import ast
from pathlib import Path

EXPORTS = Path(__file__).resolve().parents[2] / "src" / "ramunet" / "exports"


def test_exports_imports_neither_django_nor_edc_nor_cli():
    offenders = []
    for path in sorted(EXPORTS.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            offenders += [
                f"{path.name} imports {name}"
                for name in names
                if name.split(".")[0] in ("django", "rest_framework")
                or name.split(".")[:2] in (["ramunet", "edc"], ["ramunet", "cli"])
            ]
    assert offenders == []
