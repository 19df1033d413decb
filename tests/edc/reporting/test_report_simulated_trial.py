"""End to end: a simulated 45-patient trial (``ramunet.simulate``) reported from the database.

The trial is simulated once for the module inside one transaction that is rolled back at the
end, so that no other test sees it; every test here runs in a savepoint inside it.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
from django.db import transaction

from ramunet.edc.reporting.dataset import load_dataset
from ramunet.edc.reporting.write import write_report
from ramunet.report.analysis import analyse
from ramunet.report.render import SECTIONS
from tests.edc.reporting.recount import recount_month6

TODAY = dt.date(2026, 11, 24)
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def simulated(django_db_setup, django_db_blocker, tmp_path_factory):
    """(simulation summary, first report, second report) of one simulated trial."""
    from ramunet.simulate import SimulationConfig, simulate_trial

    with django_db_blocker.unblock(), transaction.atomic():
        summary = simulate_trial(SimulationConfig(patients=45, seed=2026), progress=False,
                                 today=TODAY)  # fmt: skip
        first = write_report(tmp_path_factory.mktemp("report-one"))
        second = write_report(tmp_path_factory.mktemp("report-two"))
        yield summary, first, second
        transaction.set_rollback(True)


def pdf_pages_text(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return text.split("\f")[:-1]


def test_primary_endpoint_equals_a_recount_from_the_raw_forms(simulated, db):
    primary = analyse(load_dataset()).primary
    assert (primary.x, primary.n) == recount_month6()
    assert primary.n == 45


def test_primary_endpoint_matches_what_the_simulator_derived(simulated, db):
    summary, _, _ = simulated
    assert analyse(load_dataset()).primary.x == summary.month6_successes


def test_report_states_x_of_45_and_the_decision(simulated):
    _, report, _ = simulated
    primary_csv = (report.folder / "tables" / "primary.csv").read_text(encoding="utf-8")
    assert " of 45 (" in primary_csv
    assert "success if \u2265 33 of 45" in primary_csv


def test_figures_exist_and_are_not_empty(simulated):
    _, report, _ = simulated
    figures = sorted((report.folder / "figures").glob("*.png"))
    assert {f.stem for f in figures} >= {
        "consort", "primary", "waterfall", "swimmer", "spider", "km_pfs", "km_os",
        "toxicity", "cga", "qlq_c30", "recruitment",
    }  # fmt: skip
    for figure in figures:
        data = figure.read_bytes()
        assert data.startswith(PNG_MAGIC) and len(data) > 10_000, figure.name


def test_pdf_opens_with_pdftoppm_and_has_every_section_on_its_pages(simulated, tmp_path):
    _, report, _ = simulated
    subprocess.run(["pdftoppm", "-r", "15", "-png", str(report.pdf), str(tmp_path / "p")],
                   check=True)  # fmt: skip
    pages = pdf_pages_text(report.pdf)
    assert len(list(tmp_path.glob("p-*.png"))) == len(pages) >= len(SECTIONS) + 1
    starts = [
        next(i for i, text in enumerate(pages) if i > 0 and f"{n}. {s.title}" in text)
        for n, s in enumerate(SECTIONS, start=1)
    ]
    assert starts == sorted(set(starts))


def test_unlocked_simulated_trial_gives_a_draft_on_every_page(simulated):
    _, report, _ = simulated
    assert report.status == "draft"
    assert all("DRAFT" in text for text in pdf_pages_text(report.pdf))


def test_two_runs_give_one_snapshot_hash_and_identical_tables_and_figures(simulated):
    _, first, second = simulated
    assert first.snapshot_sha256 == second.snapshot_sha256
    for folder in ("tables", "figures"):
        for path in sorted((first.folder / folder).iterdir()):
            assert path.read_bytes() == (second.folder / folder / path.name).read_bytes()

    # the HTML differs only in the audit chain's head, which the first report moved
    def without_head(report):
        html = report.html.read_text(encoding="utf-8")
        return html.replace(f"#{report.audit_seq} {report.audit_head_hash}", "")

    assert without_head(first) == without_head(second)
    assert first.audit_head_hash != second.audit_head_hash
