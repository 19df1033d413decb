"""The report as HTML: sections with their tables and figures, provenance, and the DRAFT mark.

The page carries no clock time: the same results give byte-identical HTML. When the database
is not locked, every page says DRAFT (a header on each printed page and a watermark), and so
does the title. The same HTML, with the SAE listing cut to its first rows, is the PDF's source.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from ramunet.report.analysis import ReportResults
from ramunet.report.analysis_safety import sae_table
from ramunet.report.figure_set import FigureSpec
from ramunet.report.tables import Table

TITLE = "RamuNET: ramucirumab plus dacarbazine in progressive pancreatic NET"
DRAFT_TEXT = "DRAFT \u2014 database not locked"


@dataclass(frozen=True)
class Provenance:
    """What makes the report reproducible: the data's hash and the software and protocol."""

    snapshot_sha256: str
    audit_seq: int
    audit_head_hash: str
    software_version: str
    protocol_version: str


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    intro: str
    tables: tuple[str, ...]


SECTIONS: tuple[Section, ...] = (
    Section(
        "flow",
        "Patient flow",
        "Screening, registration, treatment and the primary analysis set (CONSORT 2010).",
        ("screening-failures",),
    ),
    Section(
        "population",
        "Patients and treatment",
        "Baseline characteristics and treatment exposure of the analysis set.",
        ("characteristics", "exposure"),
    ),
    Section(
        "primary",
        "Primary endpoint",
        "Disease control at 6 months (RECIST 1.1) tested "
        "against the exact single-stage design (A'Hern 2001): H0 p \u2264 0.60 vs H1 p "
        "\u2265 0.80, one-sided \u03b1 0.05, power 0.90; success if \u2265 33 of 45.",
        ("primary",),
    ),
    Section(
        "response",
        "Tumour response",
        "Best overall response, objective response rate and the course of the target lesions.",
        ("response",),
    ),
    Section(
        "survival",
        "Progression-free and overall survival",
        "Kaplan-Meier estimates from the first dose.",
        ("survival",),
    ),
    Section(
        "safety",
        "Safety",
        "Adverse events and laboratory toxicities by worst CTCAE v5.0 "
        "grade, and serious adverse events.",
        ("toxicity", "sae"),
    ),
    Section(
        "cga",
        "Chromogranin A",
        "Biochemical response of chromogranin A (or the specific hormone).",
        ("cga",),
    ),
    Section("qol", "Quality of life", "EORTC QLQ-C30 change from baseline.", ("qol",)),
    Section(
        "biomarkers",
        "Translational biomarkers",
        "Central pathology markers against disease control at 6 months.",
        ("biomarkers",),
    ),
    Section(
        "recruitment",
        "Recruitment",
        "Registrations by centre over time and the projected date of the 45th patient.",
        ("recruitment",),
    ),
)

CSS = """
@page { size: A4; margin: 20mm 14mm 16mm 14mm;
  @top-left { content: "RamuNET analysis report"; font-size: 8pt; color: #555; }
  @top-right { content: string(status); font-size: 9pt; font-weight: bold; color: #333; }
  @bottom-right { content: "page " counter(page) " of " counter(pages); font-size: 8pt; }
  @bottom-left { content: string(snapshot); font-size: 7pt; color: #555; } }
@page { @top-left { font-family: "DejaVu Sans", sans-serif; }
  @top-right { font-family: "DejaVu Sans", sans-serif; }
  @bottom-left { font-family: "DejaVu Sans", sans-serif; }
  @bottom-right { font-family: "DejaVu Sans", sans-serif; } }
@page draft { @top-right { color: #b00; } }
body.draft { page: draft; }
body { font-family: "DejaVu Sans", sans-serif; font-size: 9pt; color: #111; margin: 0 auto;
  max-width: 190mm; }
h1 { font-size: 16pt; margin: 0 0 4pt 0; }
h2 { font-size: 13pt; border-bottom: 1px solid #999; margin-top: 0; }
.status { string-set: status content(); font-weight: bold; }
.status.draft { color: #b00; }
.snapshot { string-set: snapshot content(); }
section { break-before: page; }
table { border-collapse: collapse; margin: 6pt 0; width: 100%; }
caption { text-align: left; font-weight: bold; padding: 3pt 0; }
th, td { border-bottom: 1px solid #ddd; padding: 2pt 4pt; text-align: left;
  vertical-align: top; }
th { background: #eee; }
td.severe { background: #fbd3b5; font-weight: bold; }
tr { break-inside: avoid; }
p.note { font-size: 7.5pt; color: #444; margin: 0 0 8pt 0; break-before: avoid; }
figure { margin: 8pt 0; break-inside: avoid; }
figure img { width: 100%; }
figcaption { font-size: 8pt; color: #333; }
.watermark { position: fixed; top: 40%; left: 0; right: 0; text-align: center;
  font-size: 90pt; color: rgba(200, 0, 0, 0.10); transform: rotate(-30deg);
  pointer-events: none; z-index: 10; }
"""


def table_html(table: Table) -> str:
    """One table with its caption and note (cells escaped; highlighted cells classed)."""
    marked = set(table.emphasised)
    head = "".join(f"<th>{escape(c)}</th>" for c in table.columns)
    body = []
    for r, row in enumerate(table.rows):
        cells = "".join(
            f'<td class="severe">{escape(cell)}</td>'
            if (r, c) in marked
            else f"<td>{escape(cell)}</td>"
            for c, cell in enumerate(row)
        )
        body.append(f"<tr>{cells}</tr>")
    note = f'<p class="note">{escape(table.note)}</p>' if table.note else ""
    return (
        f'<table id="table-{escape(table.key)}"><caption>{escape(table.caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{note}"
    )


def figure_html(spec: FigureSpec, src: str) -> str:
    return (
        f'<figure id="figure-{escape(spec.key)}"><img src="{escape(src)}" '
        f'alt="{escape(spec.caption)}"><figcaption>{escape(spec.caption)}</figcaption></figure>'
    )


def _provenance_table(results: ReportResults, provenance: Provenance) -> Table:
    return Table(
        "provenance",
        "Provenance",
        ("Item", "Value"),
        (
            ("Status", "final (database locked)" if results.locked else DRAFT_TEXT),
            ("Data snapshot SHA-256", provenance.snapshot_sha256),
            ("Audit chain head", f"#{provenance.audit_seq} {provenance.audit_head_hash}"),
            ("Software", f"ramunet {provenance.software_version}"),
            ("Protocol version", provenance.protocol_version),
            ("Latest clinical date in the data", str(results.data_cutoff or "\u2014")),
            ("Registered / treated", f"{results.n_registered} / {results.n_treated}"),
        ),
        note="Recompute: the same database gives the same snapshot hash and identical tables.",
    )


def render_html(
    results: ReportResults,
    provenance: Provenance,
    figures: Sequence[FigureSpec],
    figure_sources: Mapping[str, str],
    *,
    sae_limit: int | None = None,
) -> str:
    """The whole report as one HTML document.

    Parameters
    ----------
    results
        From ``analyse``.
    provenance
        Snapshot hash, audit head, software and protocol versions.
    figures
        The figures built, in order; each is placed in its section.
    figure_sources
        Figure key -> the ``src`` of its image (a relative path beside the HTML).
    sae_limit
        Cut the SAE listing to this many rows (the PDF); None shows every row.
    """
    draft = not results.locked
    status = DRAFT_TEXT if draft else "Final: database locked"
    tables = {t.key: t for t in results.tables}
    if sae_limit is not None:
        tables["sae"] = sae_table(results.sae, sae_limit)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{'DRAFT: ' if draft else ''}RamuNET analysis report</title>",
        f"<style>{CSS}</style></head>",
        f'<body class="{"draft" if draft else "final"}">',
    ]
    if draft:
        parts.append('<div class="watermark">DRAFT</div>')
    parts.append(f"<h1>{escape(TITLE)}</h1>")
    parts.append(f'<p class="status{" draft" if draft else ""}">{escape(status)}</p>')
    software = escape(provenance.software_version)
    protocol = escape(provenance.protocol_version)
    parts.append(
        f'<p class="snapshot">snapshot {provenance.snapshot_sha256[:16]} \u00b7 ramunet '
        f"{software} \u00b7 protocol {protocol}</p>"
    )
    parts.append(table_html(_provenance_table(results, provenance)))
    parts.append("<nav><ol>")
    parts += [f'<li><a href="#{s.key}">{escape(s.title)}</a></li>' for s in SECTIONS]
    parts.append("</ol></nav>")
    for number, section in enumerate(SECTIONS, start=1):
        parts.append(f'<section id="{section.key}"><h2>{number}. {escape(section.title)}</h2>')
        parts.append(f"<p>{escape(section.intro)}</p>")
        parts += [table_html(tables[key]) for key in section.tables]
        mine = [spec for spec in figures if spec.section == section.key]
        parts += [figure_html(spec, figure_sources[spec.key]) for spec in mine]
        if not mine and section.key not in ("population",):
            parts.append('<p class="note">No figure: no data for it yet.</p>')
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
