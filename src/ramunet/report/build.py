"""``build_report``: a dataset in, the report's files out (no database; pure but for files).

Writes into ``out_dir``::

    index.html            the report (figures beside it, tables as HTML)
    report.pdf            the same, paginated by WeasyPrint, DRAFT on every page if unlocked
    figures/<key>.png     every figure, byte-for-byte reproducible (figures.save)
    tables/<key>.csv      every table's cells, as shown
    sae_listing.csv       every serious adverse event (the PDF may show only the first rows)

The seconds of each phase (analyse, figures, HTML, PDF) are returned for the benchmark.
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ramunet.report.analysis import ReportResults, analyse
from ramunet.report.analysis_safety import SAE_COLUMNS, SAE_PDF_ROWS
from ramunet.report.dataset import TrialDataset
from ramunet.report.figure_set import FigureSpec, figure_specs
from ramunet.report.figures.save import save_figure
from ramunet.report.render import Provenance, render_html

Progress = Callable[[str], None]


@dataclass(frozen=True)
class BuiltReport:
    """The files written and what they were computed from."""

    html: Path
    pdf: Path
    figures: tuple[Path, ...]
    tables: tuple[Path, ...]
    sae_listing: Path
    results: ReportResults
    provenance: Provenance
    seconds: tuple[tuple[str, float], ...]


def _csv_text(columns: tuple[str, ...], rows: tuple[tuple[str, ...], ...]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue()


def write_tables(results: ReportResults, folder: Path) -> tuple[Path, ...]:
    """Each table as ``tables/<key>.csv`` (UTF-8, the cells as the report shows them)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for table in results.tables:
        path = folder / f"{table.key}.csv"
        path.write_text(_csv_text(table.columns, table.rows), encoding="utf-8")
        paths.append(path)
    return tuple(paths)


def write_figures(
    specs: list[FigureSpec], folder: Path, progress: Progress | None = None
) -> tuple[Path, ...]:
    """Each figure as ``figures/<key>.png``."""
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for spec in specs:
        fig = spec.build()
        paths += save_figure(fig, folder / f"{spec.key}.png", formats=("png",))
        if progress:
            progress(f"figure {spec.key}")
    return tuple(paths)


def write_pdf(html: str, base: Path, target: Path) -> Path:
    """The HTML paginated to PDF by WeasyPrint (images resolved beside ``base``)."""
    from weasyprint import HTML  # type: ignore[import-untyped]

    HTML(string=html, base_url=str(base)).write_pdf(target)
    return target


def build_report(
    dataset: TrialDataset,
    out_dir: str | Path,
    *,
    software_version: str,
    protocol_version: str,
    progress: Progress | None = None,
) -> BuiltReport:
    """Analyse ``dataset`` and write the report's files into ``out_dir``.

    Parameters
    ----------
    dataset
        The trial's data (``ramunet.edc.reporting.dataset.load_dataset``).
    out_dir
        The folder; created if missing; existing report files are replaced.
    software_version, protocol_version
        Recorded in the report beside the snapshot hash.
    progress
        Called with a short text after each step (a progress bar).
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    seconds: list[tuple[str, float]] = []
    clock = time.perf_counter()

    def step(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds.append((name, round(now - clock, 4)))
        clock = now
        if progress:
            progress(name)

    provenance = Provenance(
        snapshot_sha256=dataset.snapshot_hash(),
        audit_seq=dataset.audit_seq,
        audit_head_hash=dataset.audit_head_hash,
        software_version=software_version,
        protocol_version=protocol_version,
    )
    step("hash")
    results = analyse(dataset)
    tables = write_tables(results, out / "tables")
    sae = out / "sae_listing.csv"
    sae.write_text(_csv_text(SAE_COLUMNS, results.sae), encoding="utf-8")
    step("analyse")
    specs = list(figure_specs(results))
    figures = write_figures(specs, out / "figures", progress)
    step("figures")
    sources = {spec.key: f"figures/{spec.key}.png" for spec in specs}
    html = render_html(results, provenance, specs, sources)
    index = out / "index.html"
    index.write_text(html, encoding="utf-8")
    step("html")
    pdf_html = render_html(results, provenance, specs, sources, sae_limit=SAE_PDF_ROWS)
    pdf = write_pdf(pdf_html, out, out / "report.pdf")
    step("pdf")
    return BuiltReport(
        html=index,
        pdf=pdf,
        figures=figures,
        tables=tables,
        sae_listing=sae,
        results=results,
        provenance=provenance,
        seconds=tuple(seconds),
    )
