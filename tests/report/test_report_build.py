"""The report's files from a hand-made dataset: figures, tables, HTML and the PDF."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from ramunet.report.build import build_report
from ramunet.report.render import SECTIONS
from tests.report.datasets import small_trial

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def build(folder: Path, *, locked: bool = False):
    return build_report(
        small_trial(12, locked=locked), folder, software_version="9.9.9", protocol_version="01"
    )


@pytest.fixture(scope="module")
def draft(tmp_path_factory):
    return build(tmp_path_factory.mktemp("draft"))


@pytest.fixture(scope="module")
def draft_again(tmp_path_factory):
    return build(tmp_path_factory.mktemp("again"))


@pytest.fixture(scope="module")
def final(tmp_path_factory):
    return build(tmp_path_factory.mktemp("final"), locked=True)


def pdf_pages_text(pdf: Path) -> list[str]:
    """The text of each page (pdftotext separates pages by form feeds)."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return text.split("\f")[:-1]


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    return int(next(line for line in info.stdout.splitlines() if line.startswith("Pages:"))[6:])


def test_every_figure_exists_as_a_non_empty_png(draft):
    names = sorted(path.stem for path in draft.figures)
    assert names == sorted(
        ["consort", "primary", "waterfall", "swimmer", "spider", "km_pfs", "km_os",
         "toxicity", "cga", "qlq_c30", "biomarkers", "recruitment"]
    )  # fmt: skip
    for path in draft.figures:
        data = path.read_bytes()
        assert data.startswith(PNG_MAGIC) and len(data) > 10_000, path.name


def test_two_runs_give_byte_identical_figures(draft, draft_again):
    for first, second in zip(draft.figures, draft_again.figures, strict=True):
        assert first.read_bytes() == second.read_bytes(), first.name


def test_two_runs_give_byte_identical_tables_and_html(draft, draft_again):
    for first, second in zip(draft.tables, draft_again.tables, strict=True):
        assert first.read_bytes() == second.read_bytes(), first.name
    assert draft.html.read_bytes() == draft_again.html.read_bytes()


def test_html_embeds_every_figure_beside_it(draft):
    html = draft.html.read_text(encoding="utf-8")
    for path in draft.figures:
        assert f'src="figures/{path.name}"' in html


def test_html_records_snapshot_hash_software_and_protocol_version(draft):
    html = draft.html.read_text(encoding="utf-8")
    assert draft.provenance.snapshot_sha256 in html
    assert "ramunet 9.9.9" in html
    assert "<td>Protocol version</td><td>01</td>" in html


def test_pdf_renders_with_pdftoppm_one_image_per_page(draft, tmp_path):
    subprocess.run(
        ["pdftoppm", "-r", "20", "-png", str(draft.pdf), str(tmp_path / "page")], check=True
    )
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == page_count(draft.pdf)
    assert all(image.stat().st_size > 0 for image in images)


def test_pdf_starts_each_section_on_its_own_page_in_order(draft):
    pages = pdf_pages_text(draft.pdf)
    starts = []
    for number, section in enumerate(SECTIONS, start=1):
        heading = f"{number}. {section.title}"
        # page 1 (index 0) holds the title, provenance and the contents listing every section
        starts.append(next(i for i, text in enumerate(pages) if i > 0 and heading in text))
    assert starts == sorted(set(starts))
    assert starts[0] == 1
    assert len(pages) >= len(SECTIONS) + 1


def test_unlocked_database_gives_draft_on_every_pdf_page(draft):
    pages = pdf_pages_text(draft.pdf)
    assert all("DRAFT" in text for text in pages)


def test_locked_database_gives_a_final_report_without_draft(final):
    pages = pdf_pages_text(final.pdf)
    assert not any("DRAFT" in text for text in pages)
    assert "Final: database locked" in pages[0]
