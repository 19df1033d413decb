"""A'Hern exact single-stage designs (A'Hern RP, Stat Med 2001;20:859-866)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from ramunet.clinical.errors import InvalidInput
from ramunet.stats.design import ahern, smallest_rejecting_r

DATA = Path(__file__).resolve().parents[1] / "data"


def reference_rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open() as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


AHERN_ROWS = reference_rows("ahern_designs.csv")


def test_ramunet_design_is_33_of_45():
    # PROTOCOL-NOTES.md "Design figures": n = 45, r = 33, alpha ~0.0446, power ~0.9005
    design = ahern(0.60, 0.80, 0.05, 0.10)
    assert (design.n, design.r) == (45, 33)
    assert design.alpha_actual == pytest.approx(0.0446, abs=5e-5)
    assert design.power_actual == pytest.approx(0.9005, abs=5e-5)


def test_design_keeps_its_inputs():
    design = ahern(0.60, 0.80, 0.05, 0.10)
    assert (design.p0, design.p1, design.alpha, design.beta) == (0.60, 0.80, 0.05, 0.10)


def test_no_design_with_44_patients_meets_both_constraints():
    # A'Hern 2001: n is the smallest sample size for which some r works
    for r in range(0, 46):
        alpha = stats.binom.sf(r - 1, 44, 0.60)
        power = stats.binom.sf(r - 1, 44, 0.80)
        assert not (alpha <= 0.05 and power >= 0.90)


def test_32_of_45_would_exceed_alpha():
    # r = 33 is the smallest boundary: P(X >= 32 | 45, 0.6) > 0.05
    assert stats.binom.sf(31, 45, 0.60) > 0.05


@pytest.mark.parametrize("row", AHERN_ROWS, ids=lambda row: "/".join(list(row.values())[:4]))
def test_reference_designs(row):
    # tests/data/ahern_designs.csv (source in its header)
    design = ahern(float(row["p0"]), float(row["p1"]), float(row["alpha"]), float(row["beta"]))
    assert (design.n, design.r) == (int(row["n"]), int(row["r"]))
    assert design.alpha_actual == pytest.approx(float(row["alpha_actual"]), abs=5e-5)
    assert design.power_actual == pytest.approx(float(row["power_actual"]), abs=5e-5)


def test_actual_alpha_sits_just_below_nominal_at_an_exact_boundary():
    # 0.3 vs 0.5, alpha 0.05, beta 0.2: P(X >= 17 | 39, 0.3) = 0.049984 <= 0.05
    design = ahern(0.30, 0.50, 0.05, 0.20)
    assert (design.n, design.r) == (39, 17)
    assert design.alpha_actual <= 0.05


def test_33_successes_reject_h0():
    assert ahern(0.60, 0.80, 0.05, 0.10).rejects(33)


def test_32_successes_do_not_reject_h0():
    assert not ahern(0.60, 0.80, 0.05, 0.10).rejects(32)


def test_rejection_probability_at_p0_is_actual_alpha():
    design = ahern(0.60, 0.80, 0.05, 0.10)
    assert design.rejection_probability(0.60) == design.alpha_actual


def test_rejection_probability_at_p1_is_actual_power():
    design = ahern(0.60, 0.80, 0.05, 0.10)
    assert design.rejection_probability(0.80) == design.power_actual


def test_design_is_frozen():
    design = ahern(0.60, 0.80, 0.05, 0.10)
    with pytest.raises(AttributeError):
        design.n = 40  # type: ignore[misc]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((0.0, 0.8, 0.05, 0.1), "p0 0.0: must lie strictly between 0 and 1"),
        ((0.6, 1.0, 0.05, 0.1), "p1 1.0: must lie strictly between 0 and 1"),
        ((0.6, 0.8, 0.0, 0.1), "alpha 0.0: must lie strictly between 0 and 1"),
        ((0.6, 0.8, 1.0, 0.1), "alpha 1.0: must lie strictly between 0 and 1"),
        ((0.6, 0.8, 0.05, -0.1), "beta -0.1: must lie strictly between 0 and 1"),
        ((0.6, 0.8, 0.05, 1.5), "beta 1.5: must lie strictly between 0 and 1"),
        ((0.8, 0.6, 0.05, 0.1), "p0 0.8: must be below p1 = 0.6 (H1 is a higher response rate)"),
        ((0.6, 0.6, 0.05, 0.1), "p0 0.6: must be below p1 = 0.6 (H1 is a higher response rate)"),
        ((0.6, 0.8, float("nan"), 0.1), "alpha nan: must lie strictly between 0 and 1"),
        (("0.6", 0.8, 0.05, 0.1), "p0 '0.6': must be a number strictly between 0 and 1"),
    ],
)
def test_invalid_inputs_are_refused_naming_the_argument(args, message):
    with pytest.raises(InvalidInput) as caught:
        ahern(*args)
    assert str(caught.value) == message


def test_smallest_valid_rates_are_accepted():
    # the edges are open: just inside (0, 1) works
    design = ahern(0.01, 0.99, 0.5, 0.5)
    assert design.n >= 1


@pytest.mark.parametrize(("p0", "alpha"), [(0.05, 0.05), (0.3, 0.1), (0.6, 0.05), (0.85, 0.2)])
def test_boundary_r_matches_a_count_over_every_tail(p0, alpha):
    # smallest r with P(X >= r) <= alpha: the number of k = 0..n+1 whose tail exceeds alpha
    n = np.arange(1, 301)
    k = np.arange(0, 302)
    counted = (stats.binom.sf(k[None, :] - 1, n[:, None], p0) > alpha).sum(axis=1)
    assert np.array_equal(smallest_rejecting_r(n, p0, alpha), counted)


def test_rates_too_close_for_any_design_up_to_5000_patients_are_refused():
    with pytest.raises(InvalidInput) as caught:
        ahern(0.50, 0.505, 0.05, 0.10)
    assert str(caught.value) == "p1 0.505: leaves no design with n <= 5000; p1 - p0 too small"
