"""Simon's optimal and minimax two-stage designs (Simon R, Control Clin Trials 1989;10:1-10)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from ramunet.clinical.errors import InvalidInput
from ramunet.stats.design import simon

DATA = Path(__file__).resolve().parents[1] / "data"


def reference_rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open() as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


SIMON_ROWS = reference_rows("simon_1989_designs.csv")


def row_id(row: dict[str, str]) -> str:
    return f"{row['p0']}/{row['p1']}/{row['alpha']}/{row['beta']}/{row['kind']}"


@pytest.mark.parametrize("row", SIMON_ROWS, ids=row_id)
def test_simon_1989_table_1_rows(row):
    # Simon 1989, Table 1 (tests/data/simon_1989_designs.csv)
    design = simon(
        float(row["p0"]), float(row["p1"]), float(row["alpha"]), float(row["beta"]), row["kind"]
    )
    assert (design.r1, design.n1, design.r, design.n) == (
        int(row["r1"]),
        int(row["n1"]),
        int(row["r"]),
        int(row["n"]),
    )
    assert round(design.en0, 1) == float(row["en0"])
    assert round(design.pet0, 2) == float(row["pet0"])


def test_optimal_design_meets_both_error_constraints():
    design = simon(0.20, 0.40, 0.05, 0.10)
    assert design.alpha_actual <= 0.05
    assert design.power_actual >= 0.90


def test_minimax_n_is_never_larger_than_optimal_n():
    assert simon(0.20, 0.40, 0.05, 0.10, "minimax").n <= simon(0.20, 0.40, 0.05, 0.10).n


def test_optimal_en0_is_never_larger_than_minimax_en0():
    assert simon(0.20, 0.40, 0.05, 0.10).en0 <= simon(0.20, 0.40, 0.05, 0.10, "minimax").en0


def brute_force_minimax_n(p0: float, p1: float, alpha: float, beta: float) -> int:
    """Plain loops over n, n1, r1, r: the smallest n with a feasible design."""
    for n in range(2, 60):
        for n1 in range(1, n):
            for r1 in range(0, n1):
                x1 = np.arange(r1 + 1, n1 + 1)
                for r in range(r1, n):
                    a = np.sum(stats.binom.pmf(x1, n1, p0) * stats.binom.sf(r - x1, n - n1, p0))
                    if a <= alpha:
                        pw = np.sum(
                            stats.binom.pmf(x1, n1, p1) * stats.binom.sf(r - x1, n - n1, p1)
                        )
                        if pw >= 1 - beta:
                            return n
                        break
    raise AssertionError("no design")


def test_minimax_n_agrees_with_a_brute_force_search():
    assert simon(0.05, 0.25, 0.05, 0.20, "minimax").n == brute_force_minimax_n(
        0.05, 0.25, 0.05, 0.20
    )


def test_rejection_probability_at_p0_is_actual_alpha():
    design = simon(0.10, 0.30, 0.05, 0.20)
    assert design.rejection_probability(0.10) == pytest.approx(design.alpha_actual)


def test_expected_sample_size_at_p0_is_en0():
    design = simon(0.10, 0.30, 0.05, 0.20)
    assert design.expected_sample_size(0.10) == pytest.approx(design.en0)


def test_early_termination_probability_at_p0_is_pet0():
    design = simon(0.10, 0.30, 0.05, 0.20)
    assert design.early_termination_probability(0.10) == pytest.approx(design.pet0)


def test_default_search_limit_is_recorded():
    # 1.5 x A'Hern n (25 for 0.1/0.3/0.05/0.2) + 10
    assert simon(0.10, 0.30, 0.05, 0.20).n_max == 48


def test_unknown_kind_is_refused():
    with pytest.raises(InvalidInput) as caught:
        simon(0.10, 0.30, 0.05, 0.20, "admissible")
    assert str(caught.value) == "kind 'admissible': not recognised; expected optimal, minimax"


def test_n_max_below_2_is_refused():
    with pytest.raises(InvalidInput) as caught:
        simon(0.10, 0.30, 0.05, 0.20, n_max=1)
    assert str(caught.value) == "n_max 1: must be a whole number from 2 to 5000"


def test_n_max_too_small_for_any_design_is_refused():
    with pytest.raises(InvalidInput) as caught:
        simon(0.10, 0.30, 0.05, 0.20, n_max=10)
    assert str(caught.value) == "n_max 10: leaves no feasible two-stage design; raise it"


def test_p0_not_below_p1_is_refused():
    with pytest.raises(InvalidInput) as caught:
        simon(0.30, 0.30, 0.05, 0.20)
    assert str(caught.value) == "p0 0.3: must be below p1 = 0.3 (H1 is a higher response rate)"
