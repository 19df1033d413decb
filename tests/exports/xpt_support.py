"""Shared helpers of the XPT tests: a fixed clock and a pyreadstat read-back."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyreadstat

CREATED = datetime(2026, 11, 24, 17, 5, 9, tzinfo=UTC)


def read_back(path: Path) -> tuple[dict[str, list[Any]], Any]:
    """Read an XPT file with pyreadstat (UTF-8), as plain lists per column."""
    data, meta = pyreadstat.read_xport(str(path), output_format="dict", encoding="utf-8")
    return dict(data), meta
