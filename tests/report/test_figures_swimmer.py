"""Swimmer plot: bars from first dose to last follow-up, event markers at their times."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.colors import to_rgba

from ramunet.clinical.errors import InvalidInput
from ramunet.report.figures.save import figure_bytes
from ramunet.report.figures.style import RESPONSE_COLOURS
from ramunet.report.figures.swimmer import make_swimmer_figure, plot_swimmer

NAN = float("nan")
IDS = ["R01", "R02", "R03", "R04"]
FOLLOW_UP = [12.0, 24.0, 6.0, 18.0]  # rows top-down: R02, R04, R01, R03
EVENTS = {
    "treatment_end_months": [9.0, NAN, 5.0, 15.0],
    "best_response": ["PR", "CR", "PD", "SD"],
    "partial_response_months": [3.0, 3.0, NAN, NAN],
    "complete_response_months": [NAN, 9.0, NAN, NAN],
    "progression_months": [10.0, NAN, 2.5, 16.0],
    "death_months": [NAN, NAN, 6.0, NAN],
}


def offsets(artist):
    return [tuple(point) for point in artist.get_offsets().tolist()]


def test_one_bar_per_patient_from_first_dose_to_last_follow_up(ax, by_gid):
    plot_swimmer(ax, IDS, FOLLOW_UP, **EVENTS)
    paths = by_gid(ax, "swimmer-follow-up").get_paths()
    assert len(paths) == 4
    assert [(path.vertices[0, 0], path.vertices[2, 0]) for path in paths] == [
        (0.0, 12.0),
        (0.0, 24.0),
        (0.0, 6.0),
        (0.0, 18.0),
    ]


def test_longest_follow_up_is_the_top_row(ax):
    plot_swimmer(ax, IDS, FOLLOW_UP, **EVENTS)
    assert [label.get_text() for label in ax.get_yticklabels()] == ["R02", "R04", "R01", "R03"]


def test_treatment_bar_ends_at_treatment_end_or_last_follow_up_when_ongoing(ax, by_gid):
    plot_swimmer(ax, IDS, FOLLOW_UP, **EVENTS)
    paths = by_gid(ax, "swimmer-treatment").get_paths()
    assert [path.vertices[2, 0] for path in paths] == [9.0, 24.0, 5.0, 15.0]


def test_bar_colours_follow_best_response(ax, by_gid):
    plot_swimmer(ax, IDS, FOLLOW_UP, **EVENTS)
    colours = by_gid(ax, "swimmer-treatment").get_facecolors()
    assert [tuple(c) for c in colours] == [
        to_rgba(RESPONSE_COLOURS[r]) for r in EVENTS["best_response"]
    ]


def test_response_markers_sit_at_onset_in_the_patients_row(ax, by_gid):
    plot_swimmer(ax, IDS, FOLLOW_UP, **EVENTS)
    # R01 is row 2, R02 row 0
    assert offsets(by_gid(ax, "swimmer-partial-response")) == [(3.0, 2.0), (3.0, 0.0)]
    assert offsets(by_gid(ax, "swimmer-complete-response")) == [(9.0, 0.0)]


def test_progression_and_death_markers_at_their_times(ax, by_gid):
    plot_swimmer(ax, IDS, FOLLOW_UP, **EVENTS)
    assert offsets(by_gid(ax, "swimmer-progression")) == [(10.0, 2.0), (2.5, 3.0), (16.0, 1.0)]
    assert offsets(by_gid(ax, "swimmer-death")) == [(6.0, 3.0)]


def test_treatment_end_markers_for_patients_off_treatment(ax, by_gid):
    plot_swimmer(ax, IDS, FOLLOW_UP, **EVENTS)
    assert offsets(by_gid(ax, "swimmer-treatment-end")) == [(9.0, 2.0), (5.0, 3.0), (15.0, 1.0)]


def test_ongoing_treatment_arrow_just_past_the_bar_end(ax, by_gid):
    plot_swimmer(ax, IDS, FOLLOW_UP, **EVENTS)
    ((x, row),) = offsets(by_gid(ax, "swimmer-ongoing"))
    assert row == 0.0
    assert 24.0 < x < 24.0 * 1.05


def test_without_events_only_bars_are_drawn(ax, by_gid):
    plot_swimmer(ax, IDS, FOLLOW_UP)
    assert len(by_gid(ax, "swimmer-follow-up").get_paths()) == 4
    assert ax.collections[1:] == []


def test_event_at_last_follow_up_is_accepted(ax, by_gid):
    plot_swimmer(ax, ["R01"], [6.0], death_months=[6.0])
    assert offsets(by_gid(ax, "swimmer-death")) == [(6.0, 0.0)]


def test_event_after_last_follow_up_is_refused(ax):
    with pytest.raises(InvalidInput) as error:
        plot_swimmer(ax, ["R01"], [6.0], death_months=[6.5])
    assert str(error.value) == (
        "death_months[0] 6.5: must not be later than follow_up_months[0] = 6"
    )


def test_negative_event_time_is_refused(ax):
    with pytest.raises(InvalidInput) as error:
        plot_swimmer(ax, ["R01"], [6.0], progression_months=[-1.0])
    assert str(error.value) == "progression_months[0] -1.0: must be >= 0 months from the first dose"


def test_zero_follow_up_is_refused(ax):
    with pytest.raises(InvalidInput) as error:
        plot_swimmer(ax, ["R01"], [0.0])
    assert str(error.value) == "follow_up_months[0] 0.0: must be > 0 months from the first dose"


def test_event_array_of_another_length_is_refused(ax):
    with pytest.raises(InvalidInput) as error:
        plot_swimmer(ax, IDS, FOLLOW_UP, death_months=[NAN])
    assert str(error.value) == "death_months: has 1 values; expected 4, one per patient_ids entry"


def test_empty_follow_up_is_refused(ax):
    with pytest.raises(InvalidInput) as error:
        plot_swimmer(ax, IDS, [])
    assert str(error.value) == "follow_up_months: must not be empty"


def test_five_thousand_patients_draw_as_two_bar_collections(ax, by_gid):
    rng = np.random.default_rng(1)
    n = 5000
    follow_up = rng.uniform(1, 30, n)
    plot_swimmer(ax, [f"P{i}" for i in range(n)], follow_up, treatment_end_months=follow_up / 2)
    assert len(by_gid(ax, "swimmer-follow-up").get_paths()) == n
    assert len(by_gid(ax, "swimmer-treatment").get_paths()) == n


def test_figure_renders_the_same_png_twice():
    first = figure_bytes(make_swimmer_figure(IDS, FOLLOW_UP, **EVENTS))
    second = figure_bytes(make_swimmer_figure(IDS, FOLLOW_UP, **EVENTS))
    assert first.startswith(b"\x89PNG") and len(first) > 10_000
    assert first == second
