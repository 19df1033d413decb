"""Recruitment figure: cumulative registrations, by centre, target and projection."""

from __future__ import annotations

import datetime as dt

import matplotlib.dates as mdates
import pytest

from ramunet.clinical.errors import InvalidInput, UnknownTerm
from ramunet.report.figures.recruitment import (
    make_recruitment_figure,
    make_recruitment_figure_from_projection,
    plot_recruitment,
)
from ramunet.report.figures.save import figure_bytes
from ramunet.stats.recruitment import project_recruitment

DATES = [dt.date(2019, 6, 3), dt.date(2019, 8, 1), dt.date(2019, 7, 10), dt.date(2019, 9, 2)]
CENTRES = ["HAL", "MAR", "HAL", "HAL"]


def day(value: float) -> dt.date:
    return mdates.num2date(value).date()


def test_overall_curve_counts_registrations_in_date_order(ax, by_gid):
    plot_recruitment(ax, DATES, cutoff_date=dt.date(2019, 10, 1))
    line = by_gid(ax, "recruitment-overall")
    assert [day(x) for x in line.get_xdata()] == [
        dt.date(2019, 6, 3),
        dt.date(2019, 6, 3),
        dt.date(2019, 7, 10),
        dt.date(2019, 8, 1),
        dt.date(2019, 9, 2),
        dt.date(2019, 10, 1),
    ]
    assert list(line.get_ydata()) == [0, 1, 2, 3, 4, 4]


def test_one_line_per_centre_labelled_with_its_count(ax):
    plot_recruitment(ax, DATES, CENTRES)
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert labels == ["HAL (n = 3)", "MAR (n = 1)", "All centres (n = 4)"]


def test_stacked_style_draws_one_area_per_centre(ax):
    plot_recruitment(ax, DATES, CENTRES, by_centre="stacked")
    hal, mar = ax.collections
    assert hal.get_label() == "HAL (n = 3)" and mar.get_label() == "MAR (n = 1)"


def test_target_line_at_45_patients(ax, by_gid):
    plot_recruitment(ax, DATES)
    assert list(by_gid(ax, "recruitment-target").get_ydata()) == [45, 45]


def test_projection_runs_from_the_cut_off_to_the_target_at_the_projected_date(ax, by_gid):
    plot_recruitment(
        ax,
        DATES,
        cutoff_date=dt.date(2019, 10, 1),
        projected_date=dt.date(2021, 3, 1),
        projected_interval=(dt.date(2020, 11, 1), dt.date(2021, 9, 1)),
    )
    line = by_gid(ax, "recruitment-projection")
    assert [day(x) for x in line.get_xdata()] == [dt.date(2019, 10, 1), dt.date(2021, 3, 1)]
    assert list(line.get_ydata()) == [4, 45]
    band = by_gid(ax, "recruitment-interval")
    start, end = band.get_x(), band.get_x() + band.get_width()
    assert (day(start), day(end)) == (dt.date(2020, 11, 1), dt.date(2021, 9, 1))


def test_interval_without_the_projected_date_inside_is_refused(ax):
    with pytest.raises(InvalidInput) as error:
        plot_recruitment(
            ax,
            DATES,
            projected_date=dt.date(2021, 3, 1),
            projected_interval=(dt.date(2021, 4, 1), dt.date(2021, 9, 1)),
        )
    assert str(error.value) == (
        "projected_interval (datetime.date(2021, 4, 1), datetime.date(2021, 9, 1)): "
        "must contain projected_date (2021-03-01)"
    )


def test_projection_before_the_last_registration_is_refused(ax):
    with pytest.raises(InvalidInput) as error:
        plot_recruitment(ax, DATES, projected_date=dt.date(2019, 9, 1))
    assert str(error.value) == (
        "projected_date datetime.date(2019, 9, 1): must not be before the last registration "
        "(2019-09-02)"
    )


def test_projection_on_the_last_registration_day_is_accepted(ax, by_gid):
    plot_recruitment(ax, DATES, projected_date=dt.date(2019, 9, 2))
    assert list(by_gid(ax, "recruitment-projection").get_ydata()) == [4, 45]


def test_datetime_instead_of_date_is_refused(ax):
    with pytest.raises(InvalidInput) as error:
        plot_recruitment(ax, [dt.datetime(2019, 6, 3, tzinfo=dt.UTC)])
    assert str(error.value) == (
        "registration_dates[0] datetime.datetime(2019, 6, 3, 0, 0, tzinfo=datetime.timezone.utc)"
        ": must be a datetime.date"
    )


def test_centres_of_another_length_are_refused(ax):
    with pytest.raises(InvalidInput) as error:
        plot_recruitment(ax, DATES, CENTRES[:3])
    assert str(error.value) == (
        "centres: has 3 values; expected 4, one per registration_dates entry"
    )


def test_unknown_centre_style_is_refused(ax):
    with pytest.raises(UnknownTerm) as error:
        plot_recruitment(ax, DATES, CENTRES, by_centre="pie")
    assert str(error.value) == "by_centre 'pie': not recognised; expected lines, stacked"


def test_no_registrations_are_refused(ax):
    with pytest.raises(InvalidInput) as error:
        plot_recruitment(ax, [])
    assert str(error.value) == "registration_dates: must not be empty"


def test_figure_from_a_projection_draws_its_projected_date():
    registrations = list(zip(CENTRES, DATES, strict=True))
    projection = project_recruitment(registrations, as_of=dt.date(2019, 10, 1))
    fig = make_recruitment_figure_from_projection(projection)
    (ax,) = fig.axes
    (line,) = [line for line in ax.lines if line.get_gid() == "recruitment-projection"]
    assert day(line.get_xdata()[1]) == projection.target_date.median


def test_figure_renders_the_same_png_twice():
    first = figure_bytes(make_recruitment_figure(DATES, CENTRES))
    second = figure_bytes(make_recruitment_figure(DATES, CENTRES))
    assert first.startswith(b"\x89PNG") and len(first) > 10_000
    assert first == second
