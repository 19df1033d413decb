"""The pure packages must not import Django, and imports point inward only (STYLE.md)."""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "ramunet"

# package -> packages of ramunet it must never import
FORBIDDEN = {
    "clinical": {"protocol", "stats", "report", "edc", "cli"},
    "protocol": {"stats", "report", "edc", "cli"},
    "stats": {"protocol", "report", "edc", "cli"},
    "report": {"edc", "cli"},
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("package", ["clinical", "protocol", "stats"])
def test_pure_package_does_not_import_django(package):
    offenders = [
        f"{path.relative_to(SRC)} imports {name}"
        for path in sorted((SRC / package).rglob("*.py"))
        for name in imported_modules(path)
        if name == "django" or name.startswith(("django.", "rest_framework"))
    ]
    assert offenders == []


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_imports_point_inward(package):
    offenders = [
        f"{path.relative_to(SRC)} imports {name}"
        for path in sorted((SRC / package).rglob("*.py"))
        for name in imported_modules(path)
        if name.startswith("ramunet.") and name.split(".")[1] in FORBIDDEN[package]
    ]
    assert offenders == []
