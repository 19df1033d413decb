"""Toxicity bars: worst grade per patient and term, grade >= 3 highlighted."""

from __future__ import annotations

import pytest
from matplotlib.colors import to_rgba

from ramunet.clinical.errors import InvalidInput
from ramunet.report.figures.save import figure_bytes
from ramunet.report.figures.style import GRADE_COLOURS
from ramunet.report.figures.toxicity import make_toxicity_figure, plot_toxicity, worst_grade_counts

# R1 has hypertension at grades 1 and 3: it counts once, at grade 3.
PATIENTS = ["R1", "R1", "R2", "R3", "R2", "R3", "R1"]
TERMS = [
    "Hypertension",
    "Hypertension",
    "Hypertension",
    "Hypertension",
    "Nausea",
    "Nausea",
    "Epistaxis",
]
GRADES = [1, 3, 2, 4, 1, 1, 5]


def widths(collection):
    return [path.vertices[2, 0] - path.vertices[0, 0] for path in collection.get_paths()]


def test_each_patient_counts_once_per_term_at_the_worst_grade():
    counts = worst_grade_counts(PATIENTS, TERMS, GRADES)
    assert counts.terms == ("Hypertension", "Nausea", "Epistaxis")
    assert counts.counts.tolist() == [[0, 1, 1, 1, 0], [2, 0, 0, 0, 0], [0, 0, 0, 0, 1]]


def test_terms_with_equal_frequency_put_more_severe_first():
    counts = worst_grade_counts(["R1", "R2"], ["Nausea", "Fatigue"], [1, 3])
    assert counts.terms == ("Fatigue", "Nausea")


def test_bar_segments_are_the_patients_per_grade(ax, by_gid):
    plot_toxicity(ax, worst_grade_counts(PATIENTS, TERMS, GRADES))
    assert widths(by_gid(ax, "toxicity-grade-1")) == [0, 2, 0]
    assert widths(by_gid(ax, "toxicity-grade-3")) == [1, 0, 0]
    assert widths(by_gid(ax, "toxicity-grade-5")) == [0, 0, 1]


def test_grade_3_and_above_are_hatched_in_warm_colours(ax, by_gid):
    plot_toxicity(ax, worst_grade_counts(PATIENTS, TERMS, GRADES))
    for grade in (1, 2):
        assert not by_gid(ax, f"toxicity-grade-{grade}").get_hatch()
    for grade in (3, 4, 5):
        collection = by_gid(ax, f"toxicity-grade-{grade}")
        assert collection.get_hatch() == "////"
        assert tuple(collection.get_facecolors()[0]) == to_rgba(GRADE_COLOURS[grade])


def test_bar_label_gives_total_share_and_grade_3_or_more(ax, by_gid):
    plot_toxicity(ax, worst_grade_counts(PATIENTS, TERMS, GRADES), n_patients=3)
    assert by_gid(ax, "toxicity-label-0").get_text() == "3 (100%); grade \u2265 3: 2"
    assert by_gid(ax, "toxicity-label-1").get_text() == "2 (67%)"


def test_terms_are_listed_top_down_by_frequency(ax):
    plot_toxicity(ax, worst_grade_counts(PATIENTS, TERMS, GRADES))
    assert [label.get_text() for label in ax.get_yticklabels()] == [
        "Hypertension",
        "Nausea",
        "Epistaxis",
    ]


def test_max_terms_keeps_the_most_frequent(ax):
    plot_toxicity(ax, worst_grade_counts(PATIENTS, TERMS, GRADES), max_terms=1)
    assert [label.get_text() for label in ax.get_yticklabels()] == ["Hypertension"]


def test_grade_6_is_refused():
    with pytest.raises(InvalidInput) as error:
        worst_grade_counts(["R1"], ["Nausea"], [6])
    assert str(error.value) == "grades[0] 6: must be a CTCAE grade 1, 2, 3, 4 or 5"


def test_grade_0_is_refused():
    with pytest.raises(InvalidInput) as error:
        worst_grade_counts(["R1"], ["Nausea"], [0])
    assert str(error.value) == "grades[0] 0: must be a CTCAE grade 1, 2, 3, 4 or 5"


def test_population_smaller_than_a_term_count_is_refused(ax):
    with pytest.raises(InvalidInput) as error:
        plot_toxicity(ax, worst_grade_counts(PATIENTS, TERMS, GRADES), n_patients=2)
    assert str(error.value) == "n_patients 2: must be at least the largest term count (3)"


def test_terms_of_another_length_are_refused():
    with pytest.raises(InvalidInput) as error:
        worst_grade_counts(PATIENTS, TERMS[:2], GRADES)
    assert str(error.value) == "terms: has 2 values; expected 7, one per patient_ids entry"


def test_figure_renders_the_same_png_twice():
    counts = worst_grade_counts(PATIENTS, TERMS, GRADES)
    first = figure_bytes(make_toxicity_figure(counts, n_patients=3))
    second = figure_bytes(make_toxicity_figure(counts, n_patients=3))
    assert first.startswith(b"\x89PNG") and len(first) > 10_000
    assert first == second
