"""Deterministic output: PNG and SVG files are byte-identical across renders."""

from __future__ import annotations

import pytest

from ramunet.clinical.errors import InvalidInput
from ramunet.report.figures.save import figure_bytes, save_figure
from ramunet.report.figures.waterfall import make_waterfall_figure


def figure():
    return make_waterfall_figure(["R01", "R02"], [-40.0, 25.0], ["PR", "PD"])


def test_save_writes_png_and_svg_beside_the_given_path(tmp_path):
    written = save_figure(figure(), tmp_path / "waterfall.png")
    assert written == (tmp_path / "waterfall.png", tmp_path / "waterfall.svg")
    assert written[0].read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert b"<svg" in written[1].read_bytes()


def test_two_saves_of_the_same_data_are_identical_bytes(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = save_figure(figure(), tmp_path / "a" / "fig")
    second = save_figure(figure(), tmp_path / "b" / "fig")
    assert [path.read_bytes() for path in first] == [path.read_bytes() for path in second]


def test_svg_carries_no_creation_date():
    svg = figure_bytes(figure(), "svg")
    assert b"<dc:date>" not in svg
    assert svg == figure_bytes(figure(), "svg")


def test_only_the_asked_formats_are_written(tmp_path):
    assert save_figure(figure(), tmp_path / "fig", formats=("svg",)) == (tmp_path / "fig.svg",)
    assert not (tmp_path / "fig.png").exists()


def test_unknown_format_is_refused(tmp_path):
    with pytest.raises(InvalidInput) as error:
        save_figure(figure(), tmp_path / "fig", formats=("png", "pdf"))
    assert str(error.value) == "formats[1] 'pdf': format not supported; expected png, svg"
    assert not (tmp_path / "fig.png").exists()


def test_no_format_is_refused(tmp_path):
    with pytest.raises(InvalidInput) as error:
        save_figure(figure(), tmp_path / "fig", formats=())
    assert str(error.value) == "formats: must not be empty; expected some of png, svg"


def test_figure_bytes_refuses_an_unknown_format():
    with pytest.raises(InvalidInput) as error:
        figure_bytes(figure(), "jpg")
    assert str(error.value) == "fmt 'jpg': format not supported; expected png, svg"
