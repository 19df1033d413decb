"""Kaplan-Meier against R's survival package (tests/data/survival, made by make_reference.R).

Every expected number comes from R 4.2.2 / survival 3.5-3: ``survfit(Surv(time, status) ~ 1,
conf.type=...)`` for the step tables (km_<data>_<type>.csv), ``summary(fit, times,
extend=TRUE)`` for km_at_*.csv and ``summary(fit)$table`` (print.survfit) for medians.csv.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ramunet.clinical.errors import InvalidInput, UnknownTerm
from ramunet.stats.survival import kaplan_meier

DATA = Path(__file__).resolve().parents[1] / "data" / "survival"
DATASETS = [
    "aml",
    "lung",
    "ties",
    "all_censored",
    "above_half",
    "flat_half",
    "ends_at_half",
    "single_event",
    "single_censored",
]
CONF_TYPES = {"log-log": "loglog", "log": "log", "plain": "plain"}
TOLERANCE = 1e-6


def read_csv(name: str) -> list[dict[str, str]]:
    with (DATA / name).open() as handle:
        return [
            {key: value.strip() for key, value in row.items()} for row in csv.DictReader(handle)
        ]


def number(text: str) -> float:
    """R's CSV number; NA and NaN both mean 'not available' here."""
    return math.nan if text in ("NA", "NaN") else float(text)


def column(rows: list[dict[str, str]], name: str) -> np.ndarray:
    return np.array([number(row[name]) for row in rows])


def load_input(name: str) -> tuple[list[float], list[int]]:
    rows = read_csv(f"input_{name}.csv")
    return [float(row["time"]) for row in rows], [int(row["status"]) for row in rows]


def assert_close(actual: np.ndarray, expected: np.ndarray) -> None:
    np.testing.assert_allclose(actual, expected, rtol=0, atol=TOLERANCE, equal_nan=True)


def median_reference(dataset: str, conf_type: str) -> dict[str, str]:
    return next(
        row
        for row in read_csv("medians.csv")
        if row["dataset"] == dataset and row["conf_type"] == conf_type
    )


@pytest.mark.parametrize("conf_type", CONF_TYPES)
@pytest.mark.parametrize("dataset", DATASETS)
def test_step_table_equals_r_survfit(dataset, conf_type):
    expected = read_csv(f"km_{dataset}_{CONF_TYPES[conf_type]}.csv")  # R survfit()
    fit = kaplan_meier(*load_input(dataset), conf_type=conf_type)
    assert_close(fit.time, column(expected, "time"))
    assert fit.n_at_risk.tolist() == column(expected, "n_risk").astype(int).tolist()
    assert fit.n_events.tolist() == column(expected, "n_event").astype(int).tolist()
    assert fit.n_censored.tolist() == column(expected, "n_censor").astype(int).tolist()
    assert_close(fit.survival, column(expected, "surv"))
    assert_close(fit.std_err, column(expected, "std_err"))
    assert_close(fit.std_err_cumhaz, column(expected, "std_err_cumhaz"))
    assert_close(fit.lower, column(expected, "lower"))
    assert_close(fit.upper, column(expected, "upper"))


@pytest.mark.parametrize("dataset", DATASETS)
def test_log_log_limits_at_90_percent_equal_r(dataset):
    expected = read_csv(f"km_{dataset}_loglog_90.csv")  # R survfit(conf.int = 0.90)
    fit = kaplan_meier(*load_input(dataset), level=0.90)
    assert_close(fit.lower, column(expected, "lower"))
    assert_close(fit.upper, column(expected, "upper"))


@pytest.mark.parametrize("conf_type", CONF_TYPES)
@pytest.mark.parametrize("dataset", DATASETS)
def test_summary_at_times_equals_r(dataset, conf_type):
    expected = read_csv(f"km_at_{dataset}_{CONF_TYPES[conf_type]}.csv")  # R summary(times=)
    fit = kaplan_meier(*load_input(dataset), conf_type=conf_type)
    at = fit.survival_at(column(expected, "time"))
    assert at.n_at_risk.tolist() == column(expected, "n_risk").astype(int).tolist()
    assert_close(at.survival, column(expected, "surv"))
    assert_close(at.std_err, column(expected, "std_err"))
    assert_close(at.lower, column(expected, "lower"))
    assert_close(at.upper, column(expected, "upper"))


def none_or_float(text: str) -> float | None:
    return None if text == "NA" else float(text)


@pytest.mark.parametrize("conf_type", [*CONF_TYPES, "log-log-90"])
@pytest.mark.parametrize("dataset", DATASETS)
def test_median_and_interval_equal_r_print_survfit(dataset, conf_type):
    expected = median_reference(dataset, conf_type)  # R summary(fit)$table
    level = 0.90 if conf_type == "log-log-90" else 0.95
    fit = kaplan_meier(*load_input(dataset), conf_type=conf_type[:7].rstrip("-"), level=level)
    assert fit.median.estimate == none_or_float(expected["median"])
    assert fit.median.lower == none_or_float(expected["lower"])
    assert fit.median.upper == none_or_float(expected["upper"])


def test_aml_median_is_27_weeks_with_log_log_interval_13_to_34():
    fit = kaplan_meier(*load_input("aml"))  # medians.csv row aml,log-log: 27, 13, 34
    assert (fit.median.estimate, fit.median.lower, fit.median.upper) == (27.0, 13.0, 34.0)


def test_median_on_flat_stretch_at_half_is_midpoint_to_next_drop():
    fit = kaplan_meier([1, 2, 3, 4], [1, 1, 0, 1])  # S = 0.5 on [2, 4); R prints 3
    assert fit.median.estimate == 3.0


def test_median_of_curve_ending_at_half_is_time_it_reached_half():
    fit = kaplan_meier([1, 2, 3, 4], [1, 1, 0, 0])  # R print.survfit: 2 (quantile(): 3)
    assert fit.median.estimate == 2.0


def test_median_is_time_where_curve_first_drops_below_half():
    fit = kaplan_meier([1, 2, 3], [1, 1, 1])  # S = 2/3, 1/3, 0
    assert fit.median.estimate == 2.0


def test_median_missing_when_curve_stays_above_half():
    fit = kaplan_meier(*load_input("above_half"))
    assert fit.median.estimate is None


def test_default_interval_is_log_log_at_95_percent():
    fit = kaplan_meier([1, 2], [1, 0])
    assert (fit.conf_type, fit.level, fit.median.level) == ("log-log", 0.95, 0.95)


def test_plain_limits_are_clipped_to_zero_and_one():
    fit = kaplan_meier(*load_input("aml"), conf_type="plain")
    assert fit.lower.min() == 0.0
    assert fit.upper.max() == 1.0


def test_at_risk_counts_subjects_with_time_at_or_after():
    fit = kaplan_meier([1, 2, 2, 5], [1, 0, 1, 1])
    assert fit.at_risk([0, 1, 1.5, 2, 2.01, 5, 5.01]).tolist() == [4, 4, 3, 3, 1, 1, 0]


def test_event_at_query_time_counts_at_that_time():
    fit = kaplan_meier([1, 2], [1, 1])
    assert fit.survival_at([0.999, 1.0]).survival.tolist() == [1.0, 0.5]


def test_result_arrays_are_read_only():
    fit = kaplan_meier([1, 2], [1, 1])
    with pytest.raises(ValueError, match="read-only"):
        fit.survival[0] = 0.0


@pytest.mark.parametrize(
    ("times", "events", "message"),
    [
        ([1, -2], [1, 0], "times[1] -2.0: must be >= 0"),
        ([1, float("nan")], [1, 0], "times[1] nan: must be a number, not NaN"),
        ([1, float("inf")], [1, 0], "times[1] inf: must be finite"),
        (["a"], [1], "times[0] 'a': must be a number"),
        ([1, 2], [1, 2], "events[1] 2: not recognised; expected 0 (censored) or 1 (event)"),
        ([1, 2], [-1, 0], "events[0] -1: not recognised; expected 0 (censored) or 1 (event)"),
        ([1, 2], [1, float("nan")], "events[1] nan: must be a number, not NaN"),
        ([1, 2], [1], "events: has 1 values but times has 2; one per subject"),
        ([], [], "times: must hold at least one subject"),
    ],
)
def test_invalid_data_is_refused_naming_the_argument(times, events, message):
    with pytest.raises(InvalidInput) as caught:
        kaplan_meier(times, events)
    assert str(caught.value) == message


def test_zero_time_is_accepted():
    assert kaplan_meier([0, 1], [1, 0]).survival.tolist() == [0.5, 0.5]


def test_unknown_conf_type_is_refused():
    with pytest.raises(UnknownTerm) as caught:
        kaplan_meier([1], [1], conf_type="logit")
    assert str(caught.value) == "conf_type 'logit': not recognised; expected log-log, log, plain"


@pytest.mark.parametrize("level", [0, 1, 1.5, float("nan")])
def test_level_outside_zero_one_is_refused(level):
    with pytest.raises(InvalidInput) as caught:
        kaplan_meier([1], [1], level=level)
    assert str(caught.value) == f"level {level!r}: must lie strictly between 0 and 1"


def test_negative_query_time_is_refused():
    fit = kaplan_meier([1], [1])
    with pytest.raises(InvalidInput) as caught:
        fit.at_risk([-1])
    assert str(caught.value) == "at[0] -1.0: must be >= 0"


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=30), st.integers(min_value=0, max_value=1)),
        min_size=1,
        max_size=40,
    ),
    st.sampled_from(list(CONF_TYPES)),
)
def test_curve_is_non_increasing_and_inside_its_limits(pairs, conf_type):
    fit = kaplan_meier([t for t, _ in pairs], [e for _, e in pairs], conf_type=conf_type)
    assert np.all(np.diff(fit.survival) <= 0)
    defined = ~np.isnan(fit.lower)
    assert np.all(fit.lower[defined] <= fit.survival[defined] + 1e-12)
    assert np.all(fit.survival[defined] <= fit.upper[defined] + 1e-12)
    assert fit.n_events.sum() == sum(e for _, e in pairs)
