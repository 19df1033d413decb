"""Waterfall plot: one bar per patient, coloured by best response, RECIST reference lines."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.colors import to_rgba

from ramunet.clinical.errors import InvalidInput, UnknownTerm
from ramunet.clinical.recist import Response
from ramunet.report.figures.save import figure_bytes
from ramunet.report.figures.style import RESPONSE_COLOURS
from ramunet.report.figures.waterfall import make_waterfall_figure, plot_waterfall

IDS = ["R01", "R02", "R03", "R04", "R05"]
CHANGE_PCT = [-45.0, 25.0, -10.0, -100.0, 5.0]
RESPONSES = ["PR", "PD", "SD", "CR", "NE"]


def bar_heights(collection):
    return [float(path.vertices[1, 1]) for path in collection.get_paths()]


def test_one_bar_per_patient(ax, by_gid):
    plot_waterfall(ax, IDS, CHANGE_PCT, RESPONSES)
    assert len(by_gid(ax, "waterfall-bars").get_paths()) == 5


def test_bars_run_from_largest_increase_to_largest_decrease(ax, by_gid):
    plot_waterfall(ax, IDS, CHANGE_PCT, RESPONSES)
    assert bar_heights(by_gid(ax, "waterfall-bars")) == [25.0, 5.0, -10.0, -45.0, -100.0]


def test_bars_are_labelled_with_patient_ids_in_bar_order(ax):
    plot_waterfall(ax, IDS, CHANGE_PCT, RESPONSES)
    assert [label.get_text() for label in ax.get_xticklabels()] == [
        "R02",
        "R05",
        "R03",
        "R01",
        "R04",
    ]


def test_bar_colours_follow_best_response(ax, by_gid):
    plot_waterfall(ax, IDS, CHANGE_PCT, RESPONSES)
    expected = [to_rgba(RESPONSE_COLOURS[code]) for code in ["PD", "NE", "SD", "PR", "CR"]]
    assert [tuple(colour) for colour in by_gid(ax, "waterfall-bars").get_facecolors()] == expected


def test_recist_response_enum_is_accepted(ax, by_gid):
    plot_waterfall(ax, ["R01", "R02"], [-40.0, 30.0], [Response.PR, Response.PD])
    expected = [to_rgba(RESPONSE_COLOURS["PD"]), to_rgba(RESPONSE_COLOURS["PR"])]
    assert [tuple(colour) for colour in by_gid(ax, "waterfall-bars").get_facecolors()] == expected


def test_reference_lines_at_plus_20_and_minus_30_percent(ax, by_gid):
    plot_waterfall(ax, IDS, CHANGE_PCT, RESPONSES)
    assert list(by_gid(ax, "reference-progression").get_ydata()) == [20.0, 20.0]
    assert list(by_gid(ax, "reference-partial-response").get_ydata()) == [-30.0, -30.0]


def test_legend_counts_patients_per_response(ax):
    plot_waterfall(ax, IDS, CHANGE_PCT, RESPONSES)
    texts = [text.get_text() for text in ax.get_legend().get_texts()]
    assert texts[0] == "Complete response (CR), n = 1"
    assert len(texts) == 5


def test_many_patients_drop_the_id_labels(ax, by_gid):
    n = 61
    plot_waterfall(ax, [f"P{i}" for i in range(n)], np.linspace(-50, 50, n), ["SD"] * n)
    assert len(by_gid(ax, "waterfall-bars").get_paths()) == n
    assert list(ax.get_xticks()) == []


def test_change_of_minus_100_percent_is_accepted(ax, by_gid):
    plot_waterfall(ax, ["R01"], [-100.0], ["CR"])
    assert bar_heights(by_gid(ax, "waterfall-bars")) == [-100.0]


def test_change_below_minus_100_percent_is_refused(ax):
    with pytest.raises(InvalidInput) as error:
        plot_waterfall(ax, ["R01"], [-100.5], ["CR"])
    assert str(error.value) == (
        "best_change_pct[0] -100.5: must be >= -100 (a sum cannot fall below 0)"
    )


def test_empty_changes_are_refused(ax):
    with pytest.raises(InvalidInput) as error:
        plot_waterfall(ax, IDS, [], RESPONSES)
    assert str(error.value) == "best_change_pct: must not be empty"


def test_missing_change_is_refused(ax):
    with pytest.raises(InvalidInput) as error:
        plot_waterfall(ax, ["R01", "R02"], [-10.0, float("nan")], ["SD", "NE"])
    assert str(error.value) == "best_change_pct[1] nan: must be a finite number"


def test_mismatched_lengths_are_refused(ax):
    with pytest.raises(InvalidInput) as error:
        plot_waterfall(ax, IDS, CHANGE_PCT, RESPONSES[:4])
    assert str(error.value) == "best_response: has 4 values; expected 5, one per patient_ids entry"


def test_unknown_response_is_refused(ax):
    with pytest.raises(UnknownTerm) as error:
        plot_waterfall(ax, IDS, CHANGE_PCT, ["PR", "PD", "stable", "CR", "NE"])
    assert str(error.value) == (
        "best_response[2] 'stable': not recognised; expected CR, PR, SD, NON-CR/NON-PD, PD, NE"
    )


def test_repeated_patient_id_is_refused(ax):
    with pytest.raises(InvalidInput) as error:
        plot_waterfall(ax, ["R01", "R01"], [1.0, 2.0], ["SD", "SD"])
    assert str(error.value) == "patient_ids[1] 'R01': appears twice; each must be unique"


def test_figure_renders_the_same_png_twice():
    first = figure_bytes(make_waterfall_figure(IDS, CHANGE_PCT, RESPONSES))
    second = figure_bytes(make_waterfall_figure(IDS, CHANGE_PCT, RESPONSES))
    assert first.startswith(b"\x89PNG") and len(first) > 10_000
    assert first == second
