"""The SDTM datasets and the ADSL-like analysis dataset, and how each is written.

``write_domain`` reads a domain's rows once: the XPT writer consumes them while each row is
also written to the CSV (in a temporary file, since a zip takes one entry at a time), so
both files come from the same single pass over the database.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from typing import Any

from ramunet.edc.exporting.adsl import adsl
from ramunet.edc.exporting.sdtm_events import ae, cm, dm, ds, ex, mh, suppae, suppex
from ramunet.edc.exporting.sdtm_findings import lb, qs, vs
from ramunet.edc.exporting.sdtm_tumour import rs, tr, tu
from ramunet.exports.package import PackageWriter
from ramunet.exports.sdtm_model import Domain, domain_dataset
from ramunet.exports.tables import csv_blocks
from ramunet.exports.xpt import write_xpt


def sdtm_domains() -> tuple[Domain, ...]:
    """DM, DS, EX, SUPPEX, AE, SUPPAE, CM, MH, LB, VS, QS, TU, TR, RS, then ADSL."""
    return (
        dm(),
        ds(),
        ex(),
        suppex(),
        ae(),
        suppae(),
        cm(),
        mh(),
        lb(),
        vs(),
        qs(),
        tu(),
        tr(),
        rs(),
        adsl(),
    )


def _tee(
    rows: Iterator[Sequence[Any]], header: Sequence[str], csv_out: Any
) -> Iterator[Sequence[Any]]:
    """Yield ``rows`` unchanged while writing them as CSV to ``csv_out`` in blocks."""
    block: list[Sequence[Any]] = []
    csv_out.write(next(csv_blocks(header, ())).encode("utf-8"))
    for row in rows:
        block.append(row)
        if len(block) == 5000:
            csv_out.write(_rows_text(header, block))
            block = []
        yield row
    if block:
        csv_out.write(_rows_text(header, block))


def _rows_text(header: Sequence[str], block: list[Sequence[Any]]) -> bytes:
    """The CSV text of ``block`` without the header line."""
    text = "".join(csv_blocks(header, block, batch=len(block)))
    return text[text.index("\r\n") + 2 :].encode("utf-8")


def write_domain(package: PackageWriter, domain: Domain, folder: str, created: Any) -> int:
    """Write ``<folder>/xpt/<name>.xpt`` and ``<folder>/csv/<name>.csv``; the row count."""
    name = domain.name.lower()
    with tempfile.TemporaryFile() as csv_file:
        with package.open(f"{folder}/xpt/{name}.xpt") as out:
            rows = _tee(iter(domain.rows()), domain.header, csv_file)
            written = write_xpt(out, domain_dataset(domain, rows), created=created)  # type: ignore[arg-type]
        csv_file.seek(0)
        package.add_file(f"{folder}/csv/{name}.csv", csv_file)
    return written.members[0].row_count
