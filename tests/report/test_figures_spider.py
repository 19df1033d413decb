"""Spider plot (target lesions) and the CgA plot built on it."""

from __future__ import annotations

import pytest
from matplotlib.colors import to_rgba

from ramunet.clinical.errors import InvalidInput
from ramunet.report.figures.cga import make_cga_figure
from ramunet.report.figures.save import figure_bytes
from ramunet.report.figures.spider import make_spider_figure, plot_spider
from ramunet.report.figures.style import RESPONSE_COLOURS

IDS = ["R01", "R02", "R03"]
WEEKS = [[12.0, 24.0], [12.0, 24.0, 36.0], [0.0, 12.0]]
CHANGE_PCT = [[-20.0, -35.0], [5.0, 15.0, 30.0], [0.0, -5.0]]
RESPONSES = ["PR", "PD", "SD"]


def test_one_line_per_patient_starting_at_baseline(ax, by_gid):
    plot_spider(ax, IDS, WEEKS, CHANGE_PCT, RESPONSES)
    segments = [segment.tolist() for segment in by_gid(ax, "spider-lines").get_segments()]
    assert segments == [
        [[0.0, 0.0], [12.0, -20.0], [24.0, -35.0]],
        [[0.0, 0.0], [12.0, 5.0], [24.0, 15.0], [36.0, 30.0]],
        [[0.0, 0.0], [12.0, -5.0]],  # already starts at week 0: no extra point
    ]


def test_line_colours_follow_best_response(ax, by_gid):
    plot_spider(ax, IDS, WEEKS, CHANGE_PCT, RESPONSES)
    colours = [tuple(c) for c in by_gid(ax, "spider-lines").get_colors()]
    assert colours == [to_rgba(RESPONSE_COLOURS[code], alpha=0.9) for code in RESPONSES]


def test_reference_lines_at_plus_20_and_minus_30_percent(ax):
    plot_spider(ax, IDS, WEEKS, CHANGE_PCT, RESPONSES)
    levels = sorted(line.get_ydata()[0] for line in ax.lines if line.get_linestyle() == "--")
    assert levels == [-30.0, 20.0]


def test_weeks_that_go_back_are_refused(ax):
    with pytest.raises(InvalidInput) as error:
        plot_spider(ax, ["R01"], [[12.0, 12.0]], [[1.0, 2.0]], ["SD"])
    assert str(error.value) == "weeks[0] [12.0, 12.0]: must be >= 0 and strictly increasing"


def test_change_and_weeks_of_different_length_are_refused(ax):
    with pytest.raises(InvalidInput) as error:
        plot_spider(ax, ["R01"], [[12.0, 24.0]], [[1.0]], ["SD"])
    assert str(error.value) == "change_pct[0]: has 1 values; expected 2, one per weeks[0] entry"


def test_patient_without_assessment_is_refused(ax):
    with pytest.raises(InvalidInput) as error:
        plot_spider(ax, ["R01"], [[]], [[]], ["SD"])
    assert str(error.value) == "weeks[0]: must not be empty"


def test_cga_figure_draws_the_biochemical_thresholds():
    fig = make_cga_figure(IDS, WEEKS, CHANGE_PCT, RESPONSES)
    (ax,) = fig.axes
    levels = sorted(line.get_ydata()[0] for line in ax.lines if line.get_linestyle() == "--")
    assert levels == [-50.0, 25.0]
    assert ax.get_ylabel() == "Chromogranin A change\nfrom baseline (%)"


def test_figure_renders_the_same_png_twice():
    first = figure_bytes(make_spider_figure(IDS, WEEKS, CHANGE_PCT, RESPONSES))
    second = figure_bytes(make_spider_figure(IDS, WEEKS, CHANGE_PCT, RESPONSES))
    assert first.startswith(b"\x89PNG") and len(first) > 10_000
    assert first == second
