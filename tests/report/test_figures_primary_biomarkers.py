"""The primary-endpoint and biomarker figures added for the analysis report."""

from __future__ import annotations

import pytest

from ramunet.clinical.errors import InvalidInput
from ramunet.report.figures.biomarkers import make_biomarker_figure, plot_biomarker_strips
from ramunet.report.figures.primary import RATE_GID, make_primary_figure, plot_primary
from ramunet.stats.binomial import primary_analysis
from ramunet.stats.design import ahern

DESIGN = ahern(0.60, 0.80, 0.05, 0.10)


def test_primary_figure_draws_the_observed_rate_in_percent(ax, by_gid):
    plot_primary(ax, primary_analysis(33, 45, DESIGN))
    x, y = by_gid(ax, RATE_GID).get_data()
    assert (list(x), list(y)) == ([pytest.approx(100 * 33 / 45)], [0])


def test_primary_figure_title_gives_the_p_value_and_decision():
    fig = make_primary_figure(primary_analysis(33, 45, DESIGN))
    title = fig.axes[0].get_title(loc="left")
    assert title.endswith("one-sided exact p = 0.0446, H0 rejected")


def test_biomarker_strips_label_each_marker(ax):
    plot_biomarker_strips(ax, ["Ki-67 (%)", "CD8"], [([1.0, 2.0], [3.0]), ([5.0], [6.0, 7.0])])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Ki-67 (%)", "CD8"]


def test_biomarker_groups_must_match_the_markers(ax):
    with pytest.raises(InvalidInput) as error:
        plot_biomarker_strips(ax, ["CD8"], [])
    assert str(error.value) == "groups: has 0 entries; expected one per marker"


def test_biomarker_figure_grows_with_the_markers():
    small = make_biomarker_figure(["A"], [([1.0], [2.0])])
    large = make_biomarker_figure(list("ABCDEFGHIJ"), [([1.0], [2.0])] * 10)
    assert large.get_figheight() > small.get_figheight()
