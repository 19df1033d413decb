"""Write one SDTM domain of the test trial to disk and read it back."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

import pyreadstat

from ramunet.edc.exporting.sdtm import sdtm_domains, write_domain
from ramunet.exports.package import PackageWriter

CREATED = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)


def domain(name: str) -> Any:
    return next(d for d in sdtm_domains() if d.name == name)


def written(tmp_path: Path, name: str) -> tuple[Path, Path]:
    """The domain's XPT and CSV files, written through the package writer."""
    with PackageWriter(tmp_path / "p.zip") as package:
        write_domain(package, domain(name), "sdtm", CREATED)
        package.finish({})
    with zipfile.ZipFile(tmp_path / "p.zip") as archive:
        archive.extractall(tmp_path)
    lower = name.lower()
    return tmp_path / "sdtm" / "xpt" / f"{lower}.xpt", tmp_path / "sdtm" / "csv" / f"{lower}.csv"


def read_back(path: Path) -> tuple[list[dict[str, Any]], Any]:
    data, meta = pyreadstat.read_xport(str(path), output_format="dict", encoding="utf-8")
    columns = list(meta.column_names)
    count = len(data[columns[0]]) if columns else 0
    return [{name: data[name][i] for name in columns} for i in range(count)], meta
